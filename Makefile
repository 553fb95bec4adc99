# de — a forensic explorer of container hosts, offline.
#
#   make                 build/de
#   make check           unit and end-to-end tests (installs what is missing)
#   make demo            set-up, build, and a real run on the bundled sample host
#   make bench           speed against the tools analysts use instead
#   make install PREFIX=/usr/local
#   make deb             the Debian package, build/docker-explorer-tools_*.deb
#   make deb-check       builds, lints, installs, runs and removes it (as root)
#   make SANITIZE=1 …    the same with AddressSanitizer + UndefinedBehaviorSanitizer
#
# Dependencies are Debian packages, installed by scripts/setup when missing.

CC       ?= cc
PREFIX   ?= /usr/local
VERSION  := $(shell scripts/version)
BUILD    ?= build
PKGS     := jansson libcrypto libarchive fuse3 zlib sqlite3
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
            -Wformat=2 -Wno-format-nonliteral -fno-strict-aliasing \
            -DDE_VERSION='"$(VERSION)"' $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libcurl (download), libtsk and libqcow (disk images) are loaded with dlopen()
# when used: their headers only (libtsk-dev's and libqcow-dev's are in /usr/include)
CFLAGS   += $(shell pkg-config --cflags libcurl 2>/dev/null)
LDLIBS   += $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -ljansson -lcrypto -larchive -lfuse3 -lz -lsqlite3)

ifeq ($(SANITIZE),1)
BUILD    := build-san
CFLAGS   += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS  += -fsanitize=address,undefined
endif

