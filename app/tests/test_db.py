import sqlite3

import pytest

from conftest import Database, query
from flaskr.db import get_db



@pytest.fixture
def db(db_path):
    """SQLite only: these tests are about the file; test_postgres.py covers PostgreSQL."""
    return Database({"DATABASE": str(db_path)})


def test_connection_is_per_request_and_closed(app):
    with app.app_context():
        db = get_db()
        assert db is get_db()

    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        db.execute("SELECT 1")


def test_foreign_keys_enforced(app):
    with app.app_context():
        db = get_db()
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("INSERT INTO post (title, body, author_id) VALUES ('x', '', 99)")


def test_wal_mode(app, db_path):
    assert query(db_path, "PRAGMA journal_mode") == [("wal",)]


def test_init_db_keeps_data(runner, db_path):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0
    assert "Initialized" in result.output
    assert query(db_path, "SELECT count(*) FROM post") == [(1,)]


def test_init_db_drop_clears_data(runner, db_path):
    result = runner.invoke(args=["init-db", "--drop"])
    assert result.exit_code == 0
    assert query(db_path, "SELECT count(*) FROM user") == [(0,)]
    assert query(db_path, "SELECT count(*) FROM post") == [(0,)]
