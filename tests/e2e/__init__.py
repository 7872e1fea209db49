"""Browser end-to-end tests of the owner's SPA against the `make dev` stack (headless Chromium)."""
