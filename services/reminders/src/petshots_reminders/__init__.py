"""Reminder digests and housekeeping on one arq worker."""
