"""Pages of the training centre: people."""
