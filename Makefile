# cce-kubeconfigd: the two commands a fresh machine needs, and their shared set-up.
# `make demo` runs the main job on the shipped example; `make test` runs the whole suite.

SWIFT ?= swift
DEMO_DIR := $(shell mktemp -d -u /tmp/cce-kubeconfigd-demo.XXXXXX)

.PHONY: demo test deps

# libyaml is the one system library the build links (Debian: libyaml-dev).
deps:
	@dpkg -s libyaml-dev >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq libyaml-dev; \
		else echo "libyaml-dev is missing: run 'sudo apt-get install -y libyaml-dev'" >&2; exit 1; fi; }

# Import the example CCE kubeconfig as cluster "demo" into a kubeconfig in a temporary
# directory (never your own), show it, import again (nothing to do), remove it, clean up.
demo: deps
	$(SWIFT) build --product cce-kubeconfigd
	@bin=$$($(SWIFT) build --show-bin-path)/cce-kubeconfigd; \
	config=$(DEMO_DIR)/kube/config; \
	trap 'rm -rf $(DEMO_DIR)' EXIT; \
	set -e; \
	echo "== import config/examples/cce-kubeconfig.json as \"demo\" into $$config"; \
	$$bin import config/examples/cce-kubeconfig.json --name demo --kubeconfig $$config; \
	echo "== list"; \
	$$bin list --kubeconfig $$config; \
	if command -v kubectl >/dev/null; then echo "== kubectl config get-contexts"; kubectl --kubeconfig $$config config get-contexts; fi; \
	echo "== the same import again"; \
	$$bin import config/examples/cce-kubeconfig.json --name demo --kubeconfig $$config; \
	echo "== remove demo (dry run: a redacted diff)"; \
	$$bin remove demo --kubeconfig $$config --dry-run | head -20; \
	echo "== remove demo"; \
	$$bin remove demo --kubeconfig $$config

# The whole test suite, one test at a time: the end-to-end tests wait on child processes, and
# on a 2-core machine parallel waits starve the other tests' timers. Torture runs longer with
# CCE_TORTURE_ITERATIONS=1000.
test: deps
	$(SWIFT) test --no-parallel
