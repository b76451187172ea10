# Two commands matter: `make demo` (the agent deploying the blog on a sandbox host) and
# `make test` (everything), both from a fresh Debian 12 machine as root. `make install`
# puts the agent on a real host, `make deb` builds a Debian package of it
# (.build/deb/reconciler_VERSION-1_ARCH.deb, for `dpkg -i`). The rest are shortcuts for
# working on the code.
SWIFT ?= swift
PREFIX ?= /usr/local

.PHONY: test demo install uninstall build release bench deps testbed-image format lint clean-testbed
.PHONY: deb docs completions man
.PHONY: bench-deploy bench-fleet

test:
	scripts/run-tests

demo:
	scripts/demo

# The binary, the unit, completions, the man page and a config to edit on this host;
# never overwrites a config.
install: release docs
	scripts/install-agent --binary .build/release/reconciler --docs .build/docs --prefix $(PREFIX)

# Keeps /etc/reconciler and /var/lib/reconciler.
uninstall:
	scripts/install-agent --uninstall --prefix $(PREFIX)

build:
	$(SWIFT) build

# The Debian package: the binary, unit, conffile, completions and man page; seconds once
# the release binary is built.
deb: release
	scripts/build-deb --binary .build/release/reconciler --output .build/deb

# Shell completions (bash, zsh, fish) and the man page, generated from the release
# binary's own command tree into .build/docs.
docs: release
	scripts/generate-docs --binary .build/release/reconciler --output .build/docs

completions man: docs

release:
	$(SWIFT) build -c release --static-swift-stdlib

# Benchmarks print their numbers next to a peer's (git ls-remote, git fetch) from one run.
bench: release
	.build/release/reconciler-bench git planner --iterations $${ITERATIONS:-50}

# Code deploys under HTTPS load on a test host: the production shape (two instances,
# rolling) against one instance restarted in place. DEPLOYS=3 for a quick run.
bench-deploy: release
	RECONCILER_BINARY=$(CURDIR)/.build/release/reconciler scripts/bench-deploy --deploys $${DEPLOYS:-10}

# What a fleet costs the git server: 200 agents on testbed hosts polling one repository over
# git://, http:// and https://; about 17 minutes, root. BENCH_FLEET_ARGS="--agents 20" for a quick run.
bench-fleet: release
	scripts/bench-fleet $(BENCH_FLEET_ARGS)

deps:
	scripts/install-dependencies

testbed-image:
	scripts/testbed image

clean-testbed:
	scripts/testbed stop --all

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests
