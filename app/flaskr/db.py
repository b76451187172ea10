"""Database access for SQLite and PostgreSQL: one connection per request, schema versions, init-db.

The views write SQLite-style SQL with ? placeholders; PostgresConnection translates them, so
the two databases share every query. Which one is used comes from configuration
(FLASKR_DATABASE_URL for PostgreSQL, otherwise the FLASKR_DATABASE file).
"""

import logging
import sqlite3
import time

import click
from flask import current_app, g
from flask.cli import with_appcontext

from . import migrations

log = logging.getLogger(__name__)

# Taken inside the migration transaction so that instances starting together migrate one
# at a time; any fixed number works as long as nothing else in the database uses it.
MIGRATION_LOCK = 0x666C61736B72  # "flaskr"


def is_postgres(url):
    return url is not None and url.startswith(("postgresql://", "postgres://"))


def _psycopg2():
    # Imported on first use: an SQLite-only installation needs no PostgreSQL driver.
    import psycopg2
    import psycopg2.extras

    return psycopg2


def errors():
    """The exception classes a database failure may raise, for handlers like /healthz."""
    try:
        return (sqlite3.Error, _psycopg2().Error)
    except ImportError:
        return (sqlite3.Error,)


class PostgresConnection:
    """The slice of sqlite3.Connection the views use, on top of psycopg2."""

    def __init__(self, url, password=None):
        psycopg2 = _psycopg2()
        self.IntegrityError = psycopg2.IntegrityError
        # The password travels beside the URL so that it never has to be written into one.
        extra = {"password": password} if password else {}
        self._conn = psycopg2.connect(url, connect_timeout=10, **extra)

    def execute(self, sql, params=()):
        # psycopg2's placeholder is %s; a literal % would need doubling, and no query has one.
        cursor = self._conn.cursor(cursor_factory=_psycopg2().extras.DictCursor)
        cursor.execute(sql.replace("?", "%s"), params)
        return cursor

    def commit(self):
        self._conn.commit()

    def rollback(self):
        self._conn.rollback()

    def close(self):
        self._conn.close()

    @property
    def raw(self):
        return self._conn


def connect_sqlite(path):
    """Open the database with the settings every caller relies on."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    # SQLite leaves foreign keys unchecked unless asked, per connection.
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def connect(config):
    """A connection to the database the app's config names."""
    url = config.get("DATABASE_URL")
    if is_postgres(url):
        return PostgresConnection(url, config.get("DATABASE_PASSWORD"))
    return connect_sqlite(config["DATABASE"])


def get_db():
    """The current request's connection, opened on first use."""
    if "db" not in g:
        g.db = connect(current_app.config)
    return g.db


def close_db(exc=None):
    conn = g.pop("db", None)
    if conn is not None:
        conn.close()


def migrate(config, drop=False):
    """Bring the schema to the latest version; with drop, delete all users and posts first.

    Returns the versions applied. Safe on every start: applied versions are skipped.
    """
    url = config.get("DATABASE_URL")
    if is_postgres(url):
        return _migrate_postgres(_connect_when_up(url, config), drop)
    return _migrate_sqlite(config["DATABASE"], drop)


def _connect_when_up(url, config):
    """Connect, waiting up to DATABASE_WAIT seconds for a server that is still starting.

    The blog and its database start side by side after a boot or a deploy; failing at once
    would fail the blog's health check and roll back a release that was fine.
    """
    psycopg2 = _psycopg2()
    deadline = time.monotonic() + float(config.get("DATABASE_WAIT", 60))
    while True:
        try:
            return PostgresConnection(url, config.get("DATABASE_PASSWORD"))
        except psycopg2.OperationalError as exc:
            # A wrong password or database name will not fix itself: no point waiting.
            if "authentication failed" in str(exc) or "does not exist" in str(exc):
                raise
            if time.monotonic() >= deadline:
                raise
            log.warning("database not reachable yet, retrying: %s", str(exc).strip())
            time.sleep(1)


def _pending(applied_rows, steps):
    applied = {row[0] for row in applied_rows}
    return [(n, step) for n, step in enumerate(steps, start=1) if n not in applied]


def _migrate_sqlite(path, drop):
    # Autocommit mode, so the transaction below is exactly the one BEGIN IMMEDIATE opens.
    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    try:
        # WAL lets one gunicorn worker read while another writes. The mode is stored in
        # the database file, so setting it once per start is enough.
        conn.execute("PRAGMA journal_mode = WAL")
        # The write lock up front: a second instance waits here instead of reading a
        # version list that is about to change.
        conn.execute("BEGIN IMMEDIATE")
        try:
            if drop:
                for table in migrations.TABLES:
                    conn.execute(f"DROP TABLE IF EXISTS {table}")
            conn.execute(migrations.VERSION_TABLE)
            done = _apply(conn, conn.execute("SELECT version FROM schema_version"), migrations.SQLITE)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return done
    finally:
        conn.close()


def _migrate_postgres(conn, drop):
    try:
        # DDL is transactional in PostgreSQL: a failed step leaves no half-made schema.
        # The advisory lock is released at commit; a second instance waits for it.
        conn.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))
        if drop:
            for table in migrations.TABLES:
                conn.execute(f"DROP TABLE IF EXISTS {table}")
        conn.execute(migrations.VERSION_TABLE)
        done = _apply(conn, conn.execute("SELECT version FROM schema_version"), migrations.POSTGRESQL)
        conn.commit()
        return done
    finally:
        conn.close()


def _apply(conn, applied_rows, steps):
    done = []
    for version, statements in _pending(applied_rows.fetchall(), steps):
        for statement in statements:
            conn.execute(statement)
        conn.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))
        done.append(version)
    return done


@click.command("init-db")
@click.option("--drop", is_flag=True, help="Delete all users and posts, then recreate the tables.")
@with_appcontext
def init_db_command(drop):
    """Create the database tables (they are also created at start-up)."""
    migrate(current_app.config, drop=drop)
    click.echo("Initialized the database.")


def init_app(app):
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
