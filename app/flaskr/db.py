"""SQLite access: one connection per request, schema creation and the init-db command."""

import sqlite3
from importlib import resources

import click
from flask import current_app, g
from flask.cli import with_appcontext


def connect(path):
    """Open the database with the settings every caller relies on."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    # SQLite leaves foreign keys unchecked unless asked, per connection.
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def get_db():
    """The current request's connection, opened on first use."""
    if "db" not in g:
        g.db = connect(current_app.config["DATABASE"])
    return g.db


def close_db(exc=None):
    conn = g.pop("db", None)
    if conn is not None:
        conn.close()


def create_schema(path, drop=False):
    """Create the tables that are missing; with drop, delete all users and posts first."""
    schema = resources.files(__package__).joinpath("schema.sql").read_text(encoding="utf-8")
    conn = connect(path)
    try:
        # WAL lets one gunicorn worker read while another writes. The mode is stored in
        # the database file, so setting it once per start is enough.
        conn.execute("PRAGMA journal_mode = WAL")
        if drop:
            conn.executescript("DROP TABLE IF EXISTS post; DROP TABLE IF EXISTS user;")
        conn.executescript(schema)
    finally:
        conn.close()


@click.command("init-db")
@click.option("--drop", is_flag=True, help="Delete all users and posts, then recreate the tables.")
@with_appcontext
def init_db_command(drop):
    """Create the database tables (they are also created at start-up)."""
    create_schema(current_app.config["DATABASE"], drop=drop)
    click.echo("Initialized the database.")


def init_app(app):
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
