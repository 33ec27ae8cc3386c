"""What the search box matches: a complaint's search text, and a query's terms.

Pure rules, no ORM. A complaint carries one search text
(`Complaint.search_text`, written when it is recorded or corrected): its number, its phone as
digits, the complainant, the address in the forms the desk types ("703", "2栋703", "2栋1单元703",
"2-1-703"), the category's name, and the words of the description and the request — one segment
each, in that order, one per line, in NFKC lower case (full-width digits and capitals match).
A query is split on spaces; a complaint matches when every word occurs in its search text.
On PostgreSQL a GIN index over the text's character bigrams finds the candidates, two-character
Chinese words included (migration complaints 0011, docs/performance.md); the same index keeps the
six-character pieces of the text's runs of digits and dashes, so that a fragment of a number or
a phone ("202612-0012", "138001") is a few exact keys, not the trigrams every number shares
(migration complaints 0019)."""

import re
import unicodedata
from dataclasses import dataclass

# The segments of the search text, in order; "what matched" names them.
SEGMENTS = ("number", "phone", "complainant", "address", "category", "description", "request")
MIN_PHONE_DIGITS = 4
_PHONE_TYPED = re.compile(r"[\d\s+()\-]+")
_NUMBER_PART = re.compile(r"(?:[a-z0-9]+-)?\d{6}-\d{1,4}")  # "202612-0001": not a phone


def fold(text: str) -> str:
    """NFKC, lower case, one space for any run of white space (so no segment spans lines)."""
    return " ".join(unicodedata.normalize("NFKC", text or "").lower().split())


def national_digits(phone: str) -> str:
    """`+8613800138000` → `13800138000`: the digits as the desk reads them out."""
    digits = re.sub(r"\D", "", phone or "")
    return digits[2:] if (phone or "").startswith("+86") else digits


def _code(name: str) -> str:
    """The letters and digits of a building's or unit's name: "2栋" → "2", "A座" → "a"."""
    return "".join(re.findall(r"[0-9a-z]+", fold(name)))


def address_forms(*, building: str, unit: str, room: str, note: str) -> list[str]:
    """The address as people type it: "2栋1单元703", "2栋703", "2-1-703", "2-703", "703"."""
    building, unit, room, note = fold(building), fold(unit), fold(room), fold(note)
    forms = [building + unit + room, building + room]
    codes = [code for code in (_code(building), _code(unit), room) if code]
    forms.append("-".join(codes))
    if unit and _code(building) and room:
        forms.append(f"{_code(building)}-{room}")
    forms += [room, note]
    return list(dict.fromkeys(form for form in forms if form))


def segments(
    *,
    number: str,
    phone: str,
    complainant: str,
    building: str,
    unit: str,
    room: str,
    address_note: str,
    category: str,
    description: str,
    request: str,
) -> dict[str, str]:
    """Each segment of the search text, by the name "what matched" shows."""
    address = address_forms(building=building, unit=unit, room=room, note=address_note)
    return {
        "number": fold(number),
        "phone": national_digits(phone),
        "complainant": fold(complainant),
        "address": " ".join(address),
        "category": fold(category),
        "description": fold(description),
        "request": fold(request),
    }


def search_text(parts: dict[str, str]) -> str:
    return "\n".join(parts[name] for name in SEGMENTS)


_NOT_INDEXED = re.compile(r"[\s\d+\-]{2}|.?\s.?")


def indexed(gram: str) -> bool:
    """Whether a two-character piece is kept: not white space, not two digits or dashes (a
    two-digit search is no search; leaving them out keeps the column small)."""
    return len(gram) == 2 and not _NOT_INDEXED.fullmatch(gram)


DIGIT_GRAM = 6
_DIGIT_RUN = re.compile(rf"[0-9-]{{{DIGIT_GRAM},}}")


def digit_grams(text: str) -> list[str]:
    """The distinct six-character pieces of the runs of digits and dashes of `text` that are
    at least six long, sorted. A word holding such a run ("202612-0012", "o162-202612") can
    occur in a text only where the text holds all of that run's pieces: they are the word's
    keys in the index (a run of digits is never cut by a letter or a space in the text)."""
    runs = _DIGIT_RUN.findall(text)
    grams = {run[i : i + DIGIT_GRAM] for run in runs for i in range(len(run) - DIGIT_GRAM + 1)}
    return sorted(grams)


def search_grams(text: str) -> str:
    """The text's distinct indexed two-character pieces and the six-character pieces of its
    digit runs (`digit_grams`), space-separated, for PostgreSQL's GIN index: an indexed
    two-character word occurs in the text exactly when it is one of them."""
    grams = {text[i : i + 2] for i in range(len(text) - 1)}
    grams = {gram for gram in grams if indexed(gram)} | set(digit_grams(text))
    return " ".join(sorted(grams))


@dataclass(frozen=True)
class Query:
    words: tuple[str, ...]  # each must occur in the search text
    digits: str  # a phone typed with spaces or dashes, as one run of digits ("" if none)

    @property
    def empty(self) -> bool:
        return not self.words


def parse(text: str) -> Query:
    words = tuple(dict.fromkeys(fold(text).split()))
    typed = fold(text)
    digits = ""
    if _PHONE_TYPED.fullmatch(typed) and not (typed.isdigit() or _NUMBER_PART.fullmatch(typed)):
        digits = national_digits(re.sub(r"[^\d+]", "", typed))
        digits = digits if len(digits) >= MIN_PHONE_DIGITS else ""
    return Query(words=words, digits=digits)


def matched(parts: dict[str, str], query: Query) -> list[str]:
    """The segments where a word of the query (or its phone digits) occurs, in order."""
    found = [name for name in SEGMENTS if any(word in parts[name] for word in query.words)]
    if query.digits and query.digits in parts["phone"] and "phone" not in found:
        found.insert(1 if "number" in found else 0, "phone")
    return found