LIB_SRC  := $(sort $(wildcard src/util/*.c src/model/*.c src/runtime/*.c src/driver/*.c \
                              src/output/*.c src/builtin/*.c src/union/*.c src/logs/*.c src/bbolt/*.c \
                              src/fuse/*.c src/registry/*.c src/vdisk/*.c src/image/*.c src/fs/*.c src/source/*.c))
LIB_OBJ  := $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
# What is derived from the command table (src/builtin/commands.c) besides
# the parser and the help, written by de-gen (src/gen/, not installed):
# the man pages de(1) and de-COMMAND(1), dated by the commit (or
# SOURCE_DATE_EPOCH, which dpkg-buildpackage sets), and the completions.
GEN_SRC  := $(sort $(wildcard src/gen/*.c))
GEN_OBJ  := $(GEN_SRC:src/%.c=$(BUILD)/obj/%.o)
MANDATE  := $(shell d=$${SOURCE_DATE_EPOCH:-$$(git log -1 --format=%ct 2>/dev/null)}; \
                    [ -z "$$d" ] || date -u -d "@$$d" +%Y-%m-%d)
DERIVED  := $(BUILD)/man/.stamp $(BUILD)/completion/de.bash $(BUILD)/completion/_de
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.DEFAULT_GOAL := all

# libFuzzer targets (tests/fuzz/fuzz_*.c) over the parsers of evidence
# bytes and the union engine, built with clang, ASan and UBSan; each runs
# FUZZ_SECONDS (CI: 30 s each). tests/fuzz/FIGURES.md: the long runs.
FUZZ_SECONDS ?= 30
FUZZ_BUILD   := build-fuzz
FUZZ_FLAGS   := -std=c17 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer -fno-sanitize-recover=all \
                $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
FUZZ_OBJ     := $(LIB_SRC:src/%.c=$(FUZZ_BUILD)/obj/%.o)
FUZZ_BIN     := $(patsubst tests/fuzz/%.c,$(FUZZ_BUILD)/%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))

$(FUZZ_BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link,address,undefined -MMD -MP -c $< -o $@

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_fs.h tests/fuzz/fuzz_img.h $(FUZZ_OBJ)
	clang $(FUZZ_FLAGS) -fsanitize=fuzzer,address,undefined -Isrc -o $@ $< $(FUZZ_OBJ) $(LDLIBS)

.SECONDARY: $(FUZZ_OBJ)

fuzz: setup
	@$(MAKE) --no-print-directory $(FUZZ_BIN)
	@tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_BIN)

# The same targets built with the normal compiler (and SANITIZE=1's flags)
# and a plain main (tests/fuzz/replay.c), run over each corpus and crash
# reproducer by `make regress`: the fuzzers' finds are regression tests of
# every build, no clang needed.
REPLAY_BIN := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz-replay/%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))

$(BUILD)/fuzz-replay/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz_fs.h tests/fuzz/fuzz_img.h $(BUILD)/libde.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Isrc -o $@ $< tests/fuzz/replay.c $(BUILD)/libde.a $(LDFLAGS) $(LDLIBS)

regress: $(REPLAY_BIN)
	@tests/fuzz/replay.sh $(REPLAY_BIN)

.PHONY: all check unit regress e2e memcheck tsan demo bench install clean setup fuzz deb deb-check FORCE
all: $(BUILD)/de $(DERIVED)

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libde.a: $(LIB_OBJ)
	$(AR) rcs $@ $^

# `de -V` prints $(VERSION): de.o is rebuilt when it changes (a new commit
# or tag), the stamp only rewritten then.
$(BUILD)/obj/de.o: $(BUILD)/version
$(BUILD)/version: FORCE
	@mkdir -p $(dir $@)
	@[ "$$(cat $@ 2>/dev/null)" = "$(VERSION)" ] || echo "$(VERSION)" >$@
FORCE:

$(BUILD)/de: $(BUILD)/obj/de.o $(BUILD)/libde.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# What is derived from the command table besides the parser and the help
# (DERIVED, above), written by de-gen.

$(BUILD)/de-gen: $(GEN_OBJ) $(BUILD)/libde.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/man/.stamp: $(BUILD)/de-gen $(BUILD)/version
	@mkdir -p $(dir $@)
	rm -f $(BUILD)/man/*.1
	$(BUILD)/de-gen man $(BUILD)/man '$(VERSION)' $(MANDATE)
	@touch $@

$(BUILD)/completion/de.bash: $(BUILD)/de-gen
	@mkdir -p $(dir $@)
	$(BUILD)/de-gen bash $@

$(BUILD)/completion/_de: $(BUILD)/de-gen
	@mkdir -p $(dir $@)
	$(BUILD)/de-gen zsh $@

# The sample binary for `make demo` and the e2e tests is always build/de;
# a sanitizer build puts its own at build-san/de and tests use DE=.
$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libde.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Isrc -o $@ $< $(BUILD)/libde.a $(LDFLAGS) $(LDLIBS) -lcmocka

setup:
	@scripts/setup

unit: setup $(UNIT_BIN)
	@tests/run-unit.sh $(UNIT_BIN)

e2e: setup $(BUILD)/de
	@DE=$(abspath $(BUILD)/de) tests/e2e/run.sh

# The end-to-end tests again, with every run of de under valgrind.
memcheck: setup
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory $(REPLAY_BIN)
	@VALGRIND=1 tests/fuzz/replay.sh $(REPLAY_BIN)
	@DE=$(abspath tests/valgrind-de.sh) tests/e2e/run.sh

# The commands that use every core, built with ThreadSanitizer.
tsan: setup
	@CFLAGS="-O1 -g -fsanitize=thread" LDFLAGS=-fsanitize=thread \
		$(MAKE) --no-print-directory BUILD=build-tsan build-tsan/de
	@tests/tsan.sh $(abspath build-tsan/de)

check: setup
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory unit regress e2e

demo: setup
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh $(abspath $(BUILD)/de)

bench: setup
	@$(MAKE) --no-print-directory all
	@DE=$(abspath $(BUILD)/de) bench/run.sh

# What `make install` installs is also what the Debian package holds
# (debian/rules runs it with DESTDIR, PREFIX=/usr and DOCDIR):
#   $(PREFIX)/bin/de, and docker-explorer (a link: de.py's users' name);
#   every man page doc/*.1 and $(BUILD)/man/*.1 (generated from the
#     command table: de.1, de-COMMAND.1), with docker-explorer.1 a link to de.1;
#   the shell completions, when they exist: bash's $(BUILD)/completion/de.bash
#     or completion/de.bash, zsh's $(BUILD)/completion/_de or completion/_de
#     (each names both commands: bash's is also linked as docker-explorer);
#   README.md and doc/*.md into DOCDIR.
# Files found when the recipe runs, so pages and completions generated by
# the build are picked up.
DOCDIR       ?= $(PREFIX)/share/doc/de
MANDIR       ?= $(PREFIX)/share/man
BASHCOMPDIR  ?= $(PREFIX)/share/bash-completion/completions
# Debian's zsh looks in vendor-completions for packages' functions, in
# site-functions for the administrator's (/usr/local).
ZSHCOMPDIR   ?= $(PREFIX)/share/zsh/$(if $(filter /usr,$(PREFIX)),vendor-completions,site-functions)

install: $(BUILD)/de $(DERIVED)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANDIR)/man1
	install -m 0755 $(BUILD)/de $(DESTDIR)$(PREFIX)/bin/de
	ln -sf de $(DESTDIR)$(PREFIX)/bin/docker-explorer
	for f in doc/*.1 $(BUILD)/man/*.1; do [ ! -e "$$f" ] || \
		install -m 0644 "$$f" $(DESTDIR)$(MANDIR)/man1/ || exit; done
	ln -sf de.1 $(DESTDIR)$(MANDIR)/man1/docker-explorer.1
	for f in $(BUILD)/completion/de.bash completion/de.bash; do [ ! -e "$$f" ] || { \
		install -d $(DESTDIR)$(BASHCOMPDIR) && \
		install -m 0644 "$$f" $(DESTDIR)$(BASHCOMPDIR)/de && \
		ln -sf de $(DESTDIR)$(BASHCOMPDIR)/docker-explorer && break; } || exit; done
	for f in $(BUILD)/completion/_de completion/_de; do [ ! -e "$$f" ] || { \
		install -d $(DESTDIR)$(ZSHCOMPDIR) && \
		install -m 0644 "$$f" $(DESTDIR)$(ZSHCOMPDIR)/_de && break; } || exit; done
	install -d $(DESTDIR)$(DOCDIR)
	for f in README.md doc/*.md; do [ ! -e "$$f" ] || \
		install -m 0644 "$$f" $(DESTDIR)$(DOCDIR)/ || exit; done

# The Debian package (debian/; README.md, "Install"): dpkg-buildpackage
# writes to the parent directory; scripts/deb moves the .deb files into
# build/ and removes the rest. No tests run in the package build (CI runs
# them): DEB_BUILD_OPTIONS=nocheck unless given.
deb: setup
	@scripts/deb build

deb-check: setup
	@scripts/deb build
	@tests/pkg/t_deb.sh

clean:
	rm -rf build build-san build-fuzz build-tsan

-include $(LIB_OBJ:.o=.d) $(GEN_OBJ:.o=.d) $(BUILD)/obj/de.d $(wildcard $(FUZZ_OBJ:.o=.d))
