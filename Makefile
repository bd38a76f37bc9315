# Operator entry points; the scripts in deploy/local/ do the work (see deploy/README.md).
#   make run    local stack in the foreground (installs what is missing; Ctrl-C stops all)
#   make up     the same in the background, returns once every service answers /ready
#   make down   stops it
#   make test   set-up, build, every test against the real broker and databases, a smoke run, the
#               web front end's browser tests in headless Chromium, a short chaos run and schemathesis
#               against openapi.yaml (deploy/local/fuzz)
#   make bench  set-up, then every benchmark (Benchmarks/run)
#   make chaos  the fault run: documents from partner agencies while RabbitMQ, PostgreSQL and every
#               service are killed (SIGKILL) and started again; ends `chaos: N sent, N registered, …`
#   make build  swift build

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := build
.PHONY: run up down test bench build chaos

# Tests run one after another: one of them stops and restarts the shared broker.
SWIFT_TEST_FLAGS ?= --no-parallel

run:
	deploy/local/run

up:
	deploy/local/up

down:
	deploy/local/down

build:
	swift build

# Each line must succeed for the next to run; the tests read the local stack from test.env. The fuzzer
# runs last: with an admin token it fills the catalogs with junk the chaos run should not start from.
test:
	deploy/local/setup
	swift build --build-tests
	set -a; . .local/env/test.env; set +a; swift test $(SWIFT_TEST_FLAGS)
	deploy/local/smoke
	deploy/local/browser-tests
	IOFFICE_CHAOS_DOCUMENTS=300 IOFFICE_CHAOS_FAULT_SECONDS=45 deploy/local/chaos
	deploy/local/fuzz

chaos:
	deploy/local/chaos

bench:
	deploy/local/setup
	Benchmarks/run
