"""Attachments are part of the record: on PostgreSQL a row trigger refuses every DELETE of an
attachment row, whoever runs it, like the timeline's (0008). Withdrawing a file is an UPDATE
(`complaints.attachments.withdraw_attachment`). A future retention job says so in its own
transaction: `SET LOCAL desk.attachment_retention = 'on'` (docs/operations.md, Attachments).
"""

from django.db import migrations

POSTGRESQL_FORWARD = [
    """
CREATE FUNCTION complaints_attachment_never_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('desk.attachment_retention', true), '') = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'attachments are never deleted, only withdrawn: DELETE of % refused', OLD.id
        USING ERRCODE = 'restrict_violation';
END
$$
""",
    """
CREATE TRIGGER complaints_attachment_never_deleted
    BEFORE DELETE ON complaints_attachment
    FOR EACH ROW EXECUTE FUNCTION complaints_attachment_never_deleted()
""",
]
POSTGRESQL_BACKWARD = [
    "DROP TRIGGER IF EXISTS complaints_attachment_never_deleted ON complaints_attachment",
    "DROP FUNCTION IF EXISTS complaints_attachment_never_deleted()",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL_FORWARD:
            schema_editor.execute(statement, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL_BACKWARD:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0009_attachments"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
