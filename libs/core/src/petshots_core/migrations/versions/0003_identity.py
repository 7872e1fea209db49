"""identity

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 11:35:43.187091
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('object_purges',
    sa.Column('storage_prefix', sa.String(length=64), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('storage_prefix')
    )
    op.create_table('local_identities',
    sa.Column('sub', sa.UUID(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('srp_salt', sa.String(length=64), nullable=False),
    sa.Column('srp_verifier', sa.String(length=800), nullable=False),
    sa.Column('email_verified', sa.Boolean(), server_default='false', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('password_changed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['sub'], ['owners.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('sub'),
    sa.UniqueConstraint('email')
    )
    op.create_table('refresh_tokens',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('sub', sa.UUID(), nullable=False),
    sa.Column('origin_jti', sa.String(length=64), nullable=False),
    sa.Column('auth_time', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['sub'], ['owners.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_hash')
    )
    op.create_index(op.f('ix_refresh_tokens_origin_jti'), 'refresh_tokens', ['origin_jti'], unique=False)
    op.create_index(op.f('ix_refresh_tokens_sub'), 'refresh_tokens', ['sub'], unique=False)
    op.create_index('refresh_tokens_expires', 'refresh_tokens', ['expires_at'], unique=False)
    op.create_table('identity_codes',
    sa.Column('sub', sa.UUID(), nullable=False),
    sa.Column('purpose', sa.String(length=16), nullable=False),
    sa.Column('code_hash', sa.LargeBinary(length=32), nullable=False),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("purpose IN ('confirm','reset')", name='identity_codes_purpose_check'),
    sa.ForeignKeyConstraint(['sub'], ['local_identities.sub'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('sub', 'purpose')
    )


def downgrade() -> None:
    op.drop_table('identity_codes')
    op.drop_index('refresh_tokens_expires', table_name='refresh_tokens')
    op.drop_index(op.f('ix_refresh_tokens_sub'), table_name='refresh_tokens')
    op.drop_index(op.f('ix_refresh_tokens_origin_jti'), table_name='refresh_tokens')
    op.drop_table('refresh_tokens')
    op.drop_table('local_identities')
    op.drop_table('object_purges')
