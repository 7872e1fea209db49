"""The one exception type ``petshots-dev`` reports as a plain message instead of a traceback."""

from __future__ import annotations


class DevstackError(RuntimeError):
    """Something the user can act on; the message says what."""
