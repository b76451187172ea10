"""Back up the live database: python -m flaskr.backup

Copies the database named by FLASKR_DATABASE into <dbdir>/backups/flaskr-YYYYmmdd-HHMMSS.sqlite
(UTC), prints the copy's path, and keeps only the newest FLASKR_BACKUP_KEEP (default 30)
copies. SQLite's online backup API takes a consistent snapshot even while gunicorn workers
write, which a plain file copy would not.
"""

import os
import re
import sqlite3
import sys
from datetime import datetime, timezone
from pathlib import Path

from .config import database_path

DEFAULT_KEEP = 30
# Only files with exactly this shape are ever pruned, so nothing else in the folder is at risk.
BACKUP_NAME = re.compile(r"flaskr-\d{8}-\d{6}\.sqlite")


def backup(database, keep=DEFAULT_KEEP):
    """Snapshot database into its backups folder, prune old copies, return the new path."""
    database = Path(database)
    if keep < 1:
        raise ValueError(f"keep must be at least 1, not {keep}")
    # sqlite3.connect would quietly create an empty database; a backup of nothing is an error.
    if not database.is_file():
        raise FileNotFoundError(f"no database at {database}")

    folder = database.parent / "backups"
    folder.mkdir(mode=0o700, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    target = folder / f"flaskr-{stamp}.sqlite"
    # Written under another name first, so a failed run never leaves a file that looks
    # like a complete backup and counts towards the ones kept.
    partial = folder / f".{target.name}.partial"

    source = sqlite3.connect(database)
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)
            # The copy inherits the live database's WAL mode; rollback mode makes it a
            # single self-contained file.
            copy.execute("PRAGMA journal_mode = DELETE")
        finally:
            copy.close()
    finally:
        source.close()
    os.replace(partial, target)

    prune(folder, keep)
    return target


def prune(folder, keep):
    """Delete all but the newest keep backups in folder; return the deleted paths."""
    # The UTC timestamp in the name sorts the same as the time it stands for.
    backups = sorted(p for p in Path(folder).iterdir() if BACKUP_NAME.fullmatch(p.name))
    old = backups[:-keep]
    for path in old:
        path.unlink()
    return old


def keep_from_env():
    raw = os.environ.get("FLASKR_BACKUP_KEEP") or str(DEFAULT_KEEP)
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"FLASKR_BACKUP_KEEP must be a whole number, not {raw!r}") from None


def main():
    try:
        path = backup(database_path(), keep_from_env())
    except (OSError, ValueError, sqlite3.Error) as exc:
        # One line on stderr and a non-zero status is what the systemd unit reports.
        print(f"flaskr.backup: {exc}", file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
