# The example blog that the reconciler deploys. Build from the repository root:
#   podman build -t flaskr .
# Only app/ is sent to the build (see .dockerignore).
ARG BASE=python:3.11-slim
FROM ${BASE}

# python3 -m, not bare commands: the official image has Python in /usr/local/bin, the
# Debian-based stand-in used in tests has it in /usr/bin, and "python3" exists in both.
ENV PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    FLASKR_DATABASE=/data/flaskr.sqlite

# A fixed uid/gid, so the owner of the /data volume is the same on every host.
# The home directory is where gunicorn puts its control socket.
RUN groupadd --gid 1000 flaskr \
 && useradd --uid 1000 --gid 1000 --create-home --home-dir /home/flaskr \
        --shell /usr/sbin/nologin flaskr

WORKDIR /app

# Dependencies first: this layer stays cached until requirements.txt changes.
COPY app/requirements.txt ./
RUN python3 -m pip install --no-cache-dir -r requirements.txt

# The code stays root-owned and read-only to the app, so it is compiled here, once.
COPY app/flaskr ./flaskr
RUN python3 -m compileall -q flaskr

# Created and handed over before VOLUME: a fresh volume copies this owner and mode.
RUN mkdir -p /data && chown 1000:1000 /data && chmod 0750 /data
VOLUME /data

USER 1000:1000
EXPOSE 8080

# gunicorn's error log goes to stderr by default; "-" sends the access log to stdout.
# Exec form, so gunicorn is PID 1 and gets the runtime's SIGTERM for a graceful stop.
CMD ["python3", "-m", "gunicorn", "--bind", "0.0.0.0:8080", "--workers", "2", \
     "--access-logfile", "-", "flaskr:create_app()"]
