"""Start-up: settings from the environment, the database and the secret key file."""

import os
import sqlite3
import stat
import threading

import pytest

from conftest import Database, query
from flaskr import create_app
from flaskr.config import DEFAULT_DATABASE, database_path, load_or_create_secret_key



@pytest.fixture
def db(db_path):
    """SQLite only: these tests are about the file; test_postgres.py covers PostgreSQL."""
    return Database({"DATABASE": str(db_path)})


def tables(db_path):
    return {name for (name,) in query(db_path, "SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_testing_flag(db_path):
    assert not create_app({"DATABASE": str(db_path)}).testing
    assert create_app({"TESTING": True, "DATABASE": str(db_path)}).testing


def test_database_path_default_and_env(monkeypatch, tmp_path):
    assert database_path() == DEFAULT_DATABASE
    monkeypatch.setenv("FLASKR_DATABASE", str(tmp_path / "blog.sqlite"))
    assert database_path() == str(tmp_path / "blog.sqlite")


def test_database_created_on_empty_volume(monkeypatch, tmp_path):
    db_path = tmp_path / "volume" / "nested" / "flaskr.sqlite"
    monkeypatch.setenv("FLASKR_DATABASE", str(db_path))

    app = create_app()

    assert app.config["DATABASE"] == str(db_path)
    assert db_path.is_file()
    assert {"user", "post"} <= tables(db_path)
    # And it serves right away: the tables are usable without an init step.
    client = app.test_client()
    client.post("/auth/register", data={"username": "first", "password": "pw"})
    assert query(db_path, "SELECT username FROM user") == [("first",)]


def test_tables_created_in_empty_database_file(tmp_path):
    db_path = tmp_path / "flaskr.sqlite"
    sqlite3.connect(db_path).close()  # an existing file without any table
    create_app({"DATABASE": str(db_path)})
    assert {"user", "post"} <= tables(db_path)


def test_restart_keeps_data(app, db_path):
    create_app({"DATABASE": str(db_path), "SECRET_KEY": "test"})
    assert query(db_path, "SELECT title FROM post") == [("test title",)]


def test_secret_key_generated_and_persisted(tmp_path):
    db_path = tmp_path / "flaskr.sqlite"
    key_file = tmp_path / "secret_key"

    first = create_app({"DATABASE": str(db_path)}).secret_key

    assert len(first) >= 32
    assert key_file.read_text().strip() == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    # A restart, as after an image upgrade, finds the same key.
    assert create_app({"DATABASE": str(db_path)}).secret_key == first
    # Only the key file: no temporary files are left beside it.
    assert sorted(p.name for p in tmp_path.iterdir() if "secret" in p.name) == ["secret_key"]


def test_session_survives_restart(tmp_path):
    db_path = tmp_path / "flaskr.sqlite"
    client = create_app({"DATABASE": str(db_path)}).test_client()
    client.post("/auth/register", data={"username": "alice", "password": "pw"})
    client.post("/auth/login", data={"username": "alice", "password": "pw"})
    cookie = client.get_cookie("session").value

    restarted = create_app({"DATABASE": str(db_path)}).test_client()
    restarted.set_cookie("session", cookie)
    assert b"alice" in restarted.get("/").data


def test_secret_key_from_env_wins(monkeypatch, tmp_path):
    monkeypatch.setenv("FLASKR_SECRET_KEY", "from-env")
    app = create_app({"DATABASE": str(tmp_path / "flaskr.sqlite")})
    assert app.secret_key == "from-env"
    assert not (tmp_path / "secret_key").exists()


def test_secret_key_from_a_file_named_by_env(monkeypatch, tmp_path):
    # How a secret from git arrives: decrypted into /run/secrets, named by NAME_FILE.
    (tmp_path / "key").write_text("from-file\n")
    monkeypatch.setenv("FLASKR_SECRET_KEY_FILE", str(tmp_path / "key"))
    monkeypatch.setenv("FLASKR_SECRET_KEY", "from-env")
    app = create_app({"DATABASE": str(tmp_path / "flaskr.sqlite")})
    assert app.secret_key == "from-file"
    assert not (tmp_path / "secret_key").exists()


def test_empty_secret_key_file_is_an_error(tmp_path):
    (tmp_path / "secret_key").write_text("")
    with pytest.raises(RuntimeError, match="empty"):
        create_app({"DATABASE": str(tmp_path / "flaskr.sqlite")})


def test_concurrent_workers_agree_on_one_key(tmp_path):
    # Gunicorn starts its workers together; all of them must end up with the same key.
    path = str(tmp_path / "secret_key")
    start = threading.Barrier(8)
    keys = []

    def worker():
        start.wait()
        keys.append(load_or_create_secret_key(path))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert len(keys) == 8
    assert set(keys) == {(tmp_path / "secret_key").read_text().strip()}
    assert os.listdir(tmp_path) == ["secret_key"]
