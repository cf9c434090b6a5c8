"""Liaison: one platform for cross-border cooperation on migration, borders and security."""
