# Two commands matter: `make test` (everything, from a fresh Debian 12 machine) and,
# later, `make demo`. The rest are shortcuts for working on the code.
SWIFT ?= swift

.PHONY: test build release bench deps testbed-image format lint clean-testbed

test:
	scripts/run-tests

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
