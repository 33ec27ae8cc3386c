"""The monthly trend's index: (office, received_at) carrying the class (issue 20, item 3).

The monthly reports' trend counts the complaints received in each of the last twelve months by
class (`reports.kpis.monthly_trend`): for a branch at 1M complaints, 64,000 rows on 57,000 heap
pages, read one by one through `complaint_office_received`. With the class and the id in the
index the count is an index-only scan of a few hundred pages (docs/performance.md). PostgreSQL
only (INCLUDE); SQLite keeps its plain scan, as for the search indexes of 0006 and 0011.
"""

from django.db import migrations

INDEX = (
    'CREATE INDEX IF NOT EXISTS "complaint_office_received_class" ON "complaints_complaint" '
    '("office_id", "received_at") INCLUDE ("classification", "id")'
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('DROP INDEX IF EXISTS "complaint_office_received_class"')


class Migration(migrations.Migration):
    dependencies = [("complaints", "0021_search_digit_grams")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
