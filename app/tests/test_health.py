def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.data == b"ok"
    assert response.mimetype == "text/plain"


def test_healthz_reports_unusable_database(app, client, db, db_path):
    if db.kind == "sqlite":
        # A directory where the database file should be: SQLite cannot open it.
        for path in db_path.parent.glob(db_path.name + "*"):
            path.unlink()
        db_path.mkdir()
    else:
        # The server answers, but the database the blog needs is not there.
        app.config["DATABASE_URL"] = app.config["DATABASE_URL"].replace("/test_", "/gone_")

    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.data == b"database unavailable"
