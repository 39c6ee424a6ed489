# grafana-invites: the two commands that matter are `make demo` and `make test`.
GO       ?= go
# The root go.work joins the library and the CLI (cmd/grafana-invites, its own module).
# Go refuses workspace mode for `go tool -modfile=…` and inside modules the workspace does
# not list (tools/, bench/, testdata/): those commands run with $(NOWORK).
NOWORK   := GOWORK=off
CLI      := cmd/grafana-invites
GORELEASER := $(NOWORK) $(GO) tool -modfile=tools/goreleaser/go.mod goreleaser
GOFILES  := $(shell find . -name '*.go' -not -path '*/node_modules/*' -not -path './.git/*')

.PHONY: all demo test generate check-generated check-deps vet fmt-check lint unit contract \
	spec-lint spec-gate contract-ts contract-python contract-schemathesis browser-test check fuzz-short bench bench-smoke conformance actionlint release-check \
	release-snapshot mutation tidy-cli bin/grafana-invites bin/oasdiff bin/golangci-lint

all: test

## demo: invite → list → revoke → list on an in-process fake Grafana
demo:
	$(GO) run ./$(CLI) demo

## test: everything CI checks
test: vet fmt-check lint check-generated check-deps unit contract check contract-python contract-schemathesis browser-test \
	release-check bench-smoke fuzz-short

## check: the contract's checks: Redocly lint, the breaking-change gate, the TypeScript client,
## the workflows (actionlint)
check: spec-lint spec-gate contract-ts actionlint

