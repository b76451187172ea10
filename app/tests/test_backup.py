import os
import re
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Database, query
from flaskr.backup import backup, prune



@pytest.fixture
def db(db_path):
    """SQLite only: these tests are about the file; test_postgres.py covers PostgreSQL."""
    return Database({"DATABASE": str(db_path)})

APP_DIR = Path(__file__).resolve().parent.parent


def test_backup_copies_the_posts(app, client, auth, db_path):
    auth.login()
    client.post("/create", data={"title": "second post", "body": "written before the backup"})

    path = backup(db_path)

    assert path.parent == db_path.parent / "backups"
    assert re.fullmatch(r"flaskr-\d{8}-\d{6}\.sqlite", path.name)
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert query(path, "SELECT title FROM post ORDER BY id") == query(
        db_path, "SELECT title FROM post ORDER BY id"
    )
    assert len(query(path, "SELECT id FROM post")) == 2
    # A single self-contained file in rollback mode, with nothing half-written beside it.
    assert query(path, "PRAGMA journal_mode") == [("delete",)]
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_backup_is_a_snapshot(app, db_path):
    path = backup(db_path)
    query(db_path, "DELETE FROM post")
    assert query(path, "SELECT count(*) FROM post") == [(1,)]


def test_prune_keeps_newest(app, db_path):
    folder = db_path.parent / "backups"
    folder.mkdir()
    old = [folder / f"flaskr-2020010{day}-000000.sqlite" for day in range(1, 6)]
    for path in old:
        path.write_bytes(b"")
    unrelated = folder / "notes.txt"
    unrelated.write_text("not a backup")

    newest = backup(db_path, keep=3)

    remaining = sorted(p.name for p in folder.iterdir())
    assert remaining == sorted([old[3].name, old[4].name, newest.name, unrelated.name])


def test_prune_returns_deleted(tmp_path):
    names = [f"flaskr-2021020{day}-120000.sqlite" for day in range(1, 4)]
    for name in names:
        (tmp_path / name).write_bytes(b"")
    assert [p.name for p in prune(tmp_path, 1)] == names[:2]
    assert prune(tmp_path, 1) == []


def test_backup_refuses_missing_database(tmp_path):
    with pytest.raises(FileNotFoundError):
        backup(tmp_path / "flaskr.sqlite")
    assert not (tmp_path / "flaskr.sqlite").exists()


def test_backup_refuses_keep_below_one(app, db_path):
    with pytest.raises(ValueError):
        backup(db_path, keep=0)


def run_module(env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASKR_")}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-m", "flaskr.backup"],
        cwd=APP_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_module_prints_path_and_honours_keep(app, db_path):
    folder = db_path.parent / "backups"
    folder.mkdir()
    for day in range(1, 4):
        (folder / f"flaskr-2020010{day}-000000.sqlite").write_bytes(b"")

    result = run_module({"FLASKR_DATABASE": str(db_path), "FLASKR_BACKUP_KEEP": "2"})

    assert result.returncode == 0, result.stderr
    printed = Path(result.stdout.strip())
    assert printed.parent == folder
    assert query(printed, "SELECT title FROM post") == [("test title",)]
    assert sorted(folder.iterdir()) == [folder / "flaskr-20200103-000000.sqlite", printed]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"FLASKR_BACKUP_KEEP": "many"}, "FLASKR_BACKUP_KEEP must be a whole number"),
        ({"FLASKR_DATABASE": "/nonexistent/flaskr.sqlite"}, "no database at"),
    ],
)
def test_module_fails_cleanly(app, db_path, env, message):
    result = run_module({"FLASKR_DATABASE": str(db_path), **env})
    assert result.returncode == 1
    assert result.stdout == ""
    assert message in result.stderr
    assert "Traceback" not in result.stderr
