"""Writes of the training centre: certificates.

Each runs in a transaction and writes the audit trail."""
