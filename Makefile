# cce-kubeconfigd: the two commands a fresh machine needs, and their shared set-up.
# `make demo` shows the service at work on a simulated CCE; `make test` runs the whole suite.

SWIFT ?= swift

.PHONY: demo test deps

# libyaml is the one system library the build links (Debian: libyaml-dev).
deps:
	@dpkg -s libyaml-dev >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq libyaml-dev; \
		else echo "libyaml-dev is missing: run 'sudo apt-get install -y libyaml-dev'" >&2; exit 1; fi; }

# The service at work for about a minute: the cce-simulator executable (beside cce-kubeconfigd in
# the build directory) plays a region with three clusters; the daemon loop discovers them into a
# kubeconfig in a new temporary directory (never yours), kubectl runs on every context where
# installed, a cluster is created and one deleted, one renewal, status; then everything is removed.
demo: deps
	$(SWIFT) build --product cce-kubeconfigd
	$(SWIFT) build --product cce-simulator
	$$($(SWIFT) build --show-bin-path)/cce-kubeconfigd demo

# The whole test suite, in parallel: the refresh decisions are tested on the pure core with a
# hand-moved clock, so no test counts on a timer firing in time while others load the machine.
# Torture runs longer with CCE_TORTURE_ITERATIONS=1000.
test: deps
	$(SWIFT) test

# ---------------------------------------------------------------------------------------------
# Install for the current user: the binary, the systemd user unit, the man page, shell
# completions and (unless one exists) the example config; then enable the unit.
#
#   make install                  release build, installed below ~/.local and ~/.config
#   make install SANDBOX=1        also the namespace sandbox drop-in, if the probe passes
#   make install BIN=path         install that binary instead of building a release
#   make install SWIFT_FLAGS='--scratch-path .build-x'   build options
#   make install NO_SYSTEMCTL=1   touch no systemd manager; print what to run instead
#   make install DESTDIR=/stage   stage everything below /stage (implies NO_SYSTEMCTL)
#   make uninstall                stop, disable and remove all of it but your config
#
# HOME, PREFIX, BINDIR, MANDIR, XDG_CONFIG_HOME, UNITDIR, ... may all be overridden, so a test
# can install into a scratch home: make install HOME=/tmp/h XDG_CONFIG_HOME=/tmp/h/.config ...
# (docs/operations.md).

PREFIX ?= $(HOME)/.local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man/man1
XDG_CONFIG_HOME ?= $(HOME)/.config
XDG_STATE_HOME ?= $(HOME)/.local/state
UNITDIR ?= $(XDG_CONFIG_HOME)/systemd/user
CONFIGDIR ?= $(XDG_CONFIG_HOME)/cce-kubeconfigd
BASH_COMPLETIONS ?= $(PREFIX)/share/bash-completion/completions
ZSH_COMPLETIONS ?= $(PREFIX)/share/zsh/site-functions
FISH_COMPLETIONS ?= $(XDG_CONFIG_HOME)/fish/completions
SYSTEMCTL ?= systemctl --user
# The probe from systemd/cce-kubeconfigd.service.d/sandbox.conf: can this user manager set up
# a user namespace with a read-only system and a private /tmp?
SANDBOX_PROBE ?= systemd-run --user --wait --quiet -p PrivateUsers=yes -p ProtectSystem=strict -p PrivateTmp=yes true
UNIT := cce-kubeconfigd.service

.PHONY: install uninstall

