"""Settings come from the environment; each combination is read in a fresh interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"], "name": str(db["NAME"]), "host": db.get("HOST", ""),
    "broker": settings.CELERY_BROKER_URL, "backend": settings.CELERY_RESULT_BACKEND,
    "language": settings.LANGUAGE_CODE, "languages": [c for c, _ in settings.LANGUAGES],
    "time_zone": settings.TIME_ZONE, "use_tz": settings.USE_TZ,
    "email": settings.EMAIL_BACKEND, "debug": settings.DEBUG,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT, "hsts": settings.SECURE_HSTS_SECONDS,
    "allowed_hosts": settings.ALLOWED_HOSTS,
}))
"""
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k7#Qz!p2R9vLx@4mN8wT0bY6cJ1hF5dS3gA-prod-like-secret-for-the-deploy-check",
    "ALLOWED_HOSTS": "desk.example.com",
}


def run(code_or_args, **env):
    """Run python in a clean environment holding only `env` (plus PATH/HOME)."""
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    base["DJANGO_SETTINGS_MODULE"] = "config.settings"
    args = ["-c", code_or_args] if isinstance(code_or_args, str) else code_or_args
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True
    )


def settings_with(**env) -> dict:
    result = run(PROBE, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_embedded_defaults_need_no_server():
    s = settings_with(DEBUG="true")
    assert s["engine"] == "django.db.backends.sqlite3"
    assert s["name"] == str(ROOT / "var" / "db.sqlite3")
    assert s["broker"] == "filesystem://localhost/"
    assert s["backend"] is None
    assert s["email"] == "django.core.mail.backends.console.EmailBackend"


def test_chinese_by_default_with_english_available_in_shanghai_time():
    s = settings_with(DEBUG="true")
    assert s["language"] == "zh-hans"
    assert s["languages"] == ["zh-hans", "en"]
    assert s["time_zone"] == "Asia/Shanghai"
    assert s["use_tz"] is True


def test_database_url_and_redis_url_switch_to_postgresql_and_redis():
    s = settings_with(
        DEBUG="true",
        DATABASE_URL="postgres://desk:pw@db.internal:5432/desk",
        REDIS_URL="redis://cache.internal:6379/0",
    )
    assert s["engine"] == "django.db.backends.postgresql"
    assert (s["host"], s["name"]) == ("db.internal", "desk")
    assert s["broker"] == "redis://cache.internal:6379/0"
    assert s["backend"] == "redis://cache.internal:6379/0"


def test_celery_broker_url_wins_over_redis_url():
    s = settings_with(
        DEBUG="true", REDIS_URL="redis://cache:6379/0", CELERY_BROKER_URL="redis://broker:6379/1"
    )
    assert s["broker"] == "redis://broker:6379/1"


def test_email_url_names_an_smtp_server():
    s = settings_with(DEBUG="true", EMAIL_URL="smtp+tls://desk:pw@mail.internal:587")
    assert s["email"] == "django.core.mail.backends.smtp.EmailBackend"


def test_the_web_server_refuses_to_start_without_a_secret_key():
    result = run("import config.wsgi", DEBUG="false", ALLOWED_HOSTS="desk.example.com")
    assert result.returncode != 0
    assert "The SECRET_KEY setting must not be empty" in result.stderr


def test_the_web_server_starts_with_a_secret_key():
    assert run("import config.wsgi", **PRODUCTION).returncode == 0


def test_migrations_can_be_checked_without_any_environment():
    result = run(["manage.py", "makemigrations", "--check", "--dry-run"])
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_defaults_are_strict():
    s = settings_with(**PRODUCTION)
    assert s["debug"] is False
    assert s["ssl_redirect"] is True
    assert s["hsts"] >= 31_536_000
    assert s["allowed_hosts"] == ["desk.example.com"]


def test_https_settings_can_be_relaxed_behind_a_plain_http_intranet():
    s = settings_with(**PRODUCTION, SECURE_SSL_REDIRECT="false", SECURE_HSTS_SECONDS="0")
    assert s["ssl_redirect"] is False
    assert s["hsts"] == 0


@pytest.mark.parametrize("database_url", ["", "postgres://postgres@127.0.0.1:5432/postgres"])
def test_check_deploy_passes_in_production(database_url):
    env = dict(PRODUCTION, DATABASE_URL=database_url) if database_url else PRODUCTION
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
