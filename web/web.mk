# The SPA (web/): included from the root Makefile. Node 20 + npm; the lockfile is the truth.
WEB := web
NPM ?= npm
WEB_STAMP := $(WEB)/node_modules/.installed

$(WEB_STAMP): $(WEB)/package.json $(WEB)/package-lock.json
	cd $(WEB) && $(NPM) ci --no-audit --no-fund --loglevel=error
	@touch $@

.PHONY: web-install
web-install: $(WEB_STAMP) ## Install the SPA's npm packages (npm ci, from the lockfile)

.PHONY: web-types
web-types: web-install ## Regenerate the SPA's API types from the services' OpenAPI documents
	$(UV) run python $(WEB)/scripts/dump_openapi.py | node $(WEB)/scripts/generate-api-types.mjs

.PHONY: web-types-check
web-types-check: web-install ## Fail when the committed API types differ from the services' OpenAPI
	$(UV) run python $(WEB)/scripts/dump_openapi.py | node $(WEB)/scripts/generate-api-types.mjs --check

.PHONY: web-typecheck
web-typecheck: web-install ## tsc --noEmit (strict) for the app and the service worker
	cd $(WEB) && $(NPM) run --silent typecheck

.PHONY: web-test
web-test: web-install ## Vitest: unit and integration tests of the SPA
	cd $(WEB) && $(NPM) run --silent test

.PHONY: web-build
web-build: web-install ## Production build into web/dist (what the edge serves at :8000)
	cd $(WEB) && $(NPM) run --silent build

.PHONY: web-check
web-check: web-typecheck web-test web-build ## Everything the SPA needs before the browser suite

.PHONY: web-bench
web-bench: web-build ## The door-moment benchmark (bench/door_moment.py) against the local stack
	$(UV) run python bench/door_moment.py

# `make test` runs the browser suite (tests/e2e) against web/dist: build and check it first.
test: web-check
