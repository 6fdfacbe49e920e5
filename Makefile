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
# The shipped binaries: release builds linked with the static Swift standard library (only the
# system's C libraries stay shared: glibc, libyaml, libstdc++), stripped, each with its debug
# info in a separate file that the .gnu_debuglink section names (for symbolising a crash
# report; never packaged). `make install`, the tarball and the packages all ship these.
#
#   make release                  $(RELEASE_DIR)/cce-kubeconfigd and the libexec programs,
#                                 $(RELEASE_DIR)/debug/*.debug
#   make dist                     dist/: tarball, .deb, .rpm, SHA256SUMS; dist/debug/ beside them
#
# The programs installed in PREFIX/libexec/cce-kubeconfigd/ beside PREFIX/bin/cce-kubeconfigd
# (where the executable looks for its companions): one word each.
LIBEXEC_PROGRAMS = cce-simulator cce-kubeconfigd-credential

VERSION := $(shell cat VERSION)
# The commit `--version` names: its hash, marked -dirty when the tree has uncommitted changes.
COMMIT := $(shell git describe --always --dirty --abbrev=12 --exclude='*' 2>/dev/null || echo unknown)
# Every date the packages carry (file times, changelog, man page): the last commit's.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
RELEASE_SCRATCH ?= .build-release
RELEASE_DIR = $(RELEASE_SCRATCH)/shipped
DIST_DIR ?= dist
# No build path in the binaries where the compilers allow it (#filePath, __FILE__, debug info):
# the checkout's directory becomes `.`. `-z relro -z now`: lintian's hardening checks.
# --disable-local-rpath: no RUNPATH ($ORIGIN; nothing is loaded from beside the binary).
# --no-export-dynamic: SwiftPM exports every symbol of an executable (tests may link it); the
# shipped one exports none, 4 MB less.
# Size (docs/benchmarks.md, "The shipped binary"): -Osize for the Swift code; each C function and
# datum in its own section, so that --gc-sections (SwiftPM's default for release) drops what
# nothing calls of the two BoringSSL copies (swift-nio-ssl's and swift-crypto's). 3.6 MB less.
# -Os for C and C++: BoringSSL's hot paths (AES, SHA, the curves) are assembly. 0.5 MB less.
# No exceptions in C++ and no asynchronous unwind tables: BoringSSL, the only C++ here, neither
# throws nor catches, so nothing reads its .eh_frame; backtraces walk its frame pointers. 0.3 MB.
# ld.lld (in the toolchain) instead of gold, 0.15 MB less; --icf=safe folds identical C functions
# whose address nothing takes (Swift objects carry no address-significance table: none of theirs).
# -z pack-relative-relocs: PIE's 89,600 relative relocations in 17 kB instead of 2.1 MB; needs
# glibc 2.36 (GLIBC_ABI_DT_RELR), which packaging/dist.sh adds to the .deb's libc6 dependency.
# PACKED_RELOCATIONS=no leaves them unpacked, for a system with glibc 2.35 (Ubuntu 22.04): a
# binary 2.1 MB larger, for `make install` there.
PACKED_RELOCATIONS ?= yes
RELOCATION_FLAGS = $(if $(filter yes,$(PACKED_RELOCATIONS)),-Xlinker -z -Xlinker pack-relative-relocs)
RELEASE_BUILD = $(SWIFT) build -c release --static-swift-stdlib --disable-local-rpath --scratch-path $(RELEASE_SCRATCH) \
	-Xswiftc -Osize -Xcc -ffunction-sections -Xcc -fdata-sections \
	-Xcc -Os -Xcc -fno-asynchronous-unwind-tables -Xcxx -fno-exceptions \
	-Xswiftc -file-prefix-map -Xswiftc $(CURDIR)=. -Xcc -ffile-prefix-map=$(CURDIR)=. \
	-Xswiftc -use-ld=lld -Xlinker --icf=safe $(RELOCATION_FLAGS) \
	-Xlinker -z -Xlinker relro -Xlinker -z -Xlinker now -Xlinker --no-export-dynamic $(SWIFT_FLAGS)

.PHONY: release dist

release: deps
	@set -eu; \
	export CCE_KUBECONFIGD_VERSION='$(VERSION)' CCE_KUBECONFIGD_COMMIT='$(COMMIT)'; \
	for program in cce-kubeconfigd $(LIBEXEC_PROGRAMS) generate-manual; do \
		$(RELEASE_BUILD) --product $$program; done; \
	built=$$($(RELEASE_BUILD) --show-bin-path); \
	install -d -m 0755 $(RELEASE_DIR)/debug; \
	for program in cce-kubeconfigd $(LIBEXEC_PROGRAMS); do \
		objcopy --only-keep-debug "$$built/$$program" $(RELEASE_DIR)/debug/$$program.debug; \
		chmod 0644 $(RELEASE_DIR)/debug/$$program.debug; \
		objcopy --strip-all --remove-section=.comment \
			--add-gnu-debuglink=$(RELEASE_DIR)/debug/$$program.debug "$$built/$$program" $(RELEASE_DIR)/$$program; \
	done; \
	install -m 0755 "$$built/generate-manual" $(RELEASE_DIR)/generate-manual; \
	echo "$(RELEASE_DIR): $$($(RELEASE_DIR)/cce-kubeconfigd --version), $$(du -h $(RELEASE_DIR)/cce-kubeconfigd | cut -f1) stripped"

