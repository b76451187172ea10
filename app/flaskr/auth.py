"""Accounts: register, log in, log out, and the login_required guard."""

import functools

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from werkzeug.security import check_password_hash, generate_password_hash

from .db import get_db

bp = Blueprint("auth", __name__, url_prefix="/auth")


def login_required(view):
    """Send anonymous visitors to the login page instead of running the view."""

    @functools.wraps(view)
    def wrapped_view(**kwargs):
        if g.user is None:
            return redirect(url_for("auth.login"))
        return view(**kwargs)

    return wrapped_view


@bp.before_app_request
def load_logged_in_user():
    user_id = session.get("user_id")
    g.user = None
    if user_id is not None:
        # None as well when the account has gone since the cookie was issued.
        g.user = get_db().execute('SELECT * FROM "user" WHERE id = ?', (user_id,)).fetchone()


@bp.route("/register", methods=("GET", "POST"))
def register():
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        error = None
        if not username:
            error = "Username is required."
        elif not password:
            error = "Password is required."

        if error is None:
            db = get_db()
            try:
                db.execute(
                    'INSERT INTO "user" (username, password) VALUES (?, ?)',
                    (username, generate_password_hash(password)),
                )
                db.commit()
            except db.IntegrityError:
                # The UNIQUE constraint, not a prior SELECT, decides: no race between workers.
                error = f"User {username} is already registered."
            else:
                flash("Registered. You can log in now.")
                return redirect(url_for("auth.login"))

        flash(error)
        return render_template("auth/register.html"), 400

    return render_template("auth/register.html")


@bp.route("/login", methods=("GET", "POST"))
def login():
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        user = get_db().execute('SELECT * FROM "user" WHERE username = ?', (username,)).fetchone()

        if user is not None and check_password_hash(user["password"], password):
            # A fresh session, so nothing from before the login carries over.
            session.clear()
            session["user_id"] = user["id"]
            return redirect(url_for("index"))

        # One message for both cases, so the form does not tell which usernames exist.
        flash("Incorrect username or password.")
        return render_template("auth/login.html"), 400

    return render_template("auth/login.html")


@bp.route("/logout", methods=("POST",))
def logout():
    session.clear()
    return redirect(url_for("index"))
