"""Create the benchmark database if it is missing: `python -m bench.database URL`."""

import sys
from urllib.parse import urlsplit

import psycopg
from psycopg import sql


def ensure(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


if __name__ == "__main__":
    ensure(sys.argv[1])
