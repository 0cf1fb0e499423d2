# Thin wrapper over CMake (as neovim does). `make run` and `make test` are
# the two set-up commands of the README: both install the Debian packages
# that are missing, build, and then run the corpus summary or every test.
BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 30
FUZZ_TARGETS ?= text normalize segment regex gazetteer frontmatter html dataset lua
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps build run test lint test-release test-sanitize valgrind fuzz bench install clean

all: build

deps:
	@.ci/install-deps --test

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j$(JOBS)

run: build
	$(BUILD)/bin/lode run scripts/summarize.lua corpus/

test: lint test-release test-sanitize valgrind

# The Lua library, scripts and specs stay luacheck-clean (.luacheckrc).
lint: deps
	luacheck -q lua scripts tests

test-release: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

test-sanitize: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DLODE_SANITIZE=ON $(CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	ctest --test-dir $(ASAN_BUILD) --output-on-failure -j$(JOBS)

# The C tests under valgrind (quick mode: no large throughput inputs).
valgrind: build
	@for t in $(BUILD)/test_*; do \
	  echo "valgrind $$t"; \
	  LODE_TEST_QUICK=1 valgrind -q --error-exitcode=1 --leak-check=full \
	    --errors-for-leak-kinds=definite,indirect $$t >/dev/null || exit 1; \
	done

# The libFuzzer targets of tests/fuzz (clang-14, ASan + UBSan), each run
# FUZZ_SECONDS on seeds made from corpus/ and tests/fixtures/.
fuzz:
	@.ci/install-deps --fuzz
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DLODE_FUZZ=ON -DLODE_SANITIZE=ON -DLODE_TESTS=OFF $(CMAKE_FLAGS)
	cmake --build $(FUZZ_BUILD) -j$(JOBS) --target fuzz
	tests/fuzz/run $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

bench: build
	@.ci/install-deps --bench
	tests/bench/run

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
