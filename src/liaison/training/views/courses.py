"""Pages of the training centre: courses."""
