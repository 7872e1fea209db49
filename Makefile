# Petshots — the front door for humans and CI. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
UV ?= uv
export CHECKPOINT_DISABLE := 1

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# Compiled bytecode, as the container images have it (UV_COMPILE_BYTECODE=1): in a shell with
# PYTHONDONTWRITEBYTECODE=1 every process would otherwise compile Litestar, SQLAlchemy ... again.
.PHONY: install
install: ## Install the Python workspace (one uv.lock) and the local tools make dev needs
	$(UV) sync --frozen --all-packages --compile-bytecode
	$(UV) run petshots-dev install-tools

.PHONY: dev
dev: install ## Start the whole product on embedded defaults; prints its URL; Ctrl-C stops it
	$(UV) run petshots-dev up

.PHONY: migrate
migrate: ## Apply the Alembic history to PETSHOTS_DATABASE_URL
	$(UV) run petshots-dev migrate

# mypy runs once per package: each has its own tests/conftest.py, which one run would see twice.
PY_DIRS := $(patsubst %/pyproject.toml,%,$(wildcard libs/*/pyproject.toml services/*/pyproject.toml tools/*/pyproject.toml)) tests $(if $(wildcard bench/*.py),bench)

.PHONY: lint
lint: ## ruff (lint + format check) and mypy --strict per package
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	@for d in $(PY_DIRS); do echo "mypy $$d"; $(UV) run mypy $$d || exit 1; done

.PHONY: test
test: install lint ## Every test: unit and integration against real Postgres, Redis and S3
	$(UV) run petshots-dev services-check
	$(UV) run pytest

.PHONY: fmt
fmt: ## Format and autofix
	$(UV) run ruff format .
	$(UV) run ruff check --fix .

# The SPA's targets (web-install, web-types, web-test, web-build, web-check, web-bench).
include web/web.mk

# `make fuzz`: Schemathesis with more examples than `make test` runs.
include tests/security/fuzz.mk
