"""owners pets documents

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-27 11:25:35.242906
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('owners',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('timezone', sa.String(length=64), server_default='UTC', nullable=False),
    sa.Column('due_soon_days', sa.Integer(), server_default='30', nullable=False),
    sa.Column('reminders_enabled', sa.Boolean(), server_default='true', nullable=False),
    sa.Column('reminder_thresholds_days', postgresql.ARRAY(sa.SmallInteger()), server_default=sa.text("'{60,30,7,0}'::smallint[]"), nullable=False),
    sa.Column('storage_prefix', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('storage_prefix')
    )
    op.create_table('pets',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_id', sa.UUID(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('species', sa.String(length=16), nullable=False),
    sa.Column('breed', sa.String(length=80), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('photo_key', sa.String(length=300), nullable=True),
    sa.Column('photo_content_type', sa.String(length=64), nullable=True),
    sa.Column('photo_upload_key', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("species IN ('dog','cat','other')", name='pets_species_check'),
    sa.ForeignKeyConstraint(['owner_id'], ['owners.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_pets_owner_id'), 'pets', ['owner_id'], unique=False)
    op.create_table('documents',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_id', sa.UUID(), nullable=False),
    sa.Column('pet_id', sa.UUID(), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('given_on', sa.Date(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('object_key', sa.String(length=300), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('pinned', sa.Boolean(), server_default='false', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("state IN ('pending','ready')", name='documents_state_check'),
    sa.ForeignKeyConstraint(['owner_id'], ['owners.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pet_id'], ['pets.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('object_key')
    )
    op.create_index('documents_one_pinned_per_pet', 'documents', ['pet_id'], unique=True, postgresql_where=sa.text('pinned'))
    op.create_index('documents_pending_created', 'documents', ['created_at'], unique=False, postgresql_where=sa.text("state = 'pending'"))
    op.create_index('documents_pet_created', 'documents', ['pet_id', 'created_at'], unique=False)
    op.create_index('documents_ready_expiry', 'documents', ['expires_on', 'owner_id'], unique=False, postgresql_where=sa.text("state = 'ready' AND expires_on IS NOT NULL"))
    op.create_index(op.f('ix_documents_owner_id'), 'documents', ['owner_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_documents_owner_id'), table_name='documents')
    op.drop_index('documents_ready_expiry', table_name='documents', postgresql_where=sa.text("state = 'ready' AND expires_on IS NOT NULL"))
    op.drop_index('documents_pet_created', table_name='documents')
    op.drop_index('documents_pending_created', table_name='documents', postgresql_where=sa.text("state = 'pending'"))
    op.drop_index('documents_one_pinned_per_pet', table_name='documents', postgresql_where=sa.text('pinned'))
    op.drop_table('documents')
    op.drop_index(op.f('ix_pets_owner_id'), table_name='pets')
    op.drop_table('pets')
    op.drop_table('owners')
