"""Liveness probe for the reconciler and the container runtime."""

from flask import Blueprint, current_app

from .db import errors, get_db

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz():
    # The process answering is not enough: the blog is useless without its database.
    try:
        get_db().execute("SELECT 1").fetchone()
    except errors() as exc:
        current_app.logger.warning("health check failed: %s", exc)
        return "database unavailable", 503, {"Content-Type": "text/plain; charset=utf-8"}
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}
