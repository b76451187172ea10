# Two commands matter: `make demo` (the agent deploying the blog on a sandbox host) and
# `make test` (everything), both from a fresh Debian 12 machine as root. `make install`
# puts the agent on a real host. The rest are shortcuts for working on the code.
SWIFT ?= swift
PREFIX ?= /usr/local

.PHONY: test demo install uninstall build release bench deps testbed-image format lint clean-testbed

test:
	scripts/run-tests

demo:
	scripts/demo

# The binary, the unit and a config to edit on this host; never overwrites a config.
install: release
	scripts/install-agent --binary .build/release/reconciler --prefix $(PREFIX)

# Keeps /etc/reconciler and /var/lib/reconciler.
uninstall:
	scripts/install-agent --uninstall --prefix $(PREFIX)

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release --static-swift-stdlib

# Benchmarks print their numbers next to a peer's (git ls-remote, git fetch) from one run.
bench: release
	.build/release/reconciler-bench git planner --iterations $${ITERATIONS:-50}

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
