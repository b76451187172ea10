import pytest



def test_index_anonymous(client):
    response = client.get("/")
    assert b"Log In" in response.data
    assert b"Register" in response.data
    assert b"test title" in response.data
    assert b"by test on 2018-01-01" in response.data
    assert b'href="/1/update"' not in response.data


def test_index_logged_in(client, auth):
    auth.login()
    response = client.get("/")
    assert b"Log Out" in response.data
    assert b'href="/1/update"' in response.data
    assert b'href="/create"' in response.data


def test_index_lists_newest_first(client, db):
    db.query(
        "INSERT INTO post (title, body, author_id, created)"
        " VALUES ('newer post', '', 2, '2019-06-01 00:00:00')",
    )
    page = client.get("/").data
    assert page.index(b"newer post") < page.index(b"test title")


def test_index_escapes_html(client, auth):
    auth.login()
    client.post("/create", data={"title": "<script>x</script>", "body": ""})
    page = client.get("/").data
    assert b"<script>x</script>" not in page
    assert b"&lt;script&gt;x&lt;/script&gt;" in page


@pytest.mark.parametrize("path", ["/create", "/1/update", "/1/delete"])
def test_login_required(client, db, path):
    response = client.post(path, data={"title": "changed", "body": ""})
    assert response.headers["Location"] == "/auth/login"
    assert db.query("SELECT title FROM post") == [("test title",)]


@pytest.mark.parametrize("path", ["/1/update", "/1/delete"])
def test_author_required(client, auth, db, path):
    auth.login("other", "other")
    assert client.post(path, data={"title": "hijacked", "body": ""}).status_code == 403
    assert db.query("SELECT title FROM post") == [("test title",)]
    # Nor is the edit link offered to someone who may not use it.
    assert b'href="/1/update"' not in client.get("/").data


@pytest.mark.parametrize("path", ["/2/update", "/2/delete"])
def test_missing_post(client, auth, path):
    auth.login()
    assert client.post(path).status_code == 404


def test_create(client, auth, db):
    auth.login()
    assert client.get("/create").status_code == 200
    response = client.post("/create", data={"title": "created", "body": "hello"})
    assert response.headers["Location"] == "/"
    assert db.query("SELECT title, body, author_id FROM post WHERE id = 2") == [
        ("created", "hello", 1)
    ]


def test_update(client, auth, db):
    auth.login()
    assert client.get("/1/update").status_code == 200
    response = client.post("/1/update", data={"title": "updated", "body": "new body"})
    assert response.headers["Location"] == "/"
    assert db.query("SELECT title, body FROM post WHERE id = 1") == [("updated", "new body")]


@pytest.mark.parametrize("path", ["/create", "/1/update"])
def test_title_required(client, auth, db, path):
    auth.login()
    response = client.post(path, data={"title": " ", "body": "no title"})
    assert response.status_code == 400
    assert b"Title is required." in response.data
    assert db.query("SELECT count(*), max(title) FROM post") == [(1, "test title")]


def test_delete(client, auth, db):
    auth.login()
    response = client.post("/1/delete")
    assert response.headers["Location"] == "/"
    assert db.query("SELECT count(*) FROM post") == [(0,)]


def test_delete_needs_post(client, auth):
    auth.login()
    assert client.get("/1/delete").status_code == 405
