"""Writes of the training centre: plans.

Each runs in a transaction and writes the audit trail."""
