"""The local Petshots stack: ``petshots-dev`` and the helpers test suites share."""
