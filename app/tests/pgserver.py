"""A real PostgreSQL 15 server for the tests: initdb and pg_ctl into a temporary folder.

It listens on a Unix socket in that folder only, so concurrent test runs on one machine do
not fight over a TCP port. initdb refuses to run as root; as root the server runs as the
postgres user that Debian's postgresql-15 package creates.
"""

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

BIN = Path("/usr/lib/postgresql/15/bin")
PASSWORD = "s3cret 'quoted'"


class Server:
    def __init__(self):
        if not (BIN / "initdb").exists():
            raise RuntimeError(
                f"{BIN}/initdb is missing: install Debian's postgresql-15 (scripts/install-dependencies)"
            )
        self.root = Path(tempfile.mkdtemp(prefix="flaskr-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root
        self._user = None
        if os.geteuid() == 0:
            self._user = pwd.getpwnam("postgres")
            os.chown(self.root, self._user.pw_uid, self._user.pw_gid)
        pwfile = self.root / "pw"
        pwfile.write_text(PASSWORD + "\n")
        self._chown(pwfile)
        self.run(
            BIN / "initdb", "-D", self.data, "-U", "postgres", f"--pwfile={pwfile}",
            "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        pwfile.unlink()
        self.run(
            BIN / "pg_ctl", "-D", self.data, "-w", "-l", self.root / "log",
            "-o", f"-c listen_addresses='' -k {self.socket_dir} -c fsync=off",
            "start",
        )  # fmt: skip
        self.env = {"PGHOST": str(self.socket_dir), "PGUSER": "postgres", "PGPASSWORD": PASSWORD}

    def _chown(self, path):
        if self._user is not None:
            os.chown(path, self._user.pw_uid, self._user.pw_gid)

    def run(self, *args, env=None):
        """Run a PostgreSQL program as the server's user, failing on a non-zero status."""
        argv = [str(a) for a in args]
        if self._user is not None:
            argv = ["runuser", "-u", "postgres", "--"] + argv
        full_env = {**os.environ, **(env or {})}
        return subprocess.run(argv, env=full_env, check=True, capture_output=True, text=True, timeout=120)

    def url(self, database):
        return f"postgresql://postgres@/{database}?host={self.socket_dir}"

    def admin(self, sql):
        """Run one statement in the postgres database with autocommit (CREATE/DROP DATABASE)."""
        import psycopg2

        conn = psycopg2.connect(self.url("postgres"), password=PASSWORD)
        conn.autocommit = True
        try:
            conn.cursor().execute(sql)
        finally:
            conn.close()

    def stop(self):
        try:
            self.run(BIN / "pg_ctl", "-D", self.data, "-w", "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
