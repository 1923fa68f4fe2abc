# cryocycle: two commands set everything up on a fresh Debian 12 machine (as root):
#   make demo    install missing Debian packages, build, run the default multiscale demo
#   make test    install missing Debian packages, build, run the whole test suite (ctest)
#   make test-fast   build and run only the fast unit tests (ctest -L unit; tests/README.md)
MAKEFLAGS += --no-print-directory
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= 2
DEMO_DIR ?= runs/demo

.PHONY: all deps configure build demo test test-fast bench clean

all: build

deps:
	@./scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) > /dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j$(JOBS)

demo: build
	@./$(BUILD_DIR)/app/cryocycle demo --output-dir $(DEMO_DIR) --overwrite

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS) --timeout 900

# The unit label only (no mesh, no LAMMPS, no executable), building just what it runs
# (tests_unit). Configures a new build directory only: cmake_check_build_system re-runs CMake
# when a CMakeLists.txt changed, which saves the ~20 s of a full configure.
test-fast: deps
	@[ -f $(BUILD_DIR)/CMakeCache.txt ] || cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) > /dev/null
	@cmake --build $(BUILD_DIR) --target cmake_check_build_system > /dev/null
	@cmake --build $(BUILD_DIR) -j$(JOBS) --target tests_unit
	@cd $(BUILD_DIR) && ctest -L unit --output-on-failure -j$(JOBS)

bench: build
	@./scripts/run-benchmarks.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR)
