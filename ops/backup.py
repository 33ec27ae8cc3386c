"""Back up the desk and restore it into a fresh database (docs/operations.md, Back up).

    python -m ops.backup [--to var/backups] [--media DIR]     # make backup
    python -m ops.restore BACKUP [--media DIR]                # make restore BACKUP=...

A backup is one folder `var/backups/<UTC timestamp>/`:

- `database.dump` — `pg_dump --format=custom` of DATABASE_URL (PostgreSQL), or
  `database.sqlite3` — a copy through SQLite's online backup API (the embedded database);
- `media.tar` — the media folder (`MEDIA_ROOT`, else `var/media`; an empty archive when it does
  not exist yet);
- `manifest.json` — when, from which engine, the complaint count, the last migration of each
  app, and each file's SHA-256, checked again before a restore.

A restore goes into a *fresh* database only: the one DATABASE_URL names, created when missing,
refused when it already has tables (a restore never merges into live data). The media go into
an empty (or missing) media folder. The dump carries the tables' sequences, triggers (the
timeline's append-only trigger) and constraints, so the restored desk numbers on where the
backup left off.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path

DUMP, SQLITE_COPY, MEDIA, MANIFEST = (
    "database.dump",
    "database.sqlite3",
    "media.tar",
    "manifest.json",
)


def setup_django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()


def media_root() -> Path:
    from django.conf import settings

    return Path(settings.MEDIA_ROOT) if settings.MEDIA_ROOT else settings.VAR_DIR / "media"


def _libpq(db: dict) -> tuple[list[str], dict]:
    """Connection arguments and environment for pg_dump / pg_restore / psql."""
    args = ["--host", db["HOST"] or "127.0.0.1", "--port", str(db["PORT"] or 5432)]
    if db["USER"]:
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db["PASSWORD"]:
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _facts() -> dict:
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    from complaints.models import Complaint

    last = {}
    for app_label, name in MigrationRecorder(connection).applied_migrations():
        last[app_label] = max(last.get(app_label, ""), name)
    return {"complaints": Complaint.objects.count(), "migrations": dict(sorted(last.items()))}


def backup(*, to: Path, media: Path, now: datetime | None = None) -> Path:
    from django.db import connection

    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    folder = to / stamp
    folder.mkdir(parents=True)
    db = connection.settings_dict
    facts = _facts()  # before the dump: a complaint recorded meanwhile is in the dump too
    if connection.vendor == "postgresql":
        args, env = _libpq(db)
        subprocess.run(  # noqa: S603
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *args,  # noqa: S607
             "--file", str(folder / DUMP), db["NAME"]],
            check=True, env=env,
        )  # fmt: skip
        database = DUMP
    elif connection.vendor == "sqlite":
        source = sqlite3.connect(db["NAME"])
        target = sqlite3.connect(folder / SQLITE_COPY)
        with target:
            source.backup(target)  # a consistent copy while the desk runs
        source.close()
        target.close()
        database = SQLITE_COPY
    else:
        raise SystemExit(f"no backup for the {connection.vendor} engine")
    with tarfile.open(folder / MEDIA, "w") as archive:
        if media.is_dir():
            archive.add(media, arcname=".")
    manifest = {
        "created_at": stamp,
        "engine": connection.vendor,
        "database": database,
        "media_found": media.is_dir(),
        **facts,
        "sha256": {name: _sha256(folder / name) for name in (database, MEDIA)},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return folder


def _verified(folder: Path) -> dict:
    manifest = json.loads((folder / MANIFEST).read_text())
    for name, digest in manifest["sha256"].items():
        if _sha256(folder / name) != digest:
            raise SystemExit(f"{folder / name} does not match its checksum: refusing to restore")
    return manifest


def _create_fresh_postgresql(db: dict) -> None:
    import psycopg
    from psycopg import sql

    args = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432,
            "user": db["USER"] or None, "password": db["PASSWORD"] or None}  # fmt: skip
    with psycopg.connect(dbname="postgres", autocommit=True, **args) as admin:
        if not admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]
        ).fetchone():
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
    with psycopg.connect(dbname=db["NAME"], **args) as target:
        tables = target.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()[0]
    if tables:
        raise SystemExit(
            f"database {db['NAME']} already has {tables} tables: restore into a fresh one"
        )


def restore(folder: Path, *, media: Path) -> dict:
    from django.db import connection

    manifest = _verified(folder)
    if media.is_dir() and any(media.iterdir()):
        raise SystemExit(f"the media folder {media} is not empty: restore into an empty one")
    db = connection.settings_dict
    if manifest["engine"] != connection.vendor:
        raise SystemExit(f"a {manifest['engine']} backup cannot go into {connection.vendor}")
    if connection.vendor == "postgresql":
        _create_fresh_postgresql(db)
        args, env = _libpq(db)
        subprocess.run(  # noqa: S603
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",  # noqa: S607
             "--single-transaction", *args, "--dbname", db["NAME"], str(folder / DUMP)],
            check=True, env=env,
        )  # fmt: skip
    else:
        target = Path(db["NAME"])
        if target.exists() and target.stat().st_size:
            raise SystemExit(f"{target} exists: restore into a fresh database")
        shutil.copyfile(folder / SQLITE_COPY, target)
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / MEDIA) as archive:
        archive.extractall(media, filter="data")  # refuses absolute paths and links out
    connection.close()
    restored = _facts()
    if restored["complaints"] != manifest["complaints"]:
        raise SystemExit(
            f"restored {restored['complaints']} complaints, the backup had {manifest['complaints']}"
        )
    return restored


def main_backup(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Back up the database and the media.")
    parser.add_argument("--to", type=Path, default=None, help="default: var/backups")
    parser.add_argument("--media", type=Path, default=None, help="default: the media folder")
    args = parser.parse_args(argv)
    setup_django()
    from django.conf import settings

    folder = backup(to=args.to or settings.VAR_DIR / "backups", media=args.media or media_root())
    manifest = json.loads((folder / MANIFEST).read_text())
    print(f"backup written: {folder} ({manifest['complaints']} complaints)")


def main_restore(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Restore a backup into a fresh database.")
    parser.add_argument("backup", type=Path, help="a folder written by `make backup`")
    parser.add_argument("--media", type=Path, default=None, help="default: the media folder")
    args = parser.parse_args(argv)
    setup_django()
    restored = restore(args.backup, media=args.media or media_root())
    print(f"restored {args.backup}: {restored['complaints']} complaints")


if __name__ == "__main__":
    main_backup()
