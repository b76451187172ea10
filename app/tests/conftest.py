import itertools
import sqlite3

import pytest
from pgserver import PASSWORD, Server
from werkzeug.security import generate_password_hash

from flaskr import create_app
from flaskr.db import connect

_database_names = itertools.count(1)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    """Keep settings from the developer's shell out of the tests."""
    for name in (
        "FLASKR_DATABASE",
        "FLASKR_DATABASE_URL",
        "FLASKR_DATABASE_PASSWORD",
        "FLASKR_DATABASE_PASSWORD_FILE",
        "FLASKR_SECRET_KEY",
        "FLASKR_BACKUP_KEEP",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "data" / "flaskr.sqlite"


@pytest.fixture(scope="session")
def postgres():
    """One real PostgreSQL server for the whole run; each test gets its own database in it."""
    server = Server()
    yield server
    server.stop()


class Database:
    """The database a test's app uses: its app settings and direct access around the app."""

    def __init__(self, settings):
        self.settings = settings

    @property
    def kind(self):
        return "postgresql" if self.settings.get("DATABASE_URL") else "sqlite"

    def query(self, sql, params=()):
        """Run one statement straight on the database, bypassing the application."""
        conn = connect(self.settings)
        try:
            cursor = conn.execute(sql, params)
            rows = [tuple(row) for row in cursor.fetchall()] if cursor.description else []
            conn.commit()
            return rows
        finally:
            conn.close()


# Every test that uses the app runs on both databases; SQLite-only modules narrow this with
# pytest.mark.parametrize("db", ["sqlite"], indirect=True).
@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, db_path):
    if request.param == "sqlite":
        yield Database({"DATABASE": str(db_path)})
        return
    server = request.getfixturevalue("postgres")
    name = f"test_{next(_database_names)}"
    server.admin(f"CREATE DATABASE {name}")
    # DATABASE still names a folder for the secret key file, as in a real deployment.
    yield Database(
        {"DATABASE": str(db_path), "DATABASE_URL": server.url(name), "DATABASE_PASSWORD": PASSWORD}
    )
    server.admin(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def app(db):
    app = create_app({"TESTING": True, "SECRET_KEY": "test", **db.settings})
    # Two users, so that author checks have someone else to fail for, and one post by "test".
    for user in ("test", "other"):
        db.query('INSERT INTO "user" (username, password) VALUES (?, ?)', (user, generate_password_hash(user)))
    db.query(
        "INSERT INTO post (title, body, author_id, created)"
        " VALUES ('test title', ?, 1, '2018-01-01 00:00:00')",
        ("test\nbody",),
    )
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, username="test", password="test"):
        return self._client.post("/auth/login", data={"username": username, "password": password})

    def logout(self):
        return self._client.post("/auth/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


def query(db_path, sql, params=()):
    """Run one statement straight on the database file, bypassing the application."""
    conn = sqlite3.connect(db_path)
    try:
        with conn:  # commits, for the statements that change rows
            return conn.execute(sql, params).fetchall()
    finally:
        conn.close()
