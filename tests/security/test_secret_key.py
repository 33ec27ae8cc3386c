"""No usable secret ships with the desk.

Threat: a secret key that anyone can read (the compose file's old fallback, the development
key) or guess (a short one) lets an outsider sign a session cookie for any user, the
superuser included, and `check --deploy` does not notice when the key is long enough.
"""

import re
from pathlib import Path

import pytest

from config.startup import PUBLISHED_KEYS
from tests.config.test_settings import PRODUCTION, run

ROOT = Path(__file__).resolve().parents[2]
IMPORT_SETTINGS = "import django; django.setup()"


@pytest.mark.parametrize(
    "key",
    [
        *sorted(PUBLISHED_KEYS),
        "django-insecure-" + "x1y2z3" * 10,  # startproject's development key
        "bench-only-not-secret",  # short
        "ab" * 40,  # long, but two different characters
    ],
)
def test_production_settings_refuse_a_published_or_guessable_key(key):
    """Threat: a forged session cookie signed with a key the attacker knows or guesses."""
    result = run(IMPORT_SETTINGS, **PRODUCTION | {"SECRET_KEY": key})
    assert result.returncode != 0
    assert "SECRET_KEY is not safe for production" in result.stderr


def test_the_old_compose_fallback_is_refused_although_the_deploy_check_passes_it():
    """Threat: `check --deploy` alone accepted the public fallback key (long, varied)."""
    fallback = "change-me-to-a-long-random-string-before-any-real-use-0123456789"
    result = run(["manage.py", "check", "--deploy"], **PRODUCTION | {"SECRET_KEY": fallback})
    assert result.returncode != 0
    assert "published in the desk's repository" in result.stderr


def test_a_long_random_key_is_accepted_in_production():
    """The sanity case: a real key starts the web server."""
    assert run("import config.wsgi", **PRODUCTION).returncode == 0


def test_development_keeps_its_built_in_key():
    """The development profile (DEBUG on) still runs on its built-in key, never in production."""
    assert run(IMPORT_SETTINGS, DEBUG="true").returncode == 0


def test_docker_compose_has_no_fallback_key_and_refuses_to_start_without_one():
    """Threat: `docker compose up` without a key ran with a key published in the repository."""
    compose = (ROOT / "docker-compose.yml").read_text()
    keys = re.findall(r"^\s*SECRET_KEY:\s*(.+)$", compose, flags=re.MULTILINE)
    assert keys, "docker-compose.yml no longer sets SECRET_KEY"
    for value in keys:
        # ${VAR:?message} makes compose stop with the message when VAR is unset or empty.
        assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]+\}", value.strip()), value
    for published in PUBLISHED_KEYS:
        assert published not in compose
