"""Shared pytest fixtures for Petshots: real Postgres, real S3 over HTTP, a token issuer."""
