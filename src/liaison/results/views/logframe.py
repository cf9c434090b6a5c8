"""A project's logframe, its indicators and the entry of their values."""
