"""Facilities, funding instruments and the funded projects they hold."""
