"""Pages of the training centre: reports."""
