"""passports deleted subjects

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 11:31:36.357163
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('deleted_subjects',
    sa.Column('sub', sa.Uuid(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('sub')
    )
    op.create_table('passports',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_id', sa.UUID(), nullable=False),
    sa.Column('pet_id', sa.UUID(), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('token_hash', sa.LargeBinary(length=32), nullable=False),
    sa.Column('token_sealed', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['owner_id'], ['owners.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pet_id'], ['pets.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    op.create_index('passports_owner_pet', 'passports', ['owner_id', 'pet_id'], unique=False)
    op.create_table('passport_views',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('passport_id', sa.UUID(), nullable=False),
    sa.Column('viewed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('agent_class', sa.String(length=16), nullable=False),
    sa.Column('device', sa.String(length=16), nullable=False),
    sa.Column('network', sa.String(length=64), nullable=True),
    sa.CheckConstraint("agent_class IN ('browser','link_preview','other')", name='passport_views_agent_check'),
    sa.ForeignKeyConstraint(['passport_id'], ['passports.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('passport_views_passport_time', 'passport_views', ['passport_id', 'viewed_at'], unique=False)
    op.create_index('passport_views_time', 'passport_views', ['viewed_at'], unique=False)


def downgrade() -> None:
    op.drop_index('passport_views_time', table_name='passport_views')
    op.drop_index('passport_views_passport_time', table_name='passport_views')
    op.drop_table('passport_views')
    op.drop_index('passports_owner_pet', table_name='passports')
    op.drop_table('passports')
    op.drop_table('deleted_subjects')