## actionlint: the GitHub workflows and the fleet example's, with actionlint pinned in tools/actionlint
actionlint:
	$(NOWORK) $(GO) tool -modfile=tools/actionlint/go.mod actionlint -no-color -shellcheck= -pyflakes= .github/workflows/*.yml docs/examples/fleet-workflow.yml

# -buildvcs=true: the version shows the commit it was built from, whatever GOFLAGS says;
# the check after it keeps README's promise of the revision.
bin/grafana-invites:
	$(GO) build -buildvcs=true -o bin/grafana-invites ./$(CLI)
	@bin/grafana-invites version | grep -Eq ' \([0-9a-f]{12}(\+dirty)?\) ' || \
		{ echo "bin/grafana-invites: its version shows no VCS revision: $$(bin/grafana-invites version)" >&2; exit 1; }

bin/oasdiff:
	cd tools && $(NOWORK) $(GO) build -o ../bin/oasdiff github.com/oasdiff/oasdiff

# golangci-lint is built from its pin, then run in each module as that module builds: the
# CLI in the workspace (it requires the library's unpublished version), the others alone.
bin/golangci-lint:
	$(NOWORK) $(GO) build -modfile=tools/lint/go.mod -o bin/golangci-lint github.com/golangci/golangci-lint/v2/cmd/golangci-lint

## lint: golangci-lint v2 (pinned in tools/lint/go.mod) on every module
lint: bin/golangci-lint
	$(NOWORK) bin/golangci-lint run --allow-parallel-runners ./...
	cd $(CLI) && ../../bin/golangci-lint run --allow-parallel-runners --config ../../.golangci.yml ./...
	cd tools && $(NOWORK) ../bin/golangci-lint run --allow-parallel-runners --config ../.golangci.yml ./...
	cd bench && $(NOWORK) ../bin/golangci-lint run --allow-parallel-runners --config ../.golangci.yml ./...
	cd browser && $(NOWORK) ../bin/golangci-lint run --allow-parallel-runners --config ../.golangci.yml ./...

## spec-lint: Redocly CLI (pinned in contract/redocly) with the recommended ruleset
spec-lint:
	cd contract/redocly && npm ci --no-audit --no-fund --loglevel=error && npm run --silent lint

## spec-gate: oasdiff refuses breaking changes of openapi.yaml unless CHANGELOG.md marks them
spec-gate: bin/oasdiff
	OASDIFF=$(CURDIR)/bin/oasdiff bash tools/spec-gate.sh

## contract-ts: a TypeScript client generated from openapi.yaml calls serve-fake
contract-ts: bin/grafana-invites
	cd contract/typescript && npm ci --no-audit --no-fund --loglevel=error && \
	GRAFANA_INVITES_BIN=$(CURDIR)/bin/grafana-invites npm test

# The Python checks: OpenAPI Generator's CLI jar (pinned, from Maven Central, into the ignored
# .cache/ with a Maven repository of its own) and a virtual environment with the pinned
# requirements (contract/python/.venv, ignored).
OAG_VERSION := 7.17.0
OAG_JAR     := .cache/openapi-generator/openapi-generator-cli-$(OAG_VERSION).jar
PYDIR       := contract/python
PYVENV      := $(PYDIR)/.venv

$(OAG_JAR):
	@command -v java >/dev/null || { echo "contract-python needs Java 17 or later (java on PATH) to run OpenAPI Generator"; exit 1; }
	@command -v mvn >/dev/null || { echo "contract-python needs Maven (mvn on PATH) to fetch OpenAPI Generator from Maven Central"; exit 1; }
	mvn -q -B -Dmaven.repo.local=$(CURDIR)/.cache/m2 dependency:copy \
		-Dartifact=org.openapitools:openapi-generator-cli:$(OAG_VERSION) -DoutputDirectory=$(CURDIR)/$(dir $(OAG_JAR))

$(PYVENV)/installed: $(PYDIR)/requirements.txt
	@command -v python3 >/dev/null || { echo "the Python checks need Python 3.11 or later (python3 on PATH)"; exit 1; }
	python3 -m venv $(PYVENV)
	$(PYVENV)/bin/pip install -q --disable-pip-version-check -r $(PYDIR)/requirements.txt
	touch $@

## browser-test: the fake's invite page in a real browser, Debian's chromium (installed by
## tools/install-chromium.sh when missing; CHROMIUM names another), driven by chromedp from
## the module browser/
browser-test:
	bash tools/install-chromium.sh
	cd browser && $(NOWORK) $(GO) test -count=1 ./...

## contract-python: the seed's generator (OpenAPI Generator, python) makes a client of
## openapi.yaml, and pytest drives it against serve-fake
contract-python: bin/grafana-invites $(OAG_JAR) $(PYVENV)/installed
	rm -rf $(PYDIR)/build
	java -jar $(OAG_JAR) generate --generator-name python --input-spec openapi.yaml \
		--output $(PYDIR)/build/client --package-name grafanaApiClient \
		--global-property apiTests=false,modelTests=false > $(PYDIR)/build.log 2>&1 || { cat $(PYDIR)/build.log; exit 1; }
	cd $(PYDIR) && GRAFANA_INVITES_BIN=$(CURDIR)/bin/grafana-invites PYTHONPATH=build/client \
		.venv/bin/python -m pytest -p no:cacheprovider -q test_generated_client.py

## contract-schemathesis: schemathesis (every check, 100 examples an operation, the links'
## sequences) against serve-fake and openapi.yaml; SCHEMATHESIS_SEED replays a run
contract-schemathesis: bin/grafana-invites $(PYVENV)/installed
	cd $(PYDIR) && GRAFANA_INVITES_BIN=$(CURDIR)/bin/grafana-invites .venv/bin/python run_schemathesis.py

## generate: regenerate gen/ from openapi.yaml
generate:
	$(GO) generate ./...

## check-generated: gen/ must be exactly what `go generate ./...` makes of openapi.yaml
check-generated:
	@tmp=$$(mktemp -d) && cp -r gen "$$tmp/before" && \
	$(GO) generate ./... && \
	if ! diff -ru "$$tmp/before" gen > "$$tmp/diff"; then \
		echo "gen/ was stale: it is regenerated now, commit it. Differences:"; head -40 "$$tmp/diff"; rm -rf "$$tmp"; exit 1; \
	fi; rm -rf "$$tmp"; echo "gen/ is up to date"

vet:
	$(GO) vet ./...
	cd $(CLI) && $(GO) vet ./...
	cd tools && $(NOWORK) $(GO) vet ./...
	cd bench && $(NOWORK) $(GO) vet ./...
	cd browser && $(NOWORK) $(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $(GOFILES)); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi; echo "gofmt: clean"

## unit: the tests, under the race detector
unit:
	$(GO) test -race -count=1 ./...
	cd $(CLI) && $(GO) test -race -count=1 ./...

## contract: openapi.yaml validated by kin-openapi, and the fake's answers and the client's
## requests validated against it; the spec gate's own tests
contract:
	cd tools && $(NOWORK) $(GO) test -count=1 ./...

## fuzz-short: a short run of every fuzz target, about 8 s each on a 2-core machine. Counts of
## executions, not durations: on Go 1.26 a duration -fuzztime races the fuzz coordinator's own
## deadline and can fail a run that found nothing (go.dev/issue/75804, fixed in Go 1.27).
## FUZZTIME=30s (or 1000000x) sets every target's budget.
fuzz-short:
	$(GO) test -run '^$$' -fuzz '^FuzzServeHTTP$$' -fuzztime $(or $(FUZZTIME),100000x) ./fakegrafana
	$(GO) test -run '^$$' -fuzz '^FuzzErrorBody$$' -fuzztime $(or $(FUZZTIME),50000x) ./api
	$(GO) test -run '^$$' -fuzz '^FuzzRetryDecision$$' -fuzztime $(or $(FUZZTIME),100000x) ./api
	$(GO) test -run '^$$' -fuzz '^FuzzRedaction$$' -fuzztime $(or $(FUZZTIME),40000x) ./api
	$(GO) test -run '^$$' -fuzz '^FuzzValid$$' -fuzztime $(or $(FUZZTIME),250000x) ./internal/emailaddr

## check-deps: a consumer's module graph holds neither the generator nor kin-openapi, the
## library requires only oapi-codegen's runtime and testify, and the CLI binary links neither
## testing nor net/http/httptest
check-deps:
	@cd testdata/consumer && modules=$$($(NOWORK) $(GO) list -m all) && \
	if echo "$$modules" | grep -E 'oapi-codegen/oapi-codegen|kin-openapi'; then \
		echo "a consumer's module graph holds the generator or kin-openapi"; exit 1; fi
	@direct=$$($(NOWORK) $(GO) mod edit -json | $(NOWORK) $(GO) run ./internal/tools/directreqs); \
	if [ "$$direct" != "github.com/oapi-codegen/runtime github.com/stretchr/testify" ]; then \
		echo "go.mod requires more than runtime and testify: $$direct"; exit 1; fi; \
	echo "dependencies: consumer graph clean; go.mod requires only: $$direct"
	@deps=$$(cd $(CLI) && $(GO) list -deps .) && \
	if echo "$$deps" | grep -qxE 'testing|net/http/httptest'; then \
		echo "the grafana-invites binary links testing or net/http/httptest"; exit 1; fi; \
	echo "dependencies: the grafana-invites binary links neither testing nor net/http/httptest"

## conformance: the conformance suite against the Grafana of GRAFANA_URL, GRAFANA_USER and
## GRAFANA_PASSWORD (a server admin), optionally GRAFANA_TOKEN, GRAFANA_VERSION and
## GRAFANA_CONFORMANCE_SEED (docs/conformance.md)
conformance:
	$(GO) run ./conformance/cmd/conformance

BENCH_MICRO := Invite|ListPending|Revoke|Server

## bench: benchmarks (own module, bench/): ours vs the net/http floor vs the official client,
## bulk Apply throughput, the fake's cost, a CLI sync and a fleet; prints benchstat tables and
## checks the targets
bench:
	@mkdir -p bench/results
	@echo "micro-benchmarks, 10 interleaved rounds (a few minutes)..."
	@# One process per round, each running every implementation once: drift of this shared
	@# machine over the minutes of a run then falls on all of them alike, where -count 10
	@# would run each implementation's ten samples back to back.
	cd bench && $(NOWORK) $(GO) test -c -o results/bench.test . && rm -f results/micro.txt && \
	for round in 1 2 3 4 5 6 7 8 9 10; do \
		./results/bench.test -test.run '^$$' -test.bench '$(BENCH_MICRO)' -test.benchmem -test.count 1 -test.timeout 30m >> results/micro.txt || exit 1; \
	done
	@echo "bulk Apply, 1 000 addresses at 20 ms each, -count 3 (about a minute)..."
	cd bench && $(NOWORK) $(GO) test -run '^$$' -bench 'ApplyBulk' -benchtime 1x -count 3 -timeout 30m . > results/bulk.txt
	@echo "peak heap of a 100 000-invite list, before and after streaming, -count 5..."
	$(GO) test -run '^$$' -bench 'ListPeakHeap' -benchtime 1x -count 5 -timeout 30m ./api > bench/results/memory.txt
	@echo "the fake's cache of the encoded list, 10 000 invites listed 20 times, -count 5..."
	$(GO) test -run '^$$' -bench 'ListCache' -benchtime 20x -count 5 -timeout 30m ./fakegrafana > bench/results/listcache.txt
	@echo "a whole CLI sync of 2 000 rows at 20 ms latency, concurrency 16 and 64, -count 6 (about half a minute)..."
	cd $(CLI) && $(GO) test -run '^$$' -bench 'BenchmarkSync' -benchtime 1x -count 6 -timeout 30m . > ../../bench/results/sync.txt
	@echo "a fleet: the CLI as a process, 10 Grafanas x 5 organisations x 200 invites at 20 ms, -count 3 (about half a minute)..."
	cd $(CLI) && $(GO) test -run '^$$' -bench 'BenchmarkFleet' -benchtime 1x -count 3 -timeout 30m . > ../../bench/results/fleet.txt
	cd bench && $(NOWORK) $(GO) tool benchstat -col /impl results/micro.txt
	cd bench && $(NOWORK) $(GO) tool benchstat results/bulk.txt
	cd bench && $(NOWORK) $(GO) tool benchstat -col /impl results/memory.txt
	cd bench && $(NOWORK) $(GO) tool benchstat results/sync.txt
	cd bench && $(NOWORK) $(GO) tool benchstat results/fleet.txt
	cd bench && $(NOWORK) $(GO) tool benchstat results/listcache.txt
	cd bench && $(NOWORK) $(GO) run ./cmd/benchcheck results/micro.txt results/bulk.txt results/memory.txt results/sync.txt results/listcache.txt results/fleet.txt

## bench-smoke: every micro-benchmark once, so that they keep working (not a measurement)
bench-smoke:
	cd bench && $(NOWORK) $(GO) test -run '^$$' -bench '$(BENCH_MICRO)' -benchtime 1x .
	$(GO) test -run '^$$' -bench 'ListPeakHeap' -benchtime 1x ./api
	$(GO) test -run '^$$' -bench 'ListCache' -benchtime 1x ./fakegrafana
	cd $(CLI) && $(GO) test -run '^$$' -bench 'BenchmarkSync|BenchmarkFleet' -benchtime 1x .

## tidy-cli: go mod tidy for the CLI's module, against the working tree's library (the
## version it requires is published only at release)
tidy-cli:
	cd $(CLI) && $(GO) mod edit -replace github.com/grafana-invites/grafana-invites=../.. && \
	$(NOWORK) $(GO) mod tidy; status=$$?; \
	$(GO) mod edit -dropreplace github.com/grafana-invites/grafana-invites; exit $$status

## release-check: .goreleaser.yaml passes `goreleaser check` (pinned in tools/goreleaser);
## the CLI builds outside the workspace against the library version its go.mod requires,
## packed from the working tree into a file-based module proxy, as it will once that version
## is tagged (CONTRIBUTING.md, "Releasing"), and reports the version set by ldflags
release-check:
	$(GORELEASER) check
	@# A module cache of its own, fed from the usual one: a version once packed would
	@# otherwise stay cached, and a later change of the working tree go unseen.
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	version=$$(awk '$$1 == "github.com/grafana-invites/grafana-invites" { print $$2 } \
		$$1 == "require" && $$2 == "github.com/grafana-invites/grafana-invites" { print $$3 }' $(CLI)/go.mod) && \
	echo "packing the working tree as github.com/grafana-invites/grafana-invites $$version" && \
	(cd tools && $(NOWORK) $(GO) run ./releasecheck -root .. -version "$$version" -proxy "$$tmp/proxy") && \
	cp -r $(CLI) "$$tmp/cli" && cd "$$tmp/cli" && \
	modcache=$$($(GO) env GOMODCACHE) && proxy=$$($(GO) env GOPROXY) && \
	export GOWORK=off GOFLAGS="-mod=mod -modcacherw" GONOSUMDB=github.com/grafana-invites GOMODCACHE="$$tmp/modcache" \
		GOPROXY="file://$$tmp/proxy,file://$$modcache/cache/download,$$proxy" && \
	$(GO) build -ldflags "-X main.version=$$version" -o "$$tmp/grafana-invites" . && \
	got=$$("$$tmp/grafana-invites" version -o json | sed -n 's/.*"library": "\([^"]*\)".*/\1/p') && \
	if [ "$$got" != "$$version" ]; then echo "the CLI built with library $$got, want $$version"; exit 1; fi && \
	got=$$("$$tmp/grafana-invites" version -o json | sed -n 's/.*"version": "\([^"]*\)".*/\1/p') && \
	if [ "$$got" != "$$version" ]; then echo "the CLI says it is $$got, want $$version (ldflags -X main.version)"; exit 1; fi && \
	"$$tmp/grafana-invites" version && echo "release-check: the CLI builds against library $$version from the proxy, without the workspace"

## release-snapshot: every release archive (linux, darwin, windows; amd64, arm64) and the
## checksums, built here into dist/ by goreleaser from the working tree; nothing is published
release-snapshot:
	$(GORELEASER) release --snapshot --clean
	@ls dist/*.tar.gz dist/*.zip dist/checksums.txt

## mutation: the share of changed operators (mutants) the tests of api and fakegrafana catch,
## with every survivor listed (tools/mutation; about half an hour, not part of make test;
## TESTING.md holds the scores and accounts for the survivors)
mutation:
	cd tools && $(NOWORK) $(GO) build -o ../bin/mutation ./mutation
	bin/mutation -json bin/mutation.json api fakegrafana