# The four files (packaging/dist.sh says what each holds), reproducible from the commit.
dist: release
	VERSION='$(VERSION)' SOURCE_DATE_EPOCH='$(SOURCE_DATE_EPOCH)' RELEASE_DIR='$(RELEASE_DIR)' \
		LIBEXEC_PROGRAMS='$(LIBEXEC_PROGRAMS)' packaging/dist.sh '$(DIST_DIR)'

# ---------------------------------------------------------------------------------------------
# Install for the current user: the binary and its libexec programs, the systemd user unit, the man page, shell
# completions and (unless one exists) the example config; then enable the unit.
#
#   make install                  `make release`, installed below ~/.local and ~/.config
#   make install SANDBOX=1        also the namespace sandbox drop-in, if the probe passes
#   make install BIN=path         install that binary (and the LIBEXEC_PROGRAMS beside it)
#                                 instead of the release build
#   make install RELEASE_SCRATCH=.build-x SWIFT_FLAGS=...   where and how the release builds
#   make install NO_SYSTEMCTL=1   touch no systemd manager; print what to run instead
#   make install DESTDIR=/stage   stage everything below /stage (implies NO_SYSTEMCTL)
#   make uninstall                stop, disable and remove all of it but your config
#
# HOME, PREFIX, BINDIR, MANDIR, XDG_CONFIG_HOME, UNITDIR, ... may all be overridden, so a test
# can install into a scratch home: make install HOME=/tmp/h XDG_CONFIG_HOME=/tmp/h/.config ...
# (docs/operations.md).

PREFIX ?= $(HOME)/.local
BINDIR ?= $(PREFIX)/bin
LIBEXECDIR ?= $(PREFIX)/libexec/cce-kubeconfigd
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
		$(MAKE) --no-print-directory release; \
		bin=$(RELEASE_DIR)/cce-kubeconfigd; manual=$(RELEASE_DIR)/generate-manual; \
	else \
		$(SWIFT) build $(SWIFT_FLAGS) --product generate-manual; \
		manual=$$($(SWIFT) build $(SWIFT_FLAGS) --show-bin-path)/generate-manual; \
	fi; \
	[ -x "$$bin" ] || { echo "$$bin is not an executable" >&2; exit 1; }; \
	for program in $(LIBEXEC_PROGRAMS); do \
		[ -x "$$(dirname "$$bin")/$$program" ] || { echo "$$(dirname "$$bin")/$$program is missing: it is installed beside $$bin" >&2; exit 1; }; \
	done; \
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
	install -d -m 0755 "$$d$(BINDIR)" "$$d$(LIBEXECDIR)" "$$d$(MANDIR)" "$$d$(UNITDIR)" \
		"$$d$(BASH_COMPLETIONS)" "$$d$(ZSH_COMPLETIONS)" "$$d$(FISH_COMPLETIONS)"; \
	install -m 0755 "$$bin" "$$d$(BINDIR)/cce-kubeconfigd"; \
	for program in $(LIBEXEC_PROGRAMS); do install -m 0755 "$$(dirname "$$bin")/$$program" "$$d$(LIBEXECDIR)/$$program"; done; \
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
	for program in $(LIBEXEC_PROGRAMS); do rm -f "$$d$(LIBEXECDIR)/$$program"; done; \
	rm -f "$$d$(BINDIR)/cce-kubeconfigd" "$$d$(UNITDIR)/$(UNIT)" "$$d$(UNITDIR)/$(UNIT).d/sandbox.conf" \
		"$$d$(MANDIR)/cce-kubeconfigd.1" "$$d$(BASH_COMPLETIONS)/cce-kubeconfigd" \
		"$$d$(ZSH_COMPLETIONS)/_cce-kubeconfigd" "$$d$(FISH_COMPLETIONS)/cce-kubeconfigd.fish"; \
	home="$$d$(HOME)"; \
	for dir in "$$d$(UNITDIR)/$(UNIT).d" "$$d$(XDG_STATE_HOME)/cce-kubeconfigd" "$$d$(HOME)/.kube" "$$d$(BINDIR)" "$$d$(LIBEXECDIR)" "$$d$(MANDIR)" \
		"$$d$(UNITDIR)" "$$d$(BASH_COMPLETIONS)" "$$d$(ZSH_COMPLETIONS)" "$$d$(FISH_COMPLETIONS)"; do \
		while [ "$${dir#$$home/}" != "$$dir" ] && rmdir "$$dir" 2>/dev/null; do dir=$$(dirname "$$dir"); done; \
	done; \
	if [ -n "$$systemctl" ]; then $(SYSTEMCTL) daemon-reload; $(SYSTEMCTL) reset-failed $(UNIT) 2>/dev/null; fi; \
	echo "removed cce-kubeconfigd; kept $(CONFIGDIR)/config.yaml and your kubeconfig"; \
	[ ! -d "$$d$(XDG_STATE_HOME)/cce-kubeconfigd" ] || echo "kept the service's state in $(XDG_STATE_HOME)/cce-kubeconfigd"; \
	[ -n "$$systemctl" ] || [ -n "$$d" ] || echo "if it was running: $(SYSTEMCTL) disable --now cce-kubeconfigd && $(SYSTEMCTL) daemon-reload"; \
	true
