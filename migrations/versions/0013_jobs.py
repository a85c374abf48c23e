"""one table of background jobs

Revision ID: 0013_jobs
Revises: 0012_studio_revisions
Create Date: 2026-12-01 18:00:00

Every piece of work that runs later (an application's upstream call, a preview interview, an
e-mail, a result check) becomes a row of ``jobs``; the subjects keep their domain state and lose
their private lease and retry columns. Waiting and running work is carried over as it stood.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_jobs'
down_revision = '0012_studio_revisions'
branch_labels = None
depends_on = None

_ACTIVE = sa.text("state IN ('pending', 'running')")

# (kind, table, its state column's waiting and running values, run-at column, deadline column)
_SUBJECTS = (
    ('upstream_create', 'applications', 'job_state', 'pending', 'in_flight', 'next_attempt_at', 'retry_deadline'),
    ('preview_interview', 'preview_interviews', 'job_state', 'pending', 'in_flight', 'next_attempt_at', 'retry_deadline'),
    ('mail', 'outbox', 'state', 'pending', 'sending', 'next_attempt_at', None),
    ('result_check', 'result_checks', 'state', 'pending', 'in_flight', 'next_check_at', None),
)
_DROPPED = {
    'applications': ('next_attempt_at', 'lease_owner', 'lease_expires_at', 'retry_deadline'),
    'preview_interviews': ('next_attempt_at', 'lease_owner', 'lease_expires_at', 'retry_deadline'),
    'outbox': ('next_attempt_at', 'lease_owner', 'lease_expires_at'),
    'result_checks': ('next_check_at', 'lease_owner', 'lease_expires_at'),
}
_INDEXES = {
    'applications': ('ix_applications_next_attempt_at',),
    'outbox': ('ix_outbox_due',),
    'result_checks': ('ix_result_checks_due',),
}


def upgrade():
    op.create_table(
        'jobs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('run_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('lease_owner', sa.String(length=128), nullable=True),
        sa.Column('lease_expires_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('deadline', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs')),
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index('ix_jobs_due', ['state', 'run_at'], unique=False)
        batch_op.create_index('ix_jobs_lease', ['state', 'lease_expires_at'], unique=False)
        batch_op.create_index('ix_jobs_subject', ['kind', 'subject_id'], unique=False)
        batch_op.create_index(
            'uq_jobs_active', ['kind', 'subject_id'], unique=True,
            sqlite_where=_ACTIVE, postgresql_where=_ACTIVE,
        )

    for kind, table, state, waiting, running, run_at, deadline in _SUBJECTS:
        op.execute(
            f"INSERT INTO jobs (kind, subject_id, state, run_at, attempts, lease_owner, "
            f"lease_expires_at, deadline, last_error, created_at, updated_at) "
            f"SELECT '{kind}', id, CASE WHEN {state} = '{running}' THEN 'running' ELSE 'pending' END, "
            f"{run_at}, {'attempts' if table != 'result_checks' else 'checks'}, "
            f"CASE WHEN {state} = '{running}' THEN lease_owner END, "
            f"CASE WHEN {state} = '{running}' THEN lease_expires_at END, "
            f"{deadline or 'NULL'}, last_error, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP "
            f"FROM {table} WHERE {state} IN ('{waiting}', '{running}')"
        )

    # Plain drops (SQLite 3.35+ has DROP COLUMN): a batch copy would rebuild the applications
    # table and its partial unique index, which nothing here needs.
    for table, columns in _DROPPED.items():
        for index in _INDEXES.get(table, ()):
            op.drop_index(index, table_name=table)
        for column in columns:
            op.drop_column(table, column)


def downgrade():
    now = sa.func.current_timestamp()
    for table, columns in _DROPPED.items():
        for column in columns:
            if column in ('lease_owner',):
                op.add_column(table, sa.Column(column, sa.String(length=128), nullable=True))
            elif column in ('next_attempt_at', 'next_check_at'):
                op.add_column(
                    table,
                    sa.Column(column, sa.DateTime(timezone=True), nullable=False, server_default=now),
                )
            else:
                op.add_column(table, sa.Column(column, sa.DateTime(timezone=True), nullable=True))
    op.create_index('ix_applications_next_attempt_at', 'applications', ['next_attempt_at'])
    op.create_index('ix_outbox_due', 'outbox', ['state', 'next_attempt_at'])
    op.create_index('ix_result_checks_due', 'result_checks', ['state', 'next_check_at'])
    for kind, table, _state, _waiting, _running, run_at, _deadline in _SUBJECTS:
        op.execute(
            f"UPDATE {table} SET {run_at} = (SELECT run_at FROM jobs WHERE jobs.kind = '{kind}' "
            f"AND jobs.subject_id = {table}.id AND jobs.state IN ('pending', 'running')) "
            f"WHERE EXISTS (SELECT 1 FROM jobs WHERE jobs.kind = '{kind}' "
            f"AND jobs.subject_id = {table}.id AND jobs.state IN ('pending', 'running'))"
        )
    op.drop_table('jobs')
