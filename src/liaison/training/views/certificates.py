"""Pages of the training centre: certificates."""
