"""The training centre's pages, one module per area."""
