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
