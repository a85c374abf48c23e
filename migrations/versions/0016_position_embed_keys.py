"""positions: the embed signing key held per position, and its rotations

Revision ID: 0016_position_embed_keys
Revises: 0015_sections
Create Date: 2026-12-01 20:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_position_embed_keys'
down_revision = '0015_sections'
branch_labels = None
depends_on = None

# The newest application of the position that holds a key: every application of a position was
# answered with the same upstream key, and the newest answer is the one that counts.
_NEWEST = (
    "SELECT a.{column} FROM applications a "
    "WHERE a.position_id = positions.id AND a.embed_signing_key_encrypted IS NOT NULL "
    "ORDER BY a.created_at DESC, a.id DESC LIMIT 1"
)


def upgrade():
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('embed_id', sa.String(length=255), nullable=True))
        batch_op.add_column(
            sa.Column('embed_signing_key_encrypted', sa.LargeBinary(), nullable=True)
        )
        batch_op.add_column(
            sa.Column('embed_key_version', sa.Integer(), nullable=False, server_default='0')
        )
        batch_op.add_column(
            sa.Column('embed_key_changed_at', sa.DateTime(timezone=True), nullable=True)
        )
    op.create_table(
        'position_key_rotations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('position_id', sa.Integer(), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=True),
        sa.Column('requested_by_email', sa.String(length=254), nullable=False),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('in_progress', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('disabled_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['position_id'], ['positions.id'],
            name=op.f('fk_position_key_rotations_position_id_positions'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['requested_by_id'], ['users.id'],
            name=op.f('fk_position_key_rotations_requested_by_id_users'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_position_key_rotations')),
    )
    with op.batch_alter_table('position_key_rotations', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_position_key_rotations_position_id'), ['position_id'], unique=False
        )
        batch_op.create_index(
            batch_op.f('ix_position_key_rotations_state'), ['state'], unique=False
        )
    # Today's per-application copies move onto their positions. The application columns stay
    # (readable by the previous release while it still runs); the new code neither writes nor
    # signs with them.
    op.execute(
        "UPDATE positions SET "
        f"embed_id = ({_NEWEST.format(column='embed_id')}), "
        f"embed_signing_key_encrypted = ({_NEWEST.format(column='embed_signing_key_encrypted')}), "
        "embed_key_version = 1 "
        "WHERE EXISTS (SELECT 1 FROM applications a WHERE a.position_id = positions.id "
        "AND a.embed_signing_key_encrypted IS NOT NULL)"
    )


def downgrade():
    with op.batch_alter_table('position_key_rotations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_position_key_rotations_state'))
        batch_op.drop_index(batch_op.f('ix_position_key_rotations_position_id'))
    op.drop_table('position_key_rotations')
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.drop_column('embed_key_changed_at')
        batch_op.drop_column('embed_key_version')
        batch_op.drop_column('embed_signing_key_encrypted')
        batch_op.drop_column('embed_id')
