"""Petshots shared library."""

from petshots_core.start_up import pause_gc_in_servers

# First thing a service's import of this package does (petshots_core.start_up says why).
pause_gc_in_servers()
