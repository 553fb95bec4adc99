# What is derived from the command table (issue 13, item 5) cannot drift
# from it: the man pages the build generated (de(1), one de-COMMAND(1) per
# command) render with no groff warning and say the synopsis and options
# de COMMAND --help says; `de help COMMAND` is the same manual; the
# hand-written references, doc/de-COMMAND.md's synopses and README's
# command table, agree with the table (doctable.py).
. "$(dirname "$0")/lib.sh"
BUILD=$(dirname "$DE")
[ -x "$BUILD/de-gen" ] || BUILD=$TOP/build
GEN=$BUILD/de-gen
MAN=$BUILD/man
if [ ! -x "$GEN" ] || [ ! -r "$MAN/de.1" ]; then bad "cmdtable: no $GEN or $MAN/de.1 (make)"; exit 0; fi
scratch
"$GEN" table > "$SCRATCH/table.json"
check "de-gen table: JSON" jq -e '.commands | length > 10' "$SCRATCH/table.json"
cmds=$("$GEN" commands | cut -d' ' -f1)

# ---- the man pages --------------------------------------------------------------
same_text "one page per command, and de(1)" \
	"$( (echo de.1; for c in $cmds; do echo "de-$c.1"; done) | sort)" "$(cd "$MAN" && ls -- *.1 | sort)"
# words WHAT: the words of a text, one a line (wrapping and indentation aside)
words() { tr -s ' \n' '\n\n' | grep -v '^$'; }
# section PAGE TITLE: a section of a page as man renders it
section() { MANWIDTH=80 man -l "$MAN/$1" 2>/dev/null | sed -n "/^$2\$/,/^[A-Z]/p" | sed '1d;$d'; }
if ! command -v groff >/dev/null || ! command -v man >/dev/null; then
	skip "man pages: groff or man is missing (scripts/setup)"
else
	for p in de.1 $(for c in $cmds; do echo "de-$c.1"; done); do
		warn=$(groff -man -Tutf8 -ww -z "$MAN/$p" 2>&1)
		same_text "man $p: groff -ww warns of nothing" "" "$warn"
		MANWIDTH=80 man -l "$MAN/$p" > "$SCRATCH/page" 2>"$SCRATCH/err"; rc=$?
		check "man -l $p renders (exit 0, nothing on stderr)" test $rc -eq 0 -a ! -s "$SCRATCH/err"
		check "man -l $p has NAME, SYNOPSIS, DESCRIPTION, OPTIONS" \
			bash -c 'for s in NAME SYNOPSIS DESCRIPTION OPTIONS; do grep -q "^$s\$" "$1" || exit 1; done' _ "$SCRATCH/page"
		check "man $p: every line fits 80 columns" bash -c '! awk "length > 80" "$1" | grep -q .' _ "$SCRATCH/page"
	done
	for c in $cmds; do
		# the synopsis, as --help's usage says it
		want=$("$DE" "$c" --help | sed -n '1,/^$/p' | sed 's/^usage: //' | words)
		same_text "man de-$c: the synopsis of de $c --help" "$want" "$(section "de-$c.1" SYNOPSIS | words)"
		# the options: each --help's option label in OPTIONS
		"$DE" "$c" --help | sed -n '/^options:/,/^$/p' | sed '1d' | grep -oE '^  -[^ ]+(, --[^ ]+)?' |
			sed 's/^ *//' > "$SCRATCH/labels"
		missing=$(while read -r l; do section "de-$c.1" OPTIONS | grep -qF -- "$l" || echo "$l"; done < "$SCRATCH/labels")
		same_text "man de-$c: every option --help lists" "" "$missing"
		# de help COMMAND is the same manual: the same words in its synopsis and options
		same_text "de help $c: the man page's synopsis" "$(section "de-$c.1" SYNOPSIS | words)" \
			"$("$DE" help "$c" | sed -n '/^SYNOPSIS$/,/^[A-Z]/p' | sed '1d;$d' | words)"
	done
	want=$("$DE" --help | sed -n '1,/^$/p' | sed 's/^usage: //' | words)
	same_text "man de: the synopsis of de --help" "$want" "$(section de.1 SYNOPSIS | words)"
	for c in $cmds; do
		check "man de: COMMANDS names de-$c(1)" grep -q "de-$c(1)" <(section de.1 COMMANDS)
	done
	for s in CONTAINER "EXIT STATUS" DIAGNOSTICS EXAMPLES FILES "SEE ALSO"; do
		check "man de: $s" grep -q "^$s\$" <(MANWIDTH=80 man -l "$MAN/de.1" 2>/dev/null)
	done
	# the version and date the build gave
	check "man de: the version de -V says" grep -qF "\"de $("$DE" -V | cut -d' ' -f2)\"" "$MAN/de.1"
fi

# ---- the hand-written references agree with the table ----------------------------
if command -v python3 >/dev/null; then
	out=$(python3 "$TOP/tests/e2e/doctable.py" "$SCRATCH/table.json" "$TOP/README.md" "$TOP/doc" "$GEN")
	same_text "README's command table and doc/de-COMMAND.md's synopses agree with the table" "" "$out"
	# and the check finds what it is for
	sed -e 's/^| `de logs CONTAINER` |/| `de logs CONTAINER --bogus` |/' -e '/^| `de list pods` |/d' \
		"$TOP/README.md" > "$SCRATCH/README.md"
	mkdir -p "$SCRATCH/doc" && cp "$TOP"/doc/*.md "$SCRATCH/doc/"
	sed -i 's/^de cat CONTAINER PATH/de cat CONTAINER/' "$SCRATCH/doc/de-cat.md"
	out=$(python3 "$TOP/tests/e2e/doctable.py" "$SCRATCH/table.json" "$SCRATCH/README.md" "$SCRATCH/doc" "$GEN")
	same_text "the check finds an option, a row and a synopsis that drifted" \
		"README: \`de logs CONTAINER --bogus\`: --bogus is not an option of de logs
README: no row for de list pods
de-cat.md: synopsis is \"de cat CONTAINER [--no-volumes]\", the table's \"de cat CONTAINER PATH [--no-volumes]\"" "$out"
else
	skip "README and doc synopses: python3 is missing"
fi
