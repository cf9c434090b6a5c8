"""Writes of the training centre: content.

Each runs in a transaction and writes the audit trail."""
