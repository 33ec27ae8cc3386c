"""Write measured figures into a document between `<!-- NAME:start -->` and `<!-- NAME:end -->`."""

from pathlib import Path


def write_between(path: Path, name: str, text: str) -> None:
    """Replace what lies between the markers (appended at the end when they are missing)."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    document = path.read_text()
    if start not in document:
        document += f"\n{start}\n{end}\n"
    before, after = document.partition(start)[0], document.partition(end)[2]
    path.write_text(f"{before}{start}\n{text}\n{end}{after}")
