#!/usr/bin/env bash
# t_deb.sh — the Debian package built by `make deb` (build/*.deb): lintian
# finds no error or warning; it holds what `make install` installs (the
# man pages and completions generated from the command table among it); it
# installs with dpkg -i; the installed /usr/bin/de runs the demo as the
# tested build/de does and answers as the engine did (the sample host's
# e2e tests, against docker inspect and docker history); dpkg -r and
# --purge leave nothing of it. Run by `make deb-check` (and CI), as root:
# it installs and removes a package on this machine.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 1
PKG=docker-explorer-tools
pass=0 fail=0 skipped=0
ok()   { echo "ok - $*"; pass=$((pass + 1)); }
bad()  { echo "not ok - $*"; fail=$((fail + 1)); }
skip() { echo "skip - $*"; skipped=$((skipped + 1)); }
check() { local name=$1; shift; if "$@" >/dev/null 2>&1; then ok "$name"; else bad "$name"; fi; }
same_text() {
	if [ "$2" == "$3" ]; then ok "$1"; else
		bad "$1"; diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") | head -40 | sed 's/^/#   /'
	fi
}
summary() { echo "deb: $pass passed, $fail failed, $skipped skipped"; [ $fail -eq 0 ]; exit; }
installed() { dpkg-query -W -f='${db:Status-Status}' "$PKG" 2>/dev/null | grep -qx installed; }

if [ "$(id -u)" != 0 ]; then
	skip "the package test installs and removes $PKG: it needs root"; summary
fi
# A package someone installed here is not ours to remove.
if dpkg-query -W -f='${db:Status-Status}' "$PKG" 2>/dev/null | grep -qvx not-installed; then
	bad "$PKG is already on this machine: remove it (dpkg --purge $PKG) and run again"; summary
fi

VERSION=$(scripts/version)
ARCH=$(dpkg --print-architecture)
DEB=build/${PKG}_${VERSION}_${ARCH}.deb
if [ ! -f "$DEB" ]; then bad "make deb left $DEB"; summary; fi
ok "make deb left $DEB (the version scripts/version gives)"
SCRATCH=$(mktemp -d /tmp/de-deb.XXXXXX)
# Whatever happens, the machine is left without the package.
trap 'installed && dpkg --purge "$PKG" >/dev/null 2>&1; rm -rf "$SCRATCH"' EXIT

# lintian: every tag shown (info and pedantic too); errors and warnings fail.
# Explained overrides only (debian/*.lintian-overrides, none today).
lintian -I --pedantic --fail-on error,warning "$DEB" >"$SCRATCH/lintian" 2>&1; rc=$?
grep -v '^running with root privileges' "$SCRATCH/lintian" | sed 's/^/#   /'
check "lintian: no error, no warning" test $rc -eq 0

# The package holds what `make install` installs (man pages and README are
# compressed by dh_compress), plus Debian's changelog and copyright.
make -s install DESTDIR="$SCRATCH/inst" PREFIX=/usr DOCDIR=/usr/share/doc/$PKG >/dev/null 2>&1
list() { sed -e 's|^\./|/|' -e 's|/$||' -e 's|\.gz$||' -e 's| -> .*||' | grep -v '^/*$' | sort; }
want=$( (cd "$SCRATCH/inst" && find . -mindepth 1 \( -type f -o -type l \) | list
	printf '%s\n' /usr/share/doc/$PKG/changelog /usr/share/doc/$PKG/copyright) | sort)
got=$(dpkg-deb -c "$DEB" | awk '$1 !~ /^d/ { print $6 }' | list)
same_text "the package holds what make install installs" "$want" "$got"
for p in /usr/bin/de /usr/bin/docker-explorer /usr/share/man/man1/de.1 /usr/share/man/man1/docker-explorer.1 \
	/usr/share/doc/$PKG/README.md; do
	grep -qx "$p" <<<"$got" || bad "the package holds $p"
