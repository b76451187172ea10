"""Settings that come from the environment or from files next to the database."""

import os
import secrets
import tempfile

DEFAULT_DATABASE = "/data/flaskr.sqlite"


def database_path():
    """Absolute path of the SQLite database, from FLASKR_DATABASE."""
    return os.path.abspath(os.environ.get("FLASKR_DATABASE") or DEFAULT_DATABASE)


def database_url():
    """FLASKR_DATABASE_URL (postgresql://user@host:port/db), or None for the SQLite file."""
    url = os.environ.get("FLASKR_DATABASE_URL") or None
    if url is not None and not url.startswith(("postgresql://", "postgres://")):
        raise ValueError(
            f"FLASKR_DATABASE_URL must start with postgresql://, not {url.split(':', 1)[0]!r}:"
            " leave it unset and set FLASKR_DATABASE for an SQLite file"
        )
    return url


def secret_from_environment(name):
    """The value of NAME, or the contents of the file NAME_FILE names (Docker's convention).

    A file is how the reconciler hands over secrets from git (/run/secrets/NAME, decrypted
    into tmpfs): a value in the environment would be stored in the container's config on disk.
    """
    path = os.environ.get(name + "_FILE")
    if path:
        with open(path, encoding="utf-8") as f:
            return f.read().strip()
    return os.environ.get(name)


def load_or_create_secret_key(path):
    """Return the key stored at path, generating and storing one on first use.

    Keeping the key on the data volume lets sessions survive restarts and image
    upgrades without anyone having to configure FLASKR_SECRET_KEY.
    """
    try:
        key = _read_key(path)
    except FileNotFoundError:
        key = _create_key(path)
    if not key:
        raise RuntimeError(f"{path} is empty: delete it to have a new secret key generated")
    return key


def _read_key(path):
    with open(path, encoding="ascii") as f:
        return f.read().strip()


def _create_key(path):
    # Gunicorn workers start side by side, so two may get here at once. Each writes a
    # complete private file, then hard-links it into place: the link fails for all but
    # the first, and the others read the winner's key, never a half-written file.
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".secret_key.")  # mode 0600
    try:
        key = secrets.token_hex(32)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(key + "\n")
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return _read_key(path)
        return key
    finally:
        os.unlink(tmp)
