"""The results pages, one module per area: the logframe and its values, and the reports."""
