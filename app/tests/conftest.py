import sqlite3

import pytest
from werkzeug.security import generate_password_hash

from flaskr import create_app


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    """Keep settings from the developer's shell out of the tests."""
    for name in ("FLASKR_DATABASE", "FLASKR_SECRET_KEY", "FLASKR_BACKUP_KEEP"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "data" / "flaskr.sqlite"


@pytest.fixture
def app(db_path):
    app = create_app({"TESTING": True, "DATABASE": str(db_path), "SECRET_KEY": "test"})
    # Two users, so that author checks have someone else to fail for, and one post by "test".
    conn = sqlite3.connect(db_path)
    with conn:
        conn.executemany(
            "INSERT INTO user (username, password) VALUES (?, ?)",
            [("test", generate_password_hash("test")), ("other", generate_password_hash("other"))],
        )
        conn.execute(
            "INSERT INTO post (title, body, author_id, created)"
            " VALUES ('test title', 'test' || char(10) || 'body', 1, '2018-01-01 00:00:00')"
        )
    conn.close()
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
