"""Pages of the training centre: assessment."""
