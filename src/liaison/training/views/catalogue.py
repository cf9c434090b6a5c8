"""Pages of the training centre: catalogue."""