install: deps
	@set -eu; \
	bin='$(BIN)'; \
	if [ -z "$$bin" ]; then \
		$(SWIFT) build $(SWIFT_FLAGS) -c release --product cce-kubeconfigd; \
		bin=$$($(SWIFT) build $(SWIFT_FLAGS) -c release --show-bin-path)/cce-kubeconfigd; \
	fi; \
	[ -x "$$bin" ] || { echo "$$bin is not an executable" >&2; exit 1; }; \
	$(SWIFT) build $(SWIFT_FLAGS) --product generate-manual; \
	manual=$$($(SWIFT) build $(SWIFT_FLAGS) --show-bin-path)/generate-manual; \
	systemctl=yes; \
	if [ -n '$(NO_SYSTEMCTL)' ] || [ -n '$(DESTDIR)' ]; then systemctl=; \
	elif ! $(SYSTEMCTL) show-environment >/dev/null 2>&1; then \
		echo "note: no systemd user manager is reachable ($(SYSTEMCTL) show-environment failed)"; systemctl=; fi; \
	sandbox=; \
	if [ -n '$(SANDBOX)' ]; then \
		if [ -z "$$systemctl" ]; then echo "note: SANDBOX=1 without a user manager: installing the sandbox drop-in unprobed"; sandbox=yes; \
		elif $(SANDBOX_PROBE); then sandbox=yes; \
		else echo "error: this user manager cannot set up the sandbox (the probe '$(SANDBOX_PROBE)' failed); run make install without SANDBOX=1" >&2; exit 1; fi; \
	fi; \
	d='$(DESTDIR)'; \
	install -d -m 0755 "$$d$(BINDIR)" "$$d$(MANDIR)" "$$d$(UNITDIR)" \
		"$$d$(BASH_COMPLETIONS)" "$$d$(ZSH_COMPLETIONS)" "$$d$(FISH_COMPLETIONS)"; \
	install -m 0755 "$$bin" "$$d$(BINDIR)/cce-kubeconfigd"; \
	if [ '$(BINDIR)' = '$(HOME)/.local/bin' ]; then install -m 0644 systemd/$(UNIT) "$$d$(UNITDIR)/$(UNIT)"; \
	else sed 's|%h/\.local/bin/cce-kubeconfigd|$(BINDIR)/cce-kubeconfigd|' systemd/$(UNIT) > "$$d$(UNITDIR)/$(UNIT)"; \
		chmod 0644 "$$d$(UNITDIR)/$(UNIT)"; fi; \
	if [ -n "$$sandbox" ]; then \
		install -D -m 0644 systemd/$(UNIT).d/sandbox.conf "$$d$(UNITDIR)/$(UNIT).d/sandbox.conf"; \
		install -d -m 0700 "$$d$(HOME)/.kube" "$$d$(XDG_STATE_HOME)/cce-kubeconfigd"; \
	fi; \
	man_tmp=$$(mktemp -d); trap 'rm -rf "$$man_tmp"' EXIT; \
	"$$manual" "$$bin" --output-directory "$$man_tmp"; \
	install -m 0644 "$$man_tmp/cce-kubeconfigd.1" "$$d$(MANDIR)/cce-kubeconfigd.1"; \
	"$$bin" --generate-completion-script bash > "$$d$(BASH_COMPLETIONS)/cce-kubeconfigd"; \
	"$$bin" --generate-completion-script zsh > "$$d$(ZSH_COMPLETIONS)/_cce-kubeconfigd"; \
	"$$bin" --generate-completion-script fish > "$$d$(FISH_COMPLETIONS)/cce-kubeconfigd.fish"; \
	new_config=; \
	if [ ! -e "$$d$(CONFIGDIR)/config.yaml" ]; then \
		install -d -m 0700 "$$d$(CONFIGDIR)"; \
		install -m 0600 config/config.yaml "$$d$(CONFIGDIR)/config.yaml"; new_config=yes; \
		echo "installed the example watch list $(CONFIGDIR)/config.yaml: edit it, then check it with: cce-kubeconfigd check-config"; \
	fi; \
	echo "installed cce-kubeconfigd into $$d$(BINDIR), its unit into $$d$(UNITDIR)$${sandbox:+ (with the sandbox drop-in)}"; \
	if [ -z "$$systemctl" ]; then \
		echo "to start it: $(SYSTEMCTL) daemon-reload && $(SYSTEMCTL) enable --now cce-kubeconfigd"; \
	elif [ -n "$$new_config" ]; then \
		$(SYSTEMCTL) daemon-reload && $(SYSTEMCTL) enable $(UNIT); \
		echo "enabled, not started (the config is still the example): after editing it, $(SYSTEMCTL) start cce-kubeconfigd"; \
	else \
		$(SYSTEMCTL) daemon-reload && $(SYSTEMCTL) enable $(UNIT) && $(SYSTEMCTL) restart $(UNIT); \
		echo "enabled and (re)started: $(SYSTEMCTL) status cce-kubeconfigd"; \
	fi

# Everything install put in place, but never the watch-list config, the kubeconfig or a state
# file the service wrote; directories below HOME that are left empty go too.
uninstall:
	@set -u; d='$(DESTDIR)'; \
	if [ -z '$(NO_SYSTEMCTL)' ] && [ -z "$$d" ] && $(SYSTEMCTL) show-environment >/dev/null 2>&1; then \
		$(SYSTEMCTL) disable --now $(UNIT) 2>/dev/null || true; systemctl=yes; \
	else systemctl=; fi; \
	rm -f "$$d$(BINDIR)/cce-kubeconfigd" "$$d$(UNITDIR)/$(UNIT)" "$$d$(UNITDIR)/$(UNIT).d/sandbox.conf" \
		"$$d$(MANDIR)/cce-kubeconfigd.1" "$$d$(BASH_COMPLETIONS)/cce-kubeconfigd" \
		"$$d$(ZSH_COMPLETIONS)/_cce-kubeconfigd" "$$d$(FISH_COMPLETIONS)/cce-kubeconfigd.fish"; \
	home="$$d$(HOME)"; \
	for dir in "$$d$(UNITDIR)/$(UNIT).d" "$$d$(XDG_STATE_HOME)/cce-kubeconfigd" "$$d$(HOME)/.kube" "$$d$(BINDIR)" "$$d$(MANDIR)" \
		"$$d$(UNITDIR)" "$$d$(BASH_COMPLETIONS)" "$$d$(ZSH_COMPLETIONS)" "$$d$(FISH_COMPLETIONS)"; do \
		while [ "$${dir#$$home/}" != "$$dir" ] && rmdir "$$dir" 2>/dev/null; do dir=$$(dirname "$$dir"); done; \
	done; \
	if [ -n "$$systemctl" ]; then $(SYSTEMCTL) daemon-reload; $(SYSTEMCTL) reset-failed $(UNIT) 2>/dev/null; fi; \
	echo "removed cce-kubeconfigd; kept $(CONFIGDIR)/config.yaml and your kubeconfig"; \
	[ ! -d "$$d$(XDG_STATE_HOME)/cce-kubeconfigd" ] || echo "kept the service's state in $(XDG_STATE_HOME)/cce-kubeconfigd"; \
	[ -n "$$systemctl" ] || [ -n "$$d" ] || echo "if it was running: $(SYSTEMCTL) disable --now cce-kubeconfigd && $(SYSTEMCTL) daemon-reload"; \
	true
