"""Posts: the public index, and create, edit and delete for their authors."""

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from .auth import login_required
from .db import get_db

bp = Blueprint("blog", __name__)


@bp.route("/")
def index():
    posts = get_db().execute(
        "SELECT p.id, title, body, date(created) AS created_on, author_id, username"
        ' FROM post p JOIN "user" u ON p.author_id = u.id'
        # id breaks ties between posts made within the same second.
        " ORDER BY created DESC, p.id DESC"
    ).fetchall()
    return render_template("blog/index.html", posts=posts)


def get_post(post_id, check_author=True):
    """The post with its author's name; 404 when missing, 403 when it is not the user's."""
    post = get_db().execute(
        "SELECT p.id, title, body, created, author_id, username"
        ' FROM post p JOIN "user" u ON p.author_id = u.id'
        " WHERE p.id = ?",
        (post_id,),
    ).fetchone()

    if post is None:
        abort(404, f"Post id {post_id} doesn't exist.")
    if check_author and post["author_id"] != g.user["id"]:
        abort(403)
    return post


def read_form():
    """Title and body from the submitted form, or an error message."""
    title = request.form.get("title", "").strip()
    body = request.form.get("body", "")
    error = None if title else "Title is required."
    return title, body, error


@bp.route("/create", methods=("GET", "POST"))
@login_required
def create():
    if request.method == "POST":
        title, body, error = read_form()
        if error is not None:
            flash(error)
            return render_template("blog/create.html"), 400
        db = get_db()
        db.execute(
            "INSERT INTO post (title, body, author_id) VALUES (?, ?, ?)",
            (title, body, g.user["id"]),
        )
        db.commit()
        return redirect(url_for("blog.index"))

    return render_template("blog/create.html")


@bp.route("/<int:id>/update", methods=("GET", "POST"))
@login_required
def update(id):
    post = get_post(id)

    if request.method == "POST":
        title, body, error = read_form()
        if error is not None:
            flash(error)
            return render_template("blog/update.html", post=post), 400
        db = get_db()
        db.execute("UPDATE post SET title = ?, body = ? WHERE id = ?", (title, body, id))
        db.commit()
        return redirect(url_for("blog.index"))

    return render_template("blog/update.html", post=post)


@bp.route("/<int:id>/delete", methods=("POST",))
@login_required
def delete(id):
    get_post(id)
    db = get_db()
    db.execute("DELETE FROM post WHERE id = ?", (id,))
    db.commit()
    return redirect(url_for("blog.index"))
