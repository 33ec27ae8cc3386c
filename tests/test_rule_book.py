"""The rule book lives in the repository: every rule id cited anywhere is defined in
docs/procedure.md, and nothing points at a document outside the repository."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RULE_BOOK = ROOT / "docs" / "procedure.md"
RULE_ID = re.compile(r"\bR-[A-Z]+-[0-9]+\b")
# A definition: a line starting with the id in bold, or a list item starting with the id.
DEFINITION = re.compile(r"^(?:[-*]\s+)?(?:\*\*)?(R-[A-Z]+-[0-9]+)\b")
# Documents that are not in the repository: the team's style and design guides ("STYLE 3",
# "DESIGN: Scoping"), the rule book's old home ("SOP.md"), folders beside the checkout or
# elsewhere on the machine it was written on.
OUTSIDE = re.compile(r"\bSTYLE\b|\bDESIGN\b|\bSOP\b|\.\./shared\b|/w[o]rk/|/tmp/bash_jobs")


def tracked_files(*patterns: str) -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "-z", *patterns], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    return [ROOT / name for name in listed.split("\0") if name]


def sources() -> list[Path]:
    files = tracked_files("*.py", "*.html", "*.md")
    assert files, "git ls-files found nothing: the test runs inside the repository"
    return files


def definitions() -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for number, line in enumerate(RULE_BOOK.read_text(encoding="utf-8").splitlines(), 1):
        if match := DEFINITION.match(line):
            found.setdefault(match.group(1), []).append(number)
    return found


def test_every_cited_rule_id_is_defined_in_the_rule_book():
    defined = definitions()
    undefined = sorted(
        f"{path.relative_to(ROOT)}:{number}: {rule}"
        for path in sources()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for rule in RULE_ID.findall(line)
        if rule not in defined
    )
    assert undefined == [], "rule ids not defined in docs/procedure.md:\n" + "\n".join(undefined)


def test_each_rule_is_defined_once():
    twice = {rule: lines for rule, lines in definitions().items() if len(lines) > 1}
    assert twice == {}, f"defined on more than one line of docs/procedure.md: {twice}"
    assert len(definitions()) >= 38  # the procedure's 38 rules, not an empty page


def test_nothing_points_at_a_document_outside_the_repository():
    outside = sorted(
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sources()
        if path != Path(__file__)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OUTSIDE.search(line)
    )
    assert outside == [], "references to documents outside the repository:\n" + "\n".join(outside)
