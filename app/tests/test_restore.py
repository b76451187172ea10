"""Backups are only as good as their restore: SQLite through flaskr.restore, PostgreSQL through
the database image's pg-backup and pg-restore scripts, run against a real server."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import Database, query
from flaskr.backup import backup
from flaskr.restore import restore
from pgserver import BIN

APP_DIR = Path(__file__).resolve().parent.parent
POSTGRES_DIR = APP_DIR.parent / "postgres"
# Each restore path runs on its own database only.
SQLITE = pytest.mark.parametrize("db", ["sqlite"], indirect=True)
POSTGRES = pytest.mark.parametrize("db", ["postgresql"], indirect=True)


def write_posts(client, auth, titles):
    auth.login()
    for title in titles:
        assert client.post("/create", data={"title": title, "body": "kept"}).status_code == 302


def titles(db):
    return sorted(t for (t,) in db.query("SELECT title FROM post"))


@SQLITE
def test_sqlite_restore_brings_every_post_back(app, client, auth, db, db_path):
    write_posts(client, auth, ["one", "two", "three"])
    before = titles(db)
    saved = backup(db_path)
    query(db_path, "DELETE FROM post")
    query(db_path, 'DELETE FROM "user" WHERE username = ?', ("other",))

    assert restore(saved, db_path) == 4
    assert titles(db) == before
    # The app reads the restored rows, users included.
    assert b"three" in client.get("/").data
    assert auth.login("other", "other").status_code == 302


def run_restore_module(db_path, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASKR_")}
    env["FLASKR_DATABASE"] = str(db_path)
    return subprocess.run(
        [sys.executable, "-m", "flaskr.restore", *args], cwd=APP_DIR, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("make_file", "message"),
    [
        (lambda d: d / "missing.sqlite", "no backup at"),
        (lambda d: (d / "notes.txt").write_text("hello") and d / "notes.txt", "is not a blog backup"),
    ],
)
@SQLITE
def test_sqlite_restore_refuses_bad_files(app, db, db_path, tmp_path, make_file, message):
    result = run_restore_module(db_path, str(make_file(tmp_path)))
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert query(db_path, "SELECT title FROM post") == [("test title",)]


@SQLITE
def test_sqlite_restore_module_prints_count(app, db, db_path):
    saved = backup(db_path)
    query(db_path, "DELETE FROM post")
    result = run_restore_module(db_path, str(saved))
    assert result.returncode == 0, result.stderr
    assert "restored 1 posts" in result.stdout
    assert query(db_path, "SELECT title FROM post") == [("test title",)]


def pg_script(postgres, name, database, backup_dir, *args, keep="30"):
    env = {
        **os.environ,
        **postgres.env,
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "POSTGRES_DB": database,
        "POSTGRES_USER": "postgres",
        "BACKUP_DIR": str(backup_dir),
        "BACKUP_KEEP": keep,
    }
    return subprocess.run([POSTGRES_DIR / name, *args], env=env, capture_output=True, text=True, timeout=120)


def database_name(db):
    return urlsplit(db.settings["DATABASE_URL"]).path.lstrip("/")


@POSTGRES
def test_postgres_restore_brings_every_post_back(app, client, auth, db, tmp_path, postgres):
    write_posts(client, auth, ["one", "two", "three"])
    before = titles(db)
    name = database_name(db)

    taken = pg_script(postgres, "pg-backup", name, tmp_path / "backups")
    assert taken.returncode == 0, taken.stderr
    dump = Path(taken.stdout.strip())
    assert dump.parent == tmp_path / "backups" and dump.stat().st_size > 0

    # The worst case: the whole database is gone, not just its rows.
    postgres.admin(f"DROP DATABASE {name} WITH (FORCE)")
    restored = pg_script(postgres, "pg-restore", name, tmp_path / "backups", str(dump))
    assert restored.returncode == 0, restored.stderr

    assert titles(db) == before
    assert db.query("SELECT version FROM schema_version") == [(1,)]
    # New posts continue after the restored ids.
    write_posts(client, auth, ["four"])
    assert titles(db) == sorted(before + ["four"])


@POSTGRES
def test_postgres_backup_keeps_newest(app, db, tmp_path, postgres):
    folder = tmp_path / "backups"
    folder.mkdir()
    name = database_name(db)
    old = [folder / f"{name}-2020010{day}-000000.dump" for day in range(1, 5)]
    for path in old:
        path.write_bytes(b"")
    (folder / "notes.txt").write_text("not a backup")

    taken = pg_script(postgres, "pg-backup", name, folder, keep="2")

    assert taken.returncode == 0, taken.stderr
    newest = Path(taken.stdout.strip())
    assert sorted(p.name for p in folder.iterdir()) == sorted([old[3].name, newest.name, "notes.txt"])


@pytest.mark.parametrize(
    ("script", "args", "keep", "message"),
    [
        ("pg-backup", [], "none", "BACKUP_KEEP must be a whole number"),
        ("pg-backup", [], "0", "BACKUP_KEEP must be a whole number"),
        ("pg-restore", [], "1", "usage: pg-restore FILE"),
        ("pg-restore", ["/etc/hostname"], "1", "is not a pg_dump custom-format file"),
    ],
)
@POSTGRES
def test_postgres_scripts_refuse_bad_input(app, db, tmp_path, postgres, script, args, keep, message):
    result = pg_script(postgres, script, database_name(db), tmp_path / "b", *args, keep=keep)
    assert result.returncode != 0
    assert message in result.stderr
    assert db.query("SELECT title FROM post") == [("test title",)]
