"""Fault injection against real processes (issue 9): Redis, PostgreSQL, storage, worker kills."""
