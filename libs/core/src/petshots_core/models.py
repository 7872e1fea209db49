"""Table models of the shared database. Alembic (``petshots_core/migrations``) owns the schema.

These SQLModel classes are tables only: they skip validation, so no handler accepts them as a
request body — each service has its own wire schemas.
"""

from __future__ import annotations

import enum
import secrets
import uuid
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlmodel import Field, SQLModel

DEFAULT_THRESHOLDS = (60, 30, 7, 0)


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_storage_prefix() -> str:
    # Object keys carry this random prefix instead of the owner's id, so a certificate URL
    # handed to a facility names neither the owner nor any database id.
    return secrets.token_hex(16)


def _ts(**kw: object) -> sa.Column[datetime]:
    return sa.Column(sa.DateTime(timezone=True), **kw)  # type: ignore[arg-type]


class Species(enum.StrEnum):
    DOG = "dog"
    CAT = "cat"
    OTHER = "other"


class DocumentState(enum.StrEnum):
    PENDING = "pending"
    READY = "ready"


class Owner(SQLModel, table=True):
    __tablename__ = "owners"

    id: uuid.UUID = Field(primary_key=True)  # the identity provider's `sub`
    email: str | None = Field(default=None, max_length=320)
    timezone: str = Field(default="UTC", max_length=64, sa_column_kwargs={"server_default": "UTC"})
    due_soon_days: int = Field(default=30, sa_column_kwargs={"server_default": "30"})
    reminders_enabled: bool = Field(default=True, sa_column_kwargs={"server_default": "true"})
    reminder_thresholds_days: list[int] = Field(
        default_factory=lambda: list(DEFAULT_THRESHOLDS),
        sa_column=sa.Column(
            pg.ARRAY(sa.SmallInteger),
            nullable=False,
            server_default=sa.text("'{60,30,7,0}'::smallint[]"),
        ),
    )
    storage_prefix: str = Field(
        default_factory=new_storage_prefix, max_length=64, unique=True, nullable=False
    )
    created_at: datetime = Field(
        default_factory=utcnow,
        sa_column=_ts(nullable=False, server_default=sa.func.now()),
    )


