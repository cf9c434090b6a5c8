"""Writes of the training centre: assessment.

Each runs in a transaction and writes the audit trail."""
