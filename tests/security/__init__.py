"""Cross-service security suite (issue 9): see docs/security.md."""
