# Sourced by scripts/demo and scripts/bench-deploy: a test host running the blog's
# production shape (desired-state/blog-web.yaml and blog-db.yaml: Caddy with HTTPS, two
# blog instances, PostgreSQL) from this repository, with pebble as its ACME CA.
#
# The caller sets PH_HOST (the host's name) and PH_LOGS (a directory for quiet steps' logs)
# and defines fail MESSAGE (prints and exits). Everything runs from the repository root.
#
# What differs from a real host, and why (nothing else is changed in desired-state/):
#   - pebble (Debian's ACME test server) in the host stands in for Let's Encrypt: the proxy
#     gets ACME_CA=https://localhost:14000/dir, SSL_CERT_FILE and pebble's listener CA
#     mounted, and SITE_ADDRESS=blog.example.test, which resolves to 127.0.0.1 in the host;
#   - no registry: debian:bookworm-slim and python:3.11-slim are the testbed's local image;
#   - the blog reaches PostgreSQL at the host's address, as a separate web host would
#     (host.containers.internal is podman's name for it, as DatabaseBackupEndToEndTests do).

PH_SITE=blog.example.test
PH_WORK=/srv/blog-work          # the working copy commits are made in, inside the host
PH_BARE=/srv/blog.git           # served by git daemon as git://127.0.0.1/blog.git
PH_REMOTE=git://127.0.0.1/blog.git
PH_PEBBLE=/etc/pebble
PH_BASE_IMAGE=localhost/reconciler-testbed-python:3.11

ph_in_host() { scripts/testbed exec "$PH_HOST" "$@"; }

# git as a named author, so commits work on a host with no git identity.
ph_git() {
    ph_in_host env GIT_AUTHOR_NAME=Operator GIT_AUTHOR_EMAIL=ops@example.org \
        GIT_COMMITTER_NAME=Operator GIT_COMMITTER_EMAIL=ops@example.org git -C "$PH_WORK" "$@"
}

# Boots a fresh host (one left by an earlier run of the same script is stopped first).
ph_boot() {
    scripts/testbed stop "$PH_HOST" >/dev/null 2>&1 || true
    scripts/testbed boot "$PH_HOST" >"$PH_LOGS/boot.log" 2>&1 || fail "scripts/testbed boot failed: $(tail -3 "$PH_LOGS/boot.log")"
    PH_ADDR=$(scripts/testbed addr "$PH_HOST")
}

