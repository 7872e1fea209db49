"""Petshots auth service: identity (local SRP provider or Cognito), tokens and owner settings."""
