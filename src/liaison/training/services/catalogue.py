"""Writes of the training centre: catalogue.

Each runs in a transaction and writes the audit trail."""
