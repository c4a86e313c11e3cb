# Herald: `make run` serves it on http://127.0.0.1:8080; `make test` runs the whole suite.
.PHONY: run test bench fuzz build release migrate clean deps schema-doc format

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh $(if $(FILTER),--filter '$(FILTER)')

bench:
	@bash scripts/bench.sh

# libFuzzer over the parsers and escapers, FUZZ_SECONDS (600) per target; the corpus it keeps is
# replayed by `make test`.
fuzz:
	@bash scripts/fuzz.sh

deps:
	@bash -c 'source scripts/lib.sh && ensure_deps'

build:
	swift build --disable-index-store

release:
	swift build -c release --disable-index-store

# Migrations against the running `make run` cluster (see README: HERALD_OWNER_DATABASE_URL).
migrate:
	@HERALD_OWNER_DATABASE_URL=$${HERALD_OWNER_DATABASE_URL:-"host=$${HERALD_DATA_DIR:-$(CURDIR)/.data}/pg-socket port=$${HERALD_PG_PORT:-5433} dbname=herald user=herald_owner"} \
	  swift run --disable-index-store heraldctl migrate up

clean:
	rm -rf .build

# docs/schema.md from the live schema of the `make run` cluster (start `make run` first).
schema-doc:
	@bash scripts/gen-schema-doc.sh "host=$${HERALD_DATA_DIR:-$(CURDIR)/.data}/pg-socket port=$${HERALD_PG_PORT:-5433} dbname=herald user=postgres"

# Formats every Swift file with the toolchain's swift-format (.swift-format: 4 spaces, 150 columns).
# `make test` refuses to run on code this would change.
format:
	swift format -i -r -p Sources Tests Package.swift
