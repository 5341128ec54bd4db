# Thin wrapper over scripts/ and CMake. The two commands a user needs:
#   make up    install what is missing, build, start the local platform (PostgreSQL, Redis,
#              the backtest coordinator and workers) and show how to run a first backtest
#   make down  stop what make up started
#   make test  the same set-up, then the format check and every test (also under ASan+UBSan)
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD ?= build
ASAN_BUILD ?= build-asan

.PHONY: up down test setup build asan lint test-release test-asan bench clean

up: setup build
	@./scripts/up.sh $(BUILD)
	@./scripts/first-run.sh $(BUILD)

down:
	@./scripts/up.sh --down $(BUILD)

test: setup lint build test-release asan test-asan

setup:
	@./scripts/setup.sh

build:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j $(JOBS)

asan:
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DSTOM_SANITIZE=address
	cmake --build $(ASAN_BUILD) -j $(JOBS)

lint:
	@./scripts/lint.sh

test-release: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Benchmarks are skipped under the sanitizers: they measure speed, not memory safety. So are
# the browser tests (label web): they run once, against the Release build's web UI.
test-asan: asan
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS) -LE 'bench|web'

bench: build
	@for b in $(BUILD)/bin/bench_*; do echo "== $$b"; $$b; done

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
