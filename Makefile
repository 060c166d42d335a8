# carepost — the two commands a new user types:
#   make run    installs what is missing, builds, and starts `carepost serve --dev` on
#               http://127.0.0.1:8080 (data in ./carepost-data; Ctrl-C stops it)
#   make test   installs what is missing, builds (sanitizers on), runs every test suite
#               (with a throw-away PostgreSQL for the store contract suite, and the web
#               app in headless Chromium against the release binary)
#
# Other targets: build, test-browser, screen-examples, bench, bench-calendar, load, eval, fuzz,
# format, clean.

SHELL := /bin/bash
JOBS  ?= $(shell nproc)
RELEASE := build/release
ASAN    := build/asan
FUZZ    := build/fuzz
CMAKE_COMMON := -G Ninja -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
ifdef CI
  WERROR := -DCAREPOST_WERROR=ON
endif

.PHONY: deps build run screen-examples test test-unit test-accuracy test-browser fuzz bench bench-calendar load eval format clean

deps:
	@./scripts/install-deps.sh

$(RELEASE)/build.ninja: | deps
	cmake -S . -B $(RELEASE) $(CMAKE_COMMON) -DCMAKE_BUILD_TYPE=Release $(WERROR)

build: deps $(RELEASE)/build.ninja
	ninja -C $(RELEASE) -j $(JOBS) carepost

run: build
	$(RELEASE)/src/cli/carepost serve --dev

screen-examples: build
	@echo "== carepost check: screening examples/posts.jsonl with the demo organization profile =="
	@$(RELEASE)/src/cli/carepost check --org examples/org.toml examples/posts.jsonl; rc=$$?; \
	  echo "== exit status $$rc (0 nothing blocks, 1 something blocks, 2 usage error, 3 rejected records) =="; \
	  [[ $$rc -le 1 ]]

$(ASAN)/build.ninja: | deps
	cmake -S . -B $(ASAN) $(CMAKE_COMMON) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCAREPOST_SANITIZE=ON $(WERROR)

# Unit and contract tests under AddressSanitizer + UndefinedBehaviorSanitizer. All of
# ctest runs inside tests/pg/with-postgres.sh, which starts a throw-away PostgreSQL 15 on
# a loopback port (CAREPOST_TEST_POSTGRES_URL) for the store contract suite and stops it
# afterwards, whatever the result.
test-unit: deps $(ASAN)/build.ninja
	ninja -C $(ASAN) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  bash tests/pg/with-postgres.sh ctest --test-dir $(ASAN) --output-on-failure -j $(JOBS)

# Accuracy floors on the dev splits (tools/eval.py --gate).
test-accuracy: build
	python3 tools/eval.py $(RELEASE)/src/cli/carepost --gate

$(FUZZ)/build.ninja: | deps
	CC=clang-16 CXX=clang++-16 cmake -S . -B $(FUZZ) $(CMAKE_COMMON) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCAREPOST_FUZZ=ON -DCAREPOST_TESTS=OFF -DCAREPOST_BENCHMARKS=OFF -DCAREPOST_WEBUI=OFF

# Each fuzz target runs for FUZZ_SECONDS (default 60) from the seed corpus in tests/fuzz/corpus.
# A crash fails the target and prints the fuzzer's report (the crashing input is left
# in the working directory as crash-*).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := screen_fuzz jsonl_fuzz org_profile_fuzz api_fuzz calendar_csv_fuzz media_fuzz
fuzz: deps $(FUZZ)/build.ninja
	ninja -C $(FUZZ) -j $(JOBS) $(FUZZ_TARGETS)
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ)/corpus/$$t; \
	  echo "== $$t for $(FUZZ_SECONDS)s"; \
	  if $(FUZZ)/tests/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -print_final_stats=1 \
	      $(FUZZ)/corpus/$$t tests/fuzz/corpus/$$t > $(FUZZ)/$$t.log 2>&1; then \
	    tail -4 $(FUZZ)/$$t.log; \
	  else \
	    tail -80 $(FUZZ)/$$t.log; echo "== $$t FAILED (log: $(FUZZ)/$$t.log)"; exit 1; \
	  fi; \
	done

# The web app in Debian's Chromium (playwright-core, axe-core) against the real release
# binary: tests/browser/run.sh starts `carepost serve --dev` on a free loopback port with
# a temporary data directory and stops it afterwards. Screenshots: build/browser-artifacts/.
test-browser: build
	bash tests/browser/run.sh $(RELEASE)/src/cli/carepost

test: test-unit test-accuracy fuzz test-browser
	@echo "make test: all suites passed"

bench: build
	python3 tools/build_corpus.py bench/corpus.jsonl
	python3 tools/bench.py $(RELEASE)/src/cli/carepost bench/corpus.jsonl

# wrk against a real `carepost serve --dev` on loopback: req/s and p99 per endpoint, and the
# server's memory at idle and after 100k audit events.
load: build
	python3 tools/load.py $(RELEASE)/src/cli/carepost

# The calendar's month view with 5,000 posts in the month: p50/p99 of the whole month
# (every page) and wrk on one page, on SQLite and then on a throw-away PostgreSQL.
bench-calendar: build
	python3 tools/calendar_load.py $(RELEASE)/src/cli/carepost
	bash tests/pg/with-postgres.sh python3 tools/calendar_load.py $(RELEASE)/src/cli/carepost \
	  --db-env CAREPOST_TEST_POSTGRES_URL

eval: build
	python3 tools/eval.py $(RELEASE)/src/cli/carepost

format:
	clang-format -i $$(git ls-files 'src/*.cc' 'src/*.h' 'tests/*.cc')

clean:
	rm -rf build
