"""Writes of the training centre: courses.

Each runs in a transaction and writes the audit trail."""
