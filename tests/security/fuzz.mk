# `make fuzz`: the security suite's Schemathesis run with many more examples per operation than
# `make test` (500). Included by the root Makefile; the fuzzers run one process per service.
UV ?= uv
FUZZ_EXAMPLES ?= 5000

.PHONY: fuzz
fuzz: ## Schemathesis vs the three services' OpenAPI: FUZZ_EXAMPLES (5000) examples per operation
	PETSHOTS_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(UV) run pytest -q \
		tests/security/test_fuzz.py tests/security/test_secrets_in_logs.py
