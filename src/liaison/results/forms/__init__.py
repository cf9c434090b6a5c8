"""Forms of the results pages, one module per area."""
