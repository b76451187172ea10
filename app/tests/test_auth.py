import pytest
from flask import g, session
from werkzeug.security import check_password_hash



def test_register_page(client):
    assert client.get("/auth/register").status_code == 200


def test_register_stores_hashed_password(client, db):
    response = client.post("/auth/register", data={"username": "alice", "password": "s3cret"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"

    [(stored,)] = db.query('SELECT password FROM "user" WHERE username = ?', ("alice",))
    assert stored != "s3cret"
    assert check_password_hash(stored, "s3cret")


def test_registered_user_can_log_in(client, auth):
    client.post("/auth/register", data={"username": "alice", "password": "s3cret"})
    assert auth.login("alice", "s3cret").headers["Location"] == "/"


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("", "", b"Username is required."),
        ("   ", "pw", b"Username is required."),
        ("alice", "", b"Password is required."),
        ("test", "test", b"User test is already registered."),
    ],
)
def test_register_rejects(client, db, username, password, message):
    before = db.query('SELECT count(*) FROM "user"')
    response = client.post("/auth/register", data={"username": username, "password": password})
    assert response.status_code == 400
    assert message in response.data
    assert db.query('SELECT count(*) FROM "user"') == before


def test_login_page(client):
    assert client.get("/auth/login").status_code == 200


def test_login_sets_session(client, auth):
    response = auth.login()
    assert response.headers["Location"] == "/"

    with client:
        client.get("/")
        assert session["user_id"] == 1
        assert g.user["username"] == "test"


@pytest.mark.parametrize(("username", "password"), [("nobody", "test"), ("test", "wrong")])
def test_login_rejects(client, auth, username, password):
    response = auth.login(username, password)
    assert response.status_code == 400
    assert b"Incorrect username or password." in response.data
    with client.session_transaction() as sess:
        assert "user_id" not in sess


def test_logout_clears_session(client, auth):
    auth.login()
    with client:
        response = auth.logout()
        assert response.headers["Location"] == "/"
        assert "user_id" not in session


def test_logout_needs_post(client):
    assert client.get("/auth/logout").status_code == 405


def test_session_of_deleted_user_is_anonymous(client, auth, db):
    auth.login("other", "other")
    db.query('DELETE FROM "user" WHERE username = ?', ("other",))
    with client:
        client.get("/")
        assert g.user is None
