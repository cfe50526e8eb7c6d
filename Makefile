# Creator Growth Tool. `make run` starts everything; `make test` tests everything.
.PHONY: run test test-go test-web e2e bench loadtest faults scale fuzz lint build clean

run: ## Start the product on http://localhost:8080 (PostgreSQL, .env, web app, sandbox)
	@scripts/run.sh

test: ## Every test: Go (race, real PostgreSQL), web unit tests, browser tests
	@scripts/test.sh

test-go: ## Go tests only
	@TEST_DATABASE_URL=$$(scripts/test-db.sh) go test -race -count=1 ./...

test-web: ## Web unit tests only
	@cd web && npm test

e2e: ## Browser tests only
	@scripts/e2e.sh

bench: ## Benchmarks: Instagram sync and the stats endpoint
	@scripts/bench.sh

loadtest: ## Load test of bin/server on a private PostgreSQL, then /health against a bare Gin handler; figures in docs/performance.md
	@scripts/loadtest.sh

faults: ## Fault drills: database restart, SIGKILL mid-sync, Instagram down, SIGTERM under load, a replica killed, SMTP down
	@scripts/faults.sh

scale: ## Scale drill: two replicas, 10,000 accounts × 1,000 posts, a replica SIGKILLed; figures in docs/performance.md
	@scripts/scale.sh

fuzz: ## Every fuzz target for FUZZTIME each (default 5m), two at a time
	@FUZZ_JOBS=$${FUZZ_JOBS:-2} scripts/fuzz.sh $${FUZZTIME:-5m}

lint: ## gofmt, go vet, staticcheck (when installed), then the web lint (API types, tsc, ESLint)
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	@go vet ./...
	@sc=$$(command -v staticcheck || echo "$$(go env GOPATH)/bin/staticcheck"); \
		if [ -x "$$sc" ]; then "$$sc" ./...; else echo "staticcheck not installed: go install honnef.co/go/tools/cmd/staticcheck@v0.8.2"; fi
	@cd web && { [ -d node_modules ] && [ ! package-lock.json -nt node_modules/.package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; } && npm run lint

build: ## bin/server with the web app embedded
	@scripts/build.sh

clean: ## Remove build output (keeps .env and the database)
	rm -rf bin web/dist