class Pet(SQLModel, table=True):
    __tablename__ = "pets"
    __table_args__ = (
        sa.CheckConstraint("species IN ('dog','cat','other')", name="pets_species_check"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    owner_id: uuid.UUID = Field(
        sa_column=sa.Column(
            pg.UUID(as_uuid=True),
            sa.ForeignKey("owners.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    name: str = Field(max_length=60)
    species: str = Field(default=Species.DOG.value, max_length=16)
    breed: str | None = Field(default=None, max_length=80)
    birth_date: date | None = Field(default=None)
    photo_key: str | None = Field(default=None, max_length=300)
    photo_content_type: str | None = Field(default=None, max_length=64)
    # The key a photo upload policy was issued for; it becomes photo_key once completed.
    photo_upload_key: str | None = Field(default=None, max_length=300)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=_ts(nullable=False, server_default=sa.func.now())
    )
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=_ts(nullable=False, server_default=sa.func.now())
    )


class Document(SQLModel, table=True):
    __tablename__ = "documents"
    __table_args__ = (
        sa.CheckConstraint("state IN ('pending','ready')", name="documents_state_check"),
        # One pinned Quick Show record per pet, enforced by the database.
        sa.Index(
            "documents_one_pinned_per_pet",
            "pet_id",
            unique=True,
            postgresql_where=sa.text("pinned"),
        ),
        # The reminders planner walks ready records by expiry date.
        sa.Index(
            "documents_ready_expiry",
            "expires_on",
            "owner_id",
            postgresql_where=sa.text("state = 'ready' AND expires_on IS NOT NULL"),
        ),
        sa.Index("documents_pet_created", "pet_id", "created_at"),
        sa.Index(
            "documents_pending_created",
            "created_at",
            postgresql_where=sa.text("state = 'pending'"),
        ),
        sa.Index(
            "documents_next_remind",
            "next_remind_on",
            postgresql_where=sa.text("next_remind_on IS NOT NULL"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    owner_id: uuid.UUID = Field(
        sa_column=sa.Column(
            pg.UUID(as_uuid=True),
            sa.ForeignKey("owners.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    pet_id: uuid.UUID = Field(
        sa_column=sa.Column(
            pg.UUID(as_uuid=True), sa.ForeignKey("pets.id", ondelete="CASCADE"), nullable=False
        )
    )
    label: str = Field(max_length=80)
    expires_on: date | None = Field(default=None)
    given_on: date | None = Field(default=None)
    filename: str = Field(max_length=255)
    content_type: str = Field(max_length=64)
    size_bytes: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    object_key: str = Field(max_length=300, unique=True)
    state: str = Field(default=DocumentState.PENDING.value, max_length=16)
    pinned: bool = Field(default=False, sa_column_kwargs={"server_default": "false"})
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=_ts(nullable=False, server_default=sa.func.now())
    )
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=_ts(nullable=False, server_default=sa.func.now())
    )
    completed_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    # The owner-local date of this record's next due reminder (expiry minus the largest
    # threshold not yet in the ledger). Maintained by database triggers (migration 0004) so
    # every writer keeps it right; the reminders planner is a range scan over it.
    next_remind_on: date | None = Field(default=None)


metadata = SQLModel.metadata


class DeletedSubject(SQLModel, table=True):
    """Subjects of deleted accounts, kept only as long as their access tokens could live.

    Holds no personal data (a random UUID and a time); it stops a still-valid token of a
    deleted owner from re-creating an owner row on its next write.
    """

    __tablename__ = "deleted_subjects"

    sub: uuid.UUID = Field(primary_key=True)
    deleted_at: datetime = Field(
        default_factory=utcnow, sa_column=_ts(nullable=False, server_default=sa.func.now())
    )


class Passport(SQLModel, table=True):
    """A public link to one pet's records. Only a hash of its token is searchable; the token
    itself is stored encrypted so the owner can show the same QR code again."""

    __tablename__ = "passports"
    __table_args__ = (sa.Index("passports_owner_pet", "owner_id", "pet_id"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    owner_id: uuid.UUID = Field(
        sa_column=sa.Column(
            pg.UUID(as_uuid=True), sa.ForeignKey("owners.id", ondelete="CASCADE"), nullable=False
        )
    )
    pet_id: uuid.UUID = Field(
        sa_column=sa.Column(
            pg.UUID(as_uuid=True), sa.ForeignKey("pets.id", ondelete="CASCADE"), nullable=False
        )
    )
    label: str = Field(max_length=80)
    token_hash: bytes = Field(sa_column=sa.Column(sa.LargeBinary(32), nullable=False, unique=True))
    token_sealed: bytes = Field(sa_column=sa.Column(sa.LargeBinary, nullable=False))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=_ts(nullable=False, server_default=sa.func.now())
    )
    expires_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    revoked_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))


class PassportView(SQLModel, table=True):
    """One public view of a passport: when, what kind of client, and a coarse network only."""

    __tablename__ = "passport_views"
    __table_args__ = (
        sa.Index("passport_views_passport_time", "passport_id", "viewed_at"),
        sa.Index("passport_views_time", "viewed_at"),
        sa.CheckConstraint(
            "agent_class IN ('browser','link_preview','other')", name="passport_views_agent_check"
        ),
    )

    id: int | None = Field(
        default=None, sa_column=sa.Column(sa.BigInteger, sa.Identity(), primary_key=True)
    )
    passport_id: uuid.UUID = Field(
        sa_column=sa.Column(
            pg.UUID(as_uuid=True),
            sa.ForeignKey("passports.id", ondelete="CASCADE"),
            nullable=False,
        )
    )
    viewed_at: datetime = Field(
        default_factory=utcnow, sa_column=_ts(nullable=False, server_default=sa.func.now())
    )
    agent_class: str = Field(max_length=16)
    device: str = Field(max_length=16)
    network: str | None = Field(default=None, max_length=64)


# --- identity (the auth service's local identity provider) and account deletion ---


class LocalIdentity(SQLModel, table=True):
    """An account of the local identity provider: an SRP verifier, never a password.

    ``sub`` is the owner's id; the row goes with the owner (cascade). ``email`` is stored
    normalised (trimmed, lower-case), which is what makes it unique.
    """

    __tablename__ = "local_identities"

    sub: uuid.UUID = Field(
        sa_column=sa.Column(
            pg.UUID(as_uuid=True),
            sa.ForeignKey("owners.id", ondelete="CASCADE"),
            primary_key=True,
        )
    )
    email: str = Field(max_length=320, unique=True, nullable=False)
    srp_salt: str = Field(max_length=64)
    srp_verifier: str = Field(max_length=800)
    email_verified: bool = Field(default=False, sa_column_kwargs={"server_default": "false"})
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=_ts(nullable=False, server_default=sa.func.now())
    )
    password_changed_at: datetime = Field(
        default_factory=utcnow, sa_column=_ts(nullable=False, server_default=sa.func.now())
    )


class IdentityCode(SQLModel, table=True):
    """One live e-mail code per account and purpose, stored as a keyed hash only.

    Six digits are guessable offline from a plain hash, so the hash is an HMAC under a server
    key; online guessing is bounded by ``attempts`` (and the per-account throttle).
    """

    __tablename__ = "identity_codes"
    __table_args__ = (
        sa.CheckConstraint("purpose IN ('confirm','reset')", name="identity_codes_purpose_check"),
    )

    sub: uuid.UUID = Field(
        sa_column=sa.Column(
            pg.UUID(as_uuid=True),
            sa.ForeignKey("local_identities.sub", ondelete="CASCADE"),
            primary_key=True,
        )
    )
    purpose: str = Field(max_length=16, primary_key=True)
    code_hash: bytes = Field(sa_column=sa.Column(sa.LargeBinary(32), nullable=False))
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=_ts(nullable=False, server_default=sa.func.now())
    )
    expires_at: datetime = Field(sa_column=_ts(nullable=False))


class RefreshToken(SQLModel, table=True):
    """A local refresh token, by its SHA-256 only; revoked by setting ``revoked_at``."""

    __tablename__ = "refresh_tokens"
    __table_args__ = (sa.Index("refresh_tokens_expires", "expires_at"),)

    token_hash: str = Field(primary_key=True, max_length=64)
    sub: uuid.UUID = Field(
        sa_column=sa.Column(
            pg.UUID(as_uuid=True),
            sa.ForeignKey("owners.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    origin_jti: str = Field(max_length=64, index=True)
    auth_time: datetime = Field(sa_column=_ts(nullable=False))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=_ts(nullable=False, server_default=sa.func.now())
    )
    expires_at: datetime = Field(sa_column=_ts(nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))


class ObjectPurge(SQLModel, table=True):
    """Outbox of a deleted owner's storage prefix, written in the transaction that deletes the
    owner: the queued purge job removes the row once every object is gone, so a purge lost
    with Redis (or a failed enqueue) is found again and re-queued."""

    __tablename__ = "object_purges"

    storage_prefix: str = Field(primary_key=True, max_length=64)
    requested_at: datetime = Field(
        default_factory=utcnow, sa_column=_ts(nullable=False, server_default=sa.func.now())
    )
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


# --- reminders ---


class DigestState(enum.StrEnum):
    PENDING = "pending"  # created, not claimed
    SENDING = "sending"  # claimed; the provider call may be under way
    SENT = "sent"
    UNCERTAIN = "uncertain"  # a worker died mid-send: treated as sent, never resent
    EMPTY = "empty"  # nothing was due any more when the job ran
    FAILED = "failed"  # the provider refused for good, or retries ran out


class ReminderDigest(SQLModel, table=True):
    """One digest e-mail per owner and run date; the row is the idempotency key of the send."""

    __tablename__ = "reminder_digests"
    __table_args__ = (
        sa.UniqueConstraint("owner_id", "run_date", name="reminder_digests_owner_day"),
        sa.CheckConstraint(
            "state IN ('pending','sending','sent','uncertain','empty','failed')",
            name="reminder_digests_state_check",
        ),
        sa.Index("reminder_digests_run_date", "run_date", "state"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    owner_id: uuid.UUID = Field(
        sa_column=sa.Column(
            pg.UUID(as_uuid=True), sa.ForeignKey("owners.id", ondelete="CASCADE"), nullable=False
        )
    )
    run_date: date
    state: str = Field(default=DigestState.PENDING.value, max_length=16)
    items: list[dict[str, object]] | None = Field(
        default=None, sa_column=sa.Column(pg.JSONB, nullable=True)
    )
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    message_id: str | None = Field(default=None, max_length=255)
    provider_id: str | None = Field(default=None, max_length=255)
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=_ts(nullable=False, server_default=sa.func.now())
    )
    claimed_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    sent_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))


class ReminderLedger(SQLModel, table=True):
    """Each (record, threshold, expiry date) reminded, ever. The primary key is the promise."""

    __tablename__ = "reminder_ledger"

    document_id: uuid.UUID = Field(
        sa_column=sa.Column(
            pg.UUID(as_uuid=True),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        )
    )
    threshold_days: int = Field(sa_column=sa.Column(sa.SmallInteger, primary_key=True))
    expires_on: date = Field(primary_key=True)
    digest_id: uuid.UUID | None = Field(
        default=None,
        sa_column=sa.Column(
            pg.UUID(as_uuid=True),
            sa.ForeignKey("reminder_digests.id", ondelete="SET NULL"),
            nullable=True,
        ),
    )
    sent_at: datetime = Field(
        default_factory=utcnow, sa_column=_ts(nullable=False, server_default=sa.func.now())
    )


class EmailSuppression(SQLModel, table=True):
    """Addresses that hard-bounced or complained: the planner never mails them again."""

    __tablename__ = "email_suppressions"
    __table_args__ = (
        sa.CheckConstraint(
            "reason IN ('bounce','complaint','manual')", name="email_suppressions_reason_check"
        ),
    )

    email: str = Field(primary_key=True, max_length=320)  # lower-case
    reason: str = Field(max_length=16)
    detail: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=_ts(nullable=False, server_default=sa.func.now())
    )
