"""Flaskr: a small blog, used as the example workload that the reconciler deploys.

The application is built by a factory so that gunicorn, the flask CLI and every test
get their own fully configured instance.
"""

import os

from flask import Flask

from . import auth, blog, db, health
from .config import database_path, database_url, load_or_create_secret_key, secret_from_environment


def create_app(test_config=None):
    """Build the application; test_config overrides the settings read from the environment."""
    app = Flask(__name__)
    app.config.from_mapping(
        DATABASE=database_path(),
        # PostgreSQL when set; the password comes separately, so the URL carries none.
        DATABASE_URL=database_url(),
        DATABASE_PASSWORD=secret_from_environment("FLASKR_DATABASE_PASSWORD"),
        # How long start-up waits for a PostgreSQL server that is still starting.
        DATABASE_WAIT=float(os.environ.get("FLASKR_DATABASE_WAIT") or 60),
        SECRET_KEY=secret_from_environment("FLASKR_SECRET_KEY"),
        # Browsers then leave the session cookie off cross-site form posts.
        SESSION_COOKIE_SAMESITE="Lax",
    )
    if test_config is not None:
        app.config.from_mapping(test_config)

    database = os.path.abspath(app.config["DATABASE"])
    app.config["DATABASE"] = database
    data_dir = os.path.dirname(database)
    os.makedirs(data_dir, exist_ok=True)

    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = load_or_create_secret_key(os.path.join(data_dir, "secret_key"))

    # A fresh volume or database needs no manual step: the schema is brought up to date here.
    db.migrate(app.config)
    db.init_app(app)

    app.register_blueprint(auth.bp)
    app.register_blueprint(blog.bp)
    app.register_blueprint(health.bp)
    # The blog's index is the site's front page.
    app.add_url_rule("/", endpoint="index")
    return app
