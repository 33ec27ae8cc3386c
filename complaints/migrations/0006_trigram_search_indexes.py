"""Trigram indexes for the complaint list's search (docs/performance.md).

The search matches a number prefix, a run of phone digits and words of the complainant, the
description and the request with LIKE '%…%' (Django's `icontains` is `UPPER(col) LIKE
UPPER(…)`), which no b-tree can serve. pg_trgm GIN indexes on the very expressions the
queries use let PostgreSQL find the few matching rows of a million. PostgreSQL only: on
SQLite (the embedded default) the operation does nothing.
"""

from django.db import migrations

INDEXES = {
    "complaint_phone_trgm": '"phone" gin_trgm_ops',
    "complaint_number_trgm": 'UPPER("number"::text) gin_trgm_ops',
    "complaint_name_trgm": 'UPPER("complainant_name"::text) gin_trgm_ops',
    "complaint_description_trgm": 'UPPER("description"::text) gin_trgm_ops',
    "complaint_request_trgm": 'UPPER("customer_request"::text) gin_trgm_ops',
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "complaints_complaint" USING gin ({expression})'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("complaints", "0005_followup_fields")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
