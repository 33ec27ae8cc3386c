"""The complaint timeline is append-only in the database itself (issue #7, audit).

On PostgreSQL a row trigger refuses every UPDATE and DELETE of a complaint event, whoever
runs it (the ORM, the admin, a psql session). The one way through is a retention job that
says so inside its own transaction: `SET LOCAL desk.timeline_retention = 'on'` lets it
DELETE (never UPDATE). TRUNCATE, used by the test runner's flush, fires no row trigger.

On SQLite (the embedded development database) only UPDATE is refused: its flush deletes
rows one by one and SQLite has no session setting to let a retention job through.
"""

from django.db import migrations

POSTGRESQL_FORWARD = [
    """
CREATE FUNCTION complaints_event_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND coalesce(current_setting('desk.timeline_retention', true), '') = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the complaint timeline is append-only: % of event % refused',
        TG_OP, OLD.id
        USING ERRCODE = 'restrict_violation';
END
$$
""",
    """
CREATE TRIGGER complaints_event_append_only
    BEFORE UPDATE OR DELETE ON complaints_complaintevent
    FOR EACH ROW EXECUTE FUNCTION complaints_event_append_only()
""",
]
POSTGRESQL_BACKWARD = [
    "DROP TRIGGER IF EXISTS complaints_event_append_only ON complaints_complaintevent",
    "DROP FUNCTION IF EXISTS complaints_event_append_only()",
]
SQLITE_FORWARD = [
    """
CREATE TRIGGER complaints_event_append_only
    BEFORE UPDATE ON complaints_complaintevent
BEGIN
    SELECT RAISE(ABORT, 'the complaint timeline is append-only: UPDATE refused');
END
""",
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS complaints_event_append_only"]


def run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)  # no %-interpolation of the body

    return operation


forward = run({"postgresql": POSTGRESQL_FORWARD, "sqlite": SQLITE_FORWARD})
backward = run({"postgresql": POSTGRESQL_BACKWARD, "sqlite": SQLITE_BACKWARD})


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0007_newest_first_index"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
