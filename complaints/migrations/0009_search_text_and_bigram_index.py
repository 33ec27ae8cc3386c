"""One search text per complaint, and on PostgreSQL a GIN index of its character bigrams.

The list's search box matches a number fragment, phone digits, the complainant, the address in
the forms the desk types, the category's name and the words of the complaint
(complaints/searchtext.py). pg_trgm cannot serve a two-character word ("噪音", "漏水": no whole
trigram), so `complaint_bigrams(search_text)` — the text's distinct two-character pieces, white
space left out — is indexed with GIN; the query asks for every bigram of each word
(`@>`) and checks the word itself with LIKE (docs/performance.md). The existing rows get their
text here, in batches; new ones get it when they are recorded or corrected. SQLite (the
embedded default) has the column and no index: its search reads the office's rows.
"""

from django.db import migrations, models

from complaints.searchtext import search_text, segments

BIGRAMS = """
CREATE OR REPLACE FUNCTION complaint_bigrams(text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT gram), '{}')
    FROM (SELECT substr($1, i, 2) AS gram FROM generate_series(1, length($1) - 1) AS i) AS grams
    WHERE gram !~ '\\s'
$$
"""
INDEX = (
    'CREATE INDEX IF NOT EXISTS "complaint_search_bigrams" ON "complaints_complaint" '
    'USING gin (complaint_bigrams("search_text"))'
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
            texts.append(Complaint(pk=pk, search_text=search_text(parts)))
        Complaint.objects.bulk_update(texts, ["search_text"])
        last = rows[-1][0]


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(BIGRAMS)
    schema_editor.execute(INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute('DROP INDEX IF EXISTS "complaint_search_bigrams"')
    schema_editor.execute("DROP FUNCTION IF EXISTS complaint_bigrams(text)")


class Migration(migrations.Migration):
    dependencies = [("complaints", "0008_timeline_append_only")]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="search_text",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="search text"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
