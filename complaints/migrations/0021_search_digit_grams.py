"""The six-character pieces of the search text's digit runs join its bigrams (issue 20, item 1).

Every complaint number shares the trigrams of its year and month ("202", "026", "612", "-00"),
so pg_trgm answered a number fragment ("202612-0012") by reading posting lists that span the
whole table. `searchtext.search_grams` now also keeps, for each run of digits and dashes of
six characters or more (the number, the phone's digits, "2-1-703"), its six-character pieces;
the bigram index (`complaint_search_bigrams`, migration 0011) serves them unchanged, and a
fragment of six or more is a handful of keys that few rows hold (docs/performance.md).

The existing rows get their pieces here. On PostgreSQL one UPDATE computes them with the
same rule (maximal runs of `[0-9-]`, every six-character window, merged with the bigrams and
sorted by code point, as Python's `sorted`), with the index dropped during the rewrite and built
again after it; elsewhere (SQLite) the rows are recomputed in Python, in batches.
"""

from django.db import migrations

from complaints.searchtext import search_grams

BATCH = 2000

UPDATE = r"""
UPDATE "complaints_complaint" SET "search_grams" = COALESCE((
    SELECT string_agg(gram, ' ' ORDER BY gram COLLATE "C") FROM (
        SELECT unnest(string_to_array(NULLIF("search_grams", ''), ' ')) AS gram
        UNION
        SELECT substr(run[1], i, 6)
        FROM regexp_matches("search_text", '[0-9-]{6,}', 'g') AS run,
             generate_series(1, length(run[1]) - 5) AS i
    ) AS grams
), '')
WHERE "search_text" ~ '[0-9-]{6}'
"""
INDEX = (
    'CREATE INDEX IF NOT EXISTS "complaint_search_bigrams" ON "complaints_complaint" '
    "USING gin (string_to_array(\"search_grams\", ' '))"
)


def fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('DROP INDEX IF EXISTS "complaint_search_bigrams"')
        schema_editor.execute(UPDATE)
        schema_editor.execute(INDEX)
        return
    Complaint = apps.get_model("complaints", "Complaint")
    last = 0
    while True:
        rows = list(
            Complaint.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "search_text")[:BATCH]
        )
        if not rows:
            break
        Complaint.objects.bulk_update(
            [Complaint(pk=pk, search_grams=search_grams(text)) for pk, text in rows],
            ["search_grams"],
        )
        last = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [("complaints", "0020_community_page_complaints")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=False)]
