"""Reproducible installs (threat: a release pulled in unreviewed, or swapped on the index): every
dependency of pyproject.toml is pinned in the lock files with hashes, so `make install` and CI
install exactly what was reviewed; a dependency added without `make lock` fails here, not on a
colleague's machine."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^(?P<name>[A-Za-z0-9._-]+)==(?P<version>\S+)")


def pinned(lock: str) -> dict[str, tuple[str, int]]:
    """{package: (version, number of hashes)} of a pip-compile lock file."""
    pins, current = {}, None
    for line in (ROOT / lock).read_text().splitlines():
        if match := PIN.match(line):
            current = canonicalize_name(match["name"])
            pins[current] = (match["version"], 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            version, hashes = pins[current]
            pins[current] = (version, hashes + 1)
    return pins


def declared(*, dev: bool) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + (
        project["optional-dependencies"]["dev"] if dev else []
    )
    return [Requirement(text) for text in requirements]


@pytest.mark.parametrize(
    ("lock", "dev"), [("requirements.lock", False), ("requirements-dev.lock", True)]
)
def test_every_dependency_is_locked_at_an_allowed_version_with_hashes(lock, dev):
    pins = pinned(lock)
    missing = []
    for requirement in declared(dev=dev):
        pin = pins.get(canonicalize_name(requirement.name))
        if pin is None or not requirement.specifier.contains(pin[0], prereleases=True):
            missing.append(str(requirement))
    assert not missing, f"not in {lock} at an allowed version — run `make lock`: {missing}"
    assert all(hashes for _version, hashes in pins.values()), f"{lock} has a pin without hashes"


def test_the_runtime_lock_and_the_dev_lock_agree():
    runtime, dev = pinned("requirements.lock"), pinned("requirements-dev.lock")
    assert {name: pin[0] for name, pin in runtime.items()} == {
        name: dev.get(name, ("missing",))[0] for name in runtime
    }
