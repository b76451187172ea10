"""Schema versions on both databases: applied once, recorded, safe for instances starting together."""

import threading
import time
from pathlib import Path

import pytest

from flaskr import create_app, migrations
from flaskr.config import database_url
from flaskr.db import migrate


def test_fresh_database_is_at_the_latest_version(app, db):
    assert [v for (v,) in db.query("SELECT version FROM schema_version")] == list(range(1, migrations.latest() + 1))


def test_restart_applies_nothing_and_keeps_posts(app, db):
    assert migrate(app.config) == []
    assert db.query("SELECT title FROM post") == [("test title",)]
    assert len(db.query("SELECT version FROM schema_version")) == migrations.latest()


def test_pending_steps_run_in_order_once(app, db, monkeypatch):
    dialect = "POSTGRESQL" if db.kind == "postgresql" else "SQLITE"
    step = ["CREATE TABLE tag (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"]
    monkeypatch.setattr(migrations, dialect, getattr(migrations, dialect) + [step])

    assert migrate(app.config) == [2]
    assert migrate(app.config) == []
    assert [v for (v,) in db.query("SELECT version FROM schema_version ORDER BY version")] == [1, 2]
    assert db.query("SELECT count(*) FROM tag") == [(0,)]


def test_failed_step_changes_nothing(app, db, monkeypatch):
    dialect = "POSTGRESQL" if db.kind == "postgresql" else "SQLITE"
    step = ["CREATE TABLE tag (id INTEGER PRIMARY KEY)", "THIS IS NOT SQL"]
    monkeypatch.setattr(migrations, dialect, getattr(migrations, dialect) + [step])

    with pytest.raises(Exception, match="syntax error"):
        migrate(app.config)
    assert [v for (v,) in db.query("SELECT version FROM schema_version")] == [1]
    # The step's first statement was rolled back with the rest.
    with pytest.raises(Exception, match="tag"):
        db.query("SELECT count(*) FROM tag")


# A step slow enough that instances starting together overlap inside it.
SLOW_STEP = {
    "SQLITE": "CREATE TABLE slow AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c"
    " WHERE x < 300000) SELECT x FROM c",
    "POSTGRESQL": "CREATE TABLE slow AS SELECT x, pg_sleep(0.3) IS NULL AS slept FROM generate_series(1, 1) x",
}


def test_concurrent_starts_migrate_once(db, monkeypatch):
    # Each step must run exactly once, or CREATE TABLE/INSERT INTO schema_version would fail
    # in the losers.
    Path(db.settings["DATABASE"]).parent.mkdir(parents=True, exist_ok=True)
    # Deployed once; the next release adds a step, and its instances start together.
    migrate(dict(db.settings))
    dialect = "POSTGRESQL" if db.kind == "postgresql" else "SQLITE"
    monkeypatch.setattr(migrations, dialect, getattr(migrations, dialect) + [[SLOW_STEP[dialect]]])
    errors, results = [], []
    barrier = threading.Barrier(8)

    def start():
        try:
            barrier.wait()
            results.append(migrate(dict(db.settings)))
        except Exception as exc:  # collected: an exception in a thread is otherwise lost
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert sorted(results) == [[]] * 7 + [[2]]
    assert db.query("SELECT count(*) FROM slow") != []


@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_url_and_password_file_from_environment(db, tmp_path, monkeypatch):
    password_file = tmp_path / "db-password"
    password_file.write_text(db.settings["DATABASE_PASSWORD"] + "\n")
    monkeypatch.setenv("FLASKR_DATABASE_URL", db.settings["DATABASE_URL"])
    monkeypatch.setenv("FLASKR_DATABASE_PASSWORD_FILE", str(password_file))
    monkeypatch.setenv("FLASKR_DATABASE", str(tmp_path / "data" / "unused.sqlite"))

    app = create_app({"SECRET_KEY": "test"})

    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    client.post("/auth/register", data={"username": "pg", "password": "pw"})
    assert db.query('SELECT username FROM "user"') == [("pg",)]
    # Nothing went to the SQLite file next to the secret key.
    assert not (tmp_path / "data" / "unused.sqlite").exists()


@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_wrong_password_is_refused(db):
    with pytest.raises(Exception, match="password authentication failed"):
        create_app({**db.settings, "DATABASE_PASSWORD": "wrong"})


@pytest.mark.parametrize("url", ["mysql://blog@db/blog", "sqlite:///data/flaskr.sqlite", "db:5432"])
def test_other_urls_are_refused_clearly(url, monkeypatch):
    monkeypatch.setenv("FLASKR_DATABASE_URL", url)
    with pytest.raises(ValueError, match="FLASKR_DATABASE_URL must start with postgresql://"):
        database_url()


@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_start_waits_for_a_server_that_is_not_up_yet(db, tmp_path):
    # A socket folder where no server listens yet: start-up retries until DATABASE_WAIT.
    url = db.settings["DATABASE_URL"].split("?")[0] + f"?host={tmp_path}"
    started = time.monotonic()
    with pytest.raises(Exception, match="No such file or directory|could not connect"):
        create_app({**db.settings, "DATABASE_URL": url, "DATABASE_WAIT": 2})
    assert time.monotonic() - started >= 2