done
# The man pages and completions the build generates from the command table
# (de-gen): de(1), one de-COMMAND(1) per command, bash's and zsh's.
pages=$(build/de-gen commands | awk '{ print "/usr/share/man/man1/de-" $1 ".1" }')
for p in $pages /usr/share/bash-completion/completions/de \
	/usr/share/bash-completion/completions/docker-explorer /usr/share/zsh/vendor-completions/_de; do
	grep -qx "$p" <<<"$got" || bad "the package holds $p"
done
check "the package holds a man page per command ($(wc -w <<<"$pages") and de(1))" \
	test "$(grep -c '^/usr/share/man/man1/de-.*\.1$' <<<"$got")" = "$(wc -w <<<"$pages")"

# Install.
dpkg -i "$DEB" >"$SCRATCH/dpkg-i" 2>&1; rc=$?
check "dpkg -i installs it" test $rc -eq 0
[ $rc -eq 0 ] || sed 's/^/#   /' "$SCRATCH/dpkg-i"
if ! installed; then bad "$PKG is installed"; summary; fi
same_text "dpkg says version $VERSION" "$VERSION" "$(dpkg-query -W -f='${Version}' "$PKG")"
same_text "/usr/bin/de -V says it" "de $VERSION" "$(/usr/bin/de -V)"
same_text "/usr/bin/docker-explorer is de" "de $VERSION" "$(/usr/bin/docker-explorer -V)"
missing=$(dpkg -L "$PKG" | while read -r p; do [ -e "$p" ] || echo "$p"; done)
same_text "every file dpkg -L lists is there" "" "$missing"
if command -v man >/dev/null; then
	# man -w follows docker-explorer.1.gz, a link, to de.1.gz.
	same_text "man finds de(1) and docker-explorer(1)" \
		"/usr/share/man/man1/de.1.gz /usr/share/man/man1/de.1.gz" \
		"$(man -w de) $(man -w docker-explorer)"
	same_text "man finds de-logs(1)" "/usr/share/man/man1/de-logs.1.gz" "$(man -w de-logs)"
	check "man de-logs renders, without a warning" \
		bash -c 'MANWIDTH=80 man --warnings de-logs 2>&1 >/dev/null | grep -q . && exit 1; MANWIDTH=80 man de-logs | grep -q "^SYNOPSIS"' 
else
	skip "man pages found by man: man is not installed"
fi

# The demo with the installed binary, as with the build the suite tested.
demo() { DE_DEMO_DIR="$SCRATCH/demo" scripts/demo.sh "$1" 2>&1; }
got=$(demo /usr/bin/de); rc=$?
check "the demo runs with /usr/bin/de" test $rc -eq 0
if [ -x build/de ]; then
	same_text "the demo's output is build/de's" "$(demo "$TOP/build/de")" "$got"
else
	skip "demo compared with build/de: no build/de (make)"
fi
# The installed binary against what the engine said.
for t in t_sample_list t_sample_history; do
	out=$(DE=/usr/bin/de bash tests/e2e/$t.sh 2>&1)
	n=$(grep -c '^ok - ' <<<"$out"); f=$(grep -c '^not ok - ' <<<"$out")
	grep '^not ok - \|^#' <<<"$out" | sed "s/^/#   [$t] /"
	check "tests/e2e/$t.sh with /usr/bin/de: $n ok, $f not ok" test "$f" -eq 0 -a "$n" -gt 0
done

# Remove, then purge: nothing of it left.
files=$(dpkg -L "$PKG" | while read -r p; do [ -d "$p" ] && [ ! -L "$p" ] || echo "$p"; done)
check "dpkg -r removes it" dpkg -r "$PKG"
check "dpkg --purge purges it" dpkg --purge "$PKG"
check "dpkg no longer knows it" test -z "$(dpkg-query -W -f='${db:Status-Status}' "$PKG" 2>/dev/null | grep -vx not-installed)"
check "dpkg -L lists nothing" test -z "$(dpkg -L "$PKG" 2>/dev/null)"
left=$(while read -r p; do [ ! -e "$p" ] && [ ! -L "$p" ] || echo "$p"; done <<<"$files")
same_text "none of its files is left" "" "$left"
check "/usr/bin/de is gone" test ! -e /usr/bin/de -a ! -L /usr/bin/de
check "no $PKG documentation directory is left" test ! -e /usr/share/doc/$PKG
summary