# pebble exactly as Tests/EndToEndTests/TestHost+Pebble.swift starts it: from Debian through
# the testbed's NAT, a listener certificate made with openssl, challenges validated on the
# host's own 80/443. Its issuing root is copied to PH_ROOT_CA on this machine for curl.
ph_start_pebble() {
    {
        ph_in_host apt-get update -qq &&
            ph_in_host env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends pebble
    } >"$PH_LOGS/pebble-install.log" 2>&1 || fail "apt-get install pebble in the host: $(tail -3 "$PH_LOGS/pebble-install.log")"
    ph_in_host sh -c "echo '127.0.0.1 $PH_SITE' >> /etc/hosts"
    ph_in_host sh -c "
        set -e
        mkdir -p $PH_PEBBLE && cd $PH_PEBBLE
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
          -subj '/CN=testbed pebble TLS CA' -keyout ca.key -out ca.pem 2>/dev/null
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=pebble \
          -keyout pebble.key -out pebble.csr 2>/dev/null
        printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > san.ext
        openssl x509 -req -in pebble.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
          -extfile san.ext -out pebble.pem 2>/dev/null
        chmod 0644 ca.pem
        cat > config.json <<JSON
{\"pebble\": {\"listenAddress\": \"0.0.0.0:14000\", \"managementListenAddress\": \"0.0.0.0:15000\",
  \"certificate\": \"$PH_PEBBLE/pebble.pem\", \"privateKey\": \"$PH_PEBBLE/pebble.key\",
  \"httpPort\": 80, \"tlsPort\": 443, \"ocspResponderURL\": \"\", \"externalAccountBindingRequired\": false}}
JSON
    " || fail "pebble's listener certificate or config could not be written"
    # No random sleeps before validations and no rejected nonces: fast and deterministic.
    ph_in_host systemd-run -q --unit=pebble -E PEBBLE_VA_NOSLEEP=1 -E PEBBLE_WFE_NONCEREJECT=0 \
        pebble -config "$PH_PEBBLE/config.json" || fail "systemd-run pebble failed"
    ph_in_host curl -fsS --retry 30 --retry-connrefused --retry-delay 1 --cacert "$PH_PEBBLE/ca.pem" \
        -o "$PH_PEBBLE/root.pem" https://localhost:15000/roots/0 2>>"$PH_LOGS/pebble-install.log" || fail "pebble does not answer on localhost:15000"
    PH_ROOT_CA="$PH_LOGS/pebble-root.pem"
    ph_in_host cat "$PH_PEBBLE/root.pem" >"$PH_ROOT_CA"
}

# The Dockerfiles' bases from the testbed's local Debian image (no registry in a test host).
ph_tag_base_images() {
    ph_in_host podman tag "$PH_BASE_IMAGE" docker.io/library/debian:bookworm-slim ||
        fail "podman tag of the local base image failed"
}

# The two env files desired-state/ names, root-only, with one random password.
ph_write_secrets() {
    local password
    password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
    ph_in_host sh -c "
        set -e
        umask 077
        mkdir -p /etc/reconciler/secrets
        echo 'POSTGRES_PASSWORD=$password' > /etc/reconciler/secrets/blog-db.env
        echo 'FLASKR_DATABASE_PASSWORD=$password' > /etc/reconciler/secrets/blog.env
    " || fail "writing /etc/reconciler/secrets/*.env failed"
}

# A git repository in the host holding desired-state/, the app, proxy/ and postgres/ from
# this checkout (tracked files), with the test-host edits listed at the top, in ONE commit,
# served by git daemon on PH_REMOTE.
ph_repository() {
    local archive file=$PH_WORK/desired-state/blog-web.yaml
    archive=$(mktemp /tmp/reconciler-production.XXXXXX.tar)
    git ls-files -z -- desired-state app Dockerfile .dockerignore proxy postgres | tar --null -T - -cf "$archive"
    scripts/testbed cp "$PH_HOST" "$archive" /var/tmp/production-repo.tar
    rm -f "$archive"
    ph_in_host sh -c "rm -rf $PH_WORK $PH_BARE && mkdir -p $PH_WORK && tar -C $PH_WORK -xf /var/tmp/production-repo.tar"
    ph_in_host sed -i \
        -e "s|^  SITE_ADDRESS: .*|  SITE_ADDRESS: $PH_SITE\n  ACME_CA: https://localhost:14000/dir\n  SSL_CERT_FILE: $PH_PEBBLE/ca.pem|" \
        -e "s|^volumes: \[\"proxy-data:/data\"\]|volumes: [\"proxy-data:/data\", \"$PH_PEBBLE/ca.pem:$PH_PEBBLE/ca.pem:ro\"]|" \
        -e "s|host.containers.internal|$PH_ADDR|" "$file"
    local expected
    for expected in "SITE_ADDRESS: $PH_SITE" "ACME_CA: https://localhost:14000/dir" "$PH_PEBBLE/ca.pem:ro" "@$PH_ADDR:5432"; do
        ph_in_host grep -qF "$expected" "$file" ||
            fail "desired-state/blog-web.yaml no longer has the line this script edits for '$expected': update scripts/lib/production-host.sh"
    done
    ph_git init -q -b main
    ph_git add -A
    ph_git commit -q -m "The blog in production: proxy, two instances, PostgreSQL"
    ph_in_host git clone -q --bare "$PH_WORK" "$PH_BARE"
    ph_in_host systemd-run -q --unit ph-git-daemon git daemon --listen=127.0.0.1 --port=9418 --reuseaddr \
        --export-all --base-path=/srv /srv
    local _
    for _ in $(seq 1 50); do ph_in_host git ls-remote "$PH_REMOTE" >/dev/null 2>&1 && return; sleep 0.2; done
    fail "git daemon does not answer on 127.0.0.1:9418"
}

# Commits every change in the working copy and pushes it to the served repository.
ph_commit() {
    ph_git commit -q -a -m "$1"
    ph_git push -q "$PH_BARE" main
}

# The agent from BINARY, installed with scripts/install-agent.
ph_install_agent() {
    local binary=$1 dir=/var/tmp/reconciler-install
    ph_in_host rm -rf "$dir"
    scripts/testbed cp "$PH_HOST" "$binary" "$dir/reconciler"
    scripts/testbed cp "$PH_HOST" scripts/install-agent "$dir/install-agent"
    scripts/testbed cp "$PH_HOST" units/reconciler.service "$dir/reconciler.service"
    scripts/testbed cp "$PH_HOST" units/config.example.yaml "$dir/config.example.yaml"
    ph_in_host "$dir/install-agent" --binary "$dir/reconciler" --unit "$dir/reconciler.service" \
        --config-example "$dir/config.example.yaml" >"$PH_LOGS/install-agent.log" 2>&1 ||
        fail "install-agent failed: $(tail -3 "$PH_LOGS/install-agent.log")"
}

# The agent's config: this host's repository and LABELS (e.g. "{web: blog, db: blog}", the
# whole blog on one host). POLL, if given, is pollInterval.
ph_write_config() {
    local labels=$1 poll=${2:-} config
    config=$(mktemp /tmp/reconciler-production-config.XXXXXX)
    {
        echo "# Written by $(basename "$0"): the host's own git daemon."
        echo "repository:"
        echo "  url: $PH_REMOTE"
        echo "  branch: main"
        echo "host:"
        echo "  labels: $labels"
        if [ -n "$poll" ]; then echo "pollInterval: $poll"; fi
    } >"$config"
    scripts/testbed cp "$PH_HOST" "$config" /etc/reconciler/config.yaml
    rm -f "$config"
    ph_in_host chmod 0600 /etc/reconciler/config.yaml
}

# curl from this machine to the site on the host, verifying pebble's certificate.
ph_curl() {
    curl --resolve "$PH_SITE:443:$PH_ADDR" --resolve "$PH_SITE:80:$PH_ADDR" --cacert "$PH_ROOT_CA" "$@"
}

# Changes app code: the release string in the page's <head> (a new image, a real deploy).
ph_change_release() {
    local release=$1
    ph_in_host sed -i -e '/<meta name="release"/d' \
        -e "s|^  <meta charset=\"utf-8\">|&\n  <meta name=\"release\" content=\"$release\">|" \
        "$PH_WORK/app/flaskr/templates/base.html"
    ph_in_host grep -qF "content=\"$release\"" "$PH_WORK/app/flaskr/templates/base.html" ||
        fail "app/flaskr/templates/base.html has no '<meta charset=\"utf-8\">' line to put the release after"
}

ph_serves_release() { ph_curl -fsS --max-time 5 "https://$PH_SITE/" 2>/dev/null | grep -qF "content=\"$1\""; }

# wrk from this machine, over HTTPS to the proxy with the site's name for SNI and Host:
# blog.example.test resolves to the host in a private mount namespace (this machine's
# /etc/hosts is untouched). Runs until SIGINT; writes its report to OUT; sets PH_WRK_PID.
# CONNECTIONS connections, each sending its next request 10 ms after an answer: a steady
# load that leaves the 2 cores room for the deploys' image builds.
ph_start_wrk() {
    local out=$1 connections=${2:-8} hosts lua
    hosts="$PH_LOGS/wrk-hosts"
    lua="$PH_LOGS/wrk-pace.lua"
    printf '127.0.0.1 localhost\n%s %s\n' "$PH_ADDR" "$PH_SITE" >"$hosts"
    echo 'function delay() return 10 end' >"$lua"
    unshare -m sh -c 'mount --bind "$1" /etc/hosts && shift && exec "$@"' sh "$hosts" \
        wrk -t2 -c"$connections" -d3600s --timeout 10s --latency -s "$lua" "https://$PH_SITE/" >"$out" 2>&1 &
    PH_WRK_PID=$!
}

# Stops wrk (SIGINT: it prints its report then) and waits for it.
ph_stop_wrk() {
    if [ -n "${PH_WRK_PID:-}" ]; then
        kill -INT "$PH_WRK_PID" 2>/dev/null || true
        wait "$PH_WRK_PID" 2>/dev/null || true
        PH_WRK_PID=""
    fi
}
