"""reminders: digests, the ledger, suppressions, and the next-reminder date kept by triggers

The planner must be a range scan, not a walk over every owner: each ready record carries
``next_remind_on`` = expiry minus the largest threshold not yet in the ledger. Triggers keep it
right whichever service writes (records edits an expiry, auth changes thresholds); the worker
recomputes it in the transaction that writes the ledger.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 11:44:25.465184
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

NEXT_REMIND_FUNCTION = """
CREATE FUNCTION petshots_next_remind_on(doc uuid, expires date, thresholds smallint[])
RETURNS date LANGUAGE sql STABLE AS $$
  SELECT expires - max(t)::int
  FROM unnest(thresholds) AS t
  WHERE expires IS NOT NULL
    AND NOT EXISTS (
      SELECT 1 FROM reminder_ledger l
      WHERE l.document_id = doc AND l.threshold_days = t AND l.expires_on = expires
    )
$$
"""

DOCUMENTS_TRIGGER_FUNCTION = """
CREATE FUNCTION petshots_documents_next_remind() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.state = 'ready' AND NEW.expires_on IS NOT NULL THEN
    NEW.next_remind_on := petshots_next_remind_on(
      NEW.id, NEW.expires_on,
      (SELECT reminder_thresholds_days FROM owners WHERE id = NEW.owner_id));
  ELSE
    NEW.next_remind_on := NULL;
  END IF;
  RETURN NEW;
END
$$
"""

OWNERS_TRIGGER_FUNCTION = """
CREATE FUNCTION petshots_owner_thresholds_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE documents d
  SET next_remind_on = petshots_next_remind_on(d.id, d.expires_on, NEW.reminder_thresholds_days)
  WHERE d.owner_id = NEW.id AND d.state = 'ready' AND d.expires_on IS NOT NULL;
  RETURN NULL;
END
$$
"""

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('email_suppressions',
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('detail', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("reason IN ('bounce','complaint','manual')", name='email_suppressions_reason_check'),
    sa.PrimaryKeyConstraint('email')
    )
    op.create_table('reminder_digests',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_id', sa.UUID(), nullable=False),
    sa.Column('run_date', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('items', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('message_id', sa.String(length=255), nullable=True),
    sa.Column('provider_id', sa.String(length=255), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("state IN ('pending','sending','sent','uncertain','empty','failed')", name='reminder_digests_state_check'),
    sa.ForeignKeyConstraint(['owner_id'], ['owners.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('owner_id', 'run_date', name='reminder_digests_owner_day')
    )
    op.create_index('reminder_digests_run_date', 'reminder_digests', ['run_date', 'state'], unique=False)
    op.create_table('reminder_ledger',
    sa.Column('document_id', sa.UUID(), nullable=False),
    sa.Column('threshold_days', sa.SmallInteger(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.Column('digest_id', sa.UUID(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['digest_id'], ['reminder_digests.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id', 'threshold_days', 'expires_on')
    )
    op.add_column('documents', sa.Column('next_remind_on', sa.Date(), nullable=True))
    op.create_index('documents_next_remind', 'documents', ['next_remind_on'], unique=False, postgresql_where=sa.text('next_remind_on IS NOT NULL'))
    op.execute(NEXT_REMIND_FUNCTION)
    op.execute(DOCUMENTS_TRIGGER_FUNCTION)
    op.execute(OWNERS_TRIGGER_FUNCTION)
    op.execute(
        "CREATE TRIGGER documents_next_remind BEFORE INSERT OR UPDATE OF expires_on, state"
        " ON documents FOR EACH ROW EXECUTE FUNCTION petshots_documents_next_remind()"
    )
    op.execute(
        "CREATE TRIGGER owners_thresholds_changed AFTER UPDATE OF reminder_thresholds_days"
        " ON owners FOR EACH ROW"
        " WHEN (OLD.reminder_thresholds_days IS DISTINCT FROM NEW.reminder_thresholds_days)"
        " EXECUTE FUNCTION petshots_owner_thresholds_changed()"
    )
    op.execute(
        "UPDATE documents d SET next_remind_on = petshots_next_remind_on("
        "d.id, d.expires_on, o.reminder_thresholds_days)"
        " FROM owners o WHERE o.id = d.owner_id AND d.state = 'ready'"
        " AND d.expires_on IS NOT NULL"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER owners_thresholds_changed ON owners")
    op.execute("DROP TRIGGER documents_next_remind ON documents")
    op.execute("DROP FUNCTION petshots_owner_thresholds_changed()")
    op.execute("DROP FUNCTION petshots_documents_next_remind()")
    op.execute("DROP FUNCTION petshots_next_remind_on(uuid, date, smallint[])")
    op.drop_index('documents_next_remind', table_name='documents', postgresql_where=sa.text('next_remind_on IS NOT NULL'))
    op.drop_column('documents', 'next_remind_on')
    op.drop_table('reminder_ledger')
    op.drop_index('reminder_digests_run_date', table_name='reminder_digests')
    op.drop_table('reminder_digests')
    op.drop_table('email_suppressions')
