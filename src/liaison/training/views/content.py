"""Pages of the training centre: content."""
