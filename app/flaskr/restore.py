"""Put an SQLite backup back: python -m flaskr.restore FILE

Copies FILE (one that python -m flaskr.backup wrote) over the live database named by
FLASKR_DATABASE with SQLite's online backup API, so it works while the blog runs: readers
see the old contents or the restored ones, never a mix. PostgreSQL is restored in its own
container with pg-restore (postgres/ in this repository).
"""

import sqlite3
import sys
from pathlib import Path

from .config import database_path, database_url


def restore(backup_file, database):
    """Replace database's contents with backup_file's; return how many posts it now holds."""
    backup_file = Path(backup_file)
    if not backup_file.is_file():
        raise FileNotFoundError(f"no backup at {backup_file}")
    # Read-only, so a wrong path can never be turned into an empty database.
    source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    try:
        try:
            source.execute("SELECT count(*) FROM post").fetchone()
        except sqlite3.DatabaseError as exc:
            raise ValueError(f"{backup_file} is not a blog backup ({exc})") from None
        target = sqlite3.connect(database, timeout=30)
        try:
            source.backup(target)
            (posts,) = target.execute("SELECT count(*) FROM post").fetchone()
        finally:
            target.close()
    finally:
        source.close()
    return posts


def main(argv):
    if len(argv) != 1:
        print("usage: python -m flaskr.restore FILE   (a backup that python -m flaskr.backup printed)", file=sys.stderr)
        return 2
    if database_url():
        print(
            "flaskr.restore: FLASKR_DATABASE_URL is set: restore PostgreSQL with pg-restore in the database container",
            file=sys.stderr,
        )
        return 1
    try:
        posts = restore(argv[0], database_path())
    except (OSError, ValueError, sqlite3.Error) as exc:
        print(f"flaskr.restore: {exc}", file=sys.stderr)
        return 1
    print(f"restored {posts} posts into {database_path()} from {argv[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
