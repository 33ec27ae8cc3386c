"""One search text per complaint, and on PostgreSQL two GIN indexes over it.

The list's search box matches a number fragment, phone digits, the complainant, the address in
the forms the desk types, the category's name and the words of the complaint
(complaints/searchtext.py). A word of three characters or more is matched with LIKE, which a
pg_trgm GIN index on the text serves. pg_trgm cannot serve a two-character word ("噪音",
"漏水": no whole trigram), so each complaint also keeps its text's distinct two-character
pieces (`search_grams`, space-separated; white space and pairs of digits left out), and GIN
indexes them as an array: a two-character word occurs in the text exactly when it is one of
them, so `@>` alone answers it (docs/performance.md). The pieces are computed in Python, like
the text: a SQL function computing them per row made every recheck slow. The existing rows get their
text here, in batches; new ones get it when they are recorded or corrected. SQLite (the
embedded default) has the column and no index: its search reads the office's rows.
"""

from django.db import migrations, models

from complaints.searchtext import search_grams, search_text, segments

INDEXES = (
    'CREATE INDEX IF NOT EXISTS "complaint_search_bigrams" ON "complaints_complaint" '
    "USING gin (string_to_array(\"search_grams\", ' '))",
    'CREATE INDEX IF NOT EXISTS "complaint_search_trgm" ON "complaints_complaint" '
    'USING gin ("search_text" gin_trgm_ops)',
)
BATCH = 2000


def fill(apps, schema_editor):
    Complaint = apps.get_model("complaints", "Complaint")
    columns = (
        "pk", "number", "phone", "complainant_name", "building__name", "unit__name",
        "unit__building__name", "room", "address_note", "category__name", "description",
        "customer_request",
    )  # fmt: skip
    last = 0
    while True:
        rows = list(
            Complaint.objects.filter(pk__gt=last).order_by("pk").values_list(*columns)[:BATCH]
        )
        if not rows:
            break
        texts = []
        for pk, number, phone, name, building, unit, unit_building, room, note, category, what, ask in rows:  # fmt: skip  # noqa: E501
            parts = segments(
                number=number, phone=phone, complainant=name,
                building=building or unit_building or "", unit=unit or "", room=room,
                address_note=note, category=category or "", description=what, request=ask,
            )  # fmt: skip
            text = search_text(parts)
            texts.append(Complaint(pk=pk, search_text=text, search_grams=search_grams(text)))
        Complaint.objects.bulk_update(texts, ["search_text", "search_grams"])
        last = rows[-1][0]


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for index in INDEXES:
        schema_editor.execute(index)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute('DROP INDEX IF EXISTS "complaint_search_bigrams"')
    schema_editor.execute('DROP INDEX IF EXISTS "complaint_search_trgm"')


class Migration(migrations.Migration):
    dependencies = [("complaints", "0010_attachments_never_deleted")]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="search_text",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="search text"
            ),
        ),
        migrations.AddField(
            model_name="complaint",
            name="search_grams",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="search bigrams"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
