# The two commands a newcomer needs:
#   make demo   build and serve the demo on http://127.0.0.1:8080 (SQLite, demo accounts)
#   make test   every test: Rust (store tests on SQLite and PostgreSQL), then the browser smoke test
# Both install what they need first.

DEMO_ARGS ?=
CARGO ?= cargo

.PHONY: demo test assets node-deps test-deps rust-tests browser-tests lint

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

node-deps: node_modules/.package-lock.json

# GOV.UK Frontend compiled with Sass into crates/web/assets/dist, embedded in the binary.
assets: node-deps
	npm run build

demo: assets
	$(CARGO) run -p peer-challenge -- demo $(DEMO_ARGS)

test-deps: node-deps
	scripts/install-test-deps

# The URL is assigned first so that a PostgreSQL that fails to start stops here, not in the tests.
rust-tests: assets test-deps
	url="$$(scripts/start-test-postgres)" && PEER_CHALLENGE_TEST_POSTGRES_URL="$$url" $(CARGO) test --workspace

browser-tests: assets test-deps
	$(CARGO) build -p peer-challenge
	npm run test:browser

test: rust-tests browser-tests

lint: assets
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
