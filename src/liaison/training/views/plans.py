"""Pages of the training centre: plans."""
