"""HTTP plumbing every Litestar service shares: errors, logs, auth, health, the app factory."""
