"""Accounts, roles and the audit trail: the layer every other app stands on."""
