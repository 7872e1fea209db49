"""Petshots shared library."""
