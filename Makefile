# Herald — build, run, test, install.
SHELL := /bin/bash
PREFIX ?= /usr/local
SWIFT_BUILD_FLAGS ?=
CONFIG ?= config/herald.yaml
BIN := .build/release/herald


.PHONY: all deps test-deps build release run test test-quick install uninstall bench-extraction bench-feeds clean \
	fuzz fuzz-smoke

all: release

# Installs the C libraries Herald links against, when they are missing (Debian/Ubuntu).
deps:
	@missing=""; \
	for p in libcurl4-openssl-dev libxml2-dev pkg-config; do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

# Tools the fault-injection tests use (they skip without them).
test-deps: deps
	@command -v strace >/dev/null 2>&1 || { SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq strace; }

build: deps
	swift build $(SWIFT_BUILD_FLAGS)

release: deps
	swift build -c release $(SWIFT_BUILD_FLAGS)

# Builds release and runs the daemon on the bundled configuration (ingests config/samples offline).
run: release
	$(BIN) run --config $(CONFIG)

# Builds and runs every test (unit and integration; integration tests drive the release binary).
test: release test-deps
	swift build --build-tests $(SWIFT_BUILD_FLAGS)
	HERALD_BINARY=$(CURDIR)/$(BIN) swift test --skip-build $(SWIFT_BUILD_FLAGS)

install: release
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)/etc/herald $(DESTDIR)/lib/systemd/system $(DESTDIR)/usr/lib/sysusers.d
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/herald
	test -e $(DESTDIR)/etc/herald/herald.yaml || sed -e 's|^state_dir:.*|state_dir: /var/lib/herald|' -e 's|url: samples/|url: /usr/local/share/herald/samples/|' config/herald.yaml > $(DESTDIR)/etc/herald/herald.yaml
	install -d $(DESTDIR)$(PREFIX)/share/herald/samples $(DESTDIR)$(PREFIX)/share/doc/herald
	install -m 0644 config/samples/* $(DESTDIR)$(PREFIX)/share/herald/samples/
	install -m 0644 README.md docs/*.md $(DESTDIR)$(PREFIX)/share/doc/herald/
	install -m 0644 systemd/herald.service $(DESTDIR)/lib/systemd/system/herald.service
	install -m 0644 systemd/herald.sysusers $(DESTDIR)/usr/lib/sysusers.d/herald.conf
	if [ -z "$(DESTDIR)" ]; then systemd-sysusers /usr/lib/sysusers.d/herald.conf 2>/dev/null || id herald >/dev/null 2>&1 || useradd --system --home-dir /var/lib/herald --shell /usr/sbin/nologin herald; systemctl daemon-reload 2>/dev/null || true; fi

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/herald $(DESTDIR)/lib/systemd/system/herald.service $(DESTDIR)/usr/lib/sysusers.d/herald.conf

bench-extraction: release
	bench/extraction/run
	bench/extraction/speed
	bench/extraction/meta

bench-feeds: release
	bench/feeds/run

# libFuzzer targets under fuzz/ (ASan, per-input timeout, memory cap), each run for FUZZ_SECONDS; findings land in
# .build-fuzz/findings/<target>/ and fail the run. fuzz-smoke is the CI variant: 10 s each, about a minute in all.
FUZZ_SECONDS ?= 60
fuzz: deps
	fuzz/build
	FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run

fuzz-smoke: deps
	fuzz/build
	FUZZ_SECONDS=10 fuzz/run

clean:
	rm -rf .build
