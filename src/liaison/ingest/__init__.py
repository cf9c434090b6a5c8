"""Factsheet ingestion: reading project factsheets into portfolio records (issue 3, in progress)."""
