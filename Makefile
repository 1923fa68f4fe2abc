# cryocycle: two commands set everything up on a fresh Debian 12 machine (as root):
#   make demo    install missing Debian packages, build, run the default multiscale demo
#   make test    install missing Debian packages, build, run the whole test suite (ctest)
MAKEFLAGS += --no-print-directory
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= 2
DEMO_DIR ?= runs/demo

.PHONY: all deps configure build demo test bench clean

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

bench: build
	@./scripts/run-benchmarks.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR)
