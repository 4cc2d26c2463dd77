"""claims keep every verdict when joined (issue #9)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 10:00:00

``claim.verdicts_disagree``: the verdicts of claims an editor's story merge
joined, when they differ; ``claim.merged_into``: the claim a joined claim
now lives in (its history is read with the survivor's).
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verdicts_disagree', sa.JSON(none_as_null=True), nullable=True))
        batch_op.add_column(sa.Column('merged_into', sa.String(length=40), nullable=True))
        batch_op.create_index(batch_op.f('ix_claim_merged_into'), ['merged_into'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_merged_into'))
        batch_op.drop_column('merged_into')
        batch_op.drop_column('verdicts_disagree')
