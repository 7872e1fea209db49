"""Settings only the passport service reads, on top of the shared ``Settings``.

Same ``PETSHOTS_`` prefix and rules as the shared class; ``docs/passport.md`` lists these.
"""

from __future__ import annotations

from pydantic import Field, PositiveInt, SecretStr

from petshots_core.settings import Settings


class PassportSettings(Settings):
    service_name: str = "petshots-passport"

    # Seals (AES-256-GCM) each passport's token so the owner can show the same QR code again
    # while a database dump alone opens nothing. Required in production; a local run
    # generates one under state_dir.
    passport_sealing_key: SecretStr | None = None

    # Per client address on /p/*: every request, and the tighter budget for answers that
    # found no live passport (404/410), which is what guessing tokens produces.
    passport_rate_limit: PositiveInt = 60
    passport_rate_limit_misses: PositiveInt = 30
    passport_rate_limit_window_s: PositiveInt = 60
    passport_rate_limit_key_prefix: str = Field(default="petshots:passport:rl:", min_length=1)
    # After Redis fails, how long to serve without limits before trying it again.
    passport_rate_limit_retry_s: float = Field(default=5.0, ge=0)

    passport_max_active_per_pet: PositiveInt = 20


def passport_settings(settings: Settings | None) -> PassportSettings:
    """``settings`` as PassportSettings: its values kept, passport fields from the environment."""
    if isinstance(settings, PassportSettings):
        return settings
    if settings is None:
        return PassportSettings()
    return PassportSettings(**settings.model_dump())
