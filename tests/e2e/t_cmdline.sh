# The command line parsed from the command table (issue 13, item 5): every
# spelling de.py's argparse and GNU getopt users type still works (long
# options abbreviated, --name=value, bundled short options, options before
# list's subcommand, de.py's --filter_repositories), checked against what
# the engine said (docker ps names, docker logs); every bad command line
# gets the one message form, then the command's usage, exit 2; --help and
# `de help` come from the table.
. "$(dirname "$0")/lib.sh"
if ! can_extract; then skip "command line: extracting the fixtures needs root"; exit 0; fi
scratch
S=$SCRATCH/sample
R=$S/var/lib/docker
extract_sample "$S"
de_() { "$DE" -r "$R" "$@"; }
names() { jq -r '.[].name' | sort; }
ORACLE_NAMES=$(jq -r '.[].Name' "$ORACLE/containers.inspect.json" | sort)

# ---- spellings: the same answer, the engine's --------------------------------
same_text "list: the engine's containers" "$ORACLE_NAMES" "$(de_ list all_containers | names)"
same_text "no command: list all_containers (de.py)" "$ORACLE_NAMES" "$(de_ | names)"
for f in "-F other" "-Fother" "--filter other" "--filter=other" "--filter_repositories other" \
	"--filter_repositories=other" "--filter_rep other"; do
	# shellcheck disable=SC2086  # the option's words
	same_text "list all_containers $f: none left out" "$ORACLE_NAMES" "$(de_ list all_containers $f | names)"
	# shellcheck disable=SC2086
	same_text "list $f all_containers: the option before the listing" "$ORACLE_NAMES" \
		"$(de_ list $f all_containers | names)"
done
# every sample container runs an image of the repository "sample"
same_text "list all_containers -F sample,other: every one left out" "" \
	"$(de_ list all_containers -F sample,other | names)"
same_text "list all_containers -F x -F sample: the lists add up" "" \
	"$(de_ list all_containers -F x -F sample | names)"

web=$(jq -r '.[] | select(.Name == "/web") | .Id' "$ORACLE/containers.inspect.json")
want=$(tail -n 3 "$ORACLE/logs.$web.stdout")   # docker logs --timestamps
for args in "web --stream stdout --tail 3 -t" "web --stream=stdout --tail=3 --timestamps" \
	"--tai 3 -t --str stdout web" "-t web --tail 3 --stream stdout" "--tail 3 -t --stream stdout -- web"; do
	# shellcheck disable=SC2086
	same_text "logs $args: docker logs -t's last 3 lines" "$want" "$(de_ logs $args)"
done
want=$(de_ ls web /opt -l -R)
for args in "web /opt -lR" "-Rl web /opt" "-l web -R /opt" "-l -R -- web /opt"; do
	# shellcheck disable=SC2086
	same_text "ls $args: as ls web /opt -l -R" "$want" "$(de_ ls $args 2>/dev/null)"
done
# (without atimes: reading a symlink of the evidence, on a read-write copy,
# moves its atime)
noatime() { jq 'del(.. | .atime?)'; }
want=$(de_ diff web --format json --hash --hash-max 100 | noatime)
same_text "diff --format=json --hash --hash-m=100: the same document" "$want" \
	"$(de_ diff --format=json --hash --hash-m=100 web | noatime)"

# an option a listing has no use for: said, and the answer is still given
out=$(de_ list all_containers --format table 2>"$SCRATCH/err"); rc=$?
same_text "list all_containers --format table: the list, exit 0" "$ORACLE_NAMES 0" "$(names <<<"$out") $rc"
same_text "list all_containers --format table: a note says it has no effect" \
	"de: --format has no effect on list all_containers: ignored" "$(cat "$SCRATCH/err")"

# ---- the one message form, then the usage, exit 2, nothing on stdout ---------
# usage_err NAME WANT ARGS...: de ARGS exits 2, says WANT first, then the usage of
# the command; stdout stays empty
usage_err() {
	local name=$1 want=$2; shift 2
	"$DE" -r "$R" "$@" >"$SCRATCH/out" 2>"$SCRATCH/err"; local rc=$?
	same_text "usage: $name" "$want 2" "$(head -1 "$SCRATCH/err") $rc"
	check "usage: $name: the usage follows" grep -q '^usage: de' "$SCRATCH/err"
	check "usage: $name: nothing on stdout" test ! -s "$SCRATCH/out"
}
usage_err "unknown option" '--bogus: not an option of de logs' logs web --bogus
usage_err "unknown short option" '-x: not an option of de ls' ls web -lx
usage_err "de's own unknown option" '--bogus: not an option of de' --bogus list all_containers
usage_err "de's own option after the command" '--root: not an option of de logs' logs web --root /mnt
same_text "de's own option after the command: where it goes" \
	"(--root is one of de's own options: they come before the command, as in de --root ... logs)" \
	"$(sed -n 2p "$SCRATCH/err")"
usage_err "ambiguous abbreviation" '--f: ambiguous (--fuse, --foreground)' mount web /mnt --f
usage_err "missing value" '--tail: a number of lines is missing (0 to 10000000)' logs web --tail
usage_err "missing value, path" '--output: FILE is missing' inspect web -o
usage_err "flag with a value" '--hash: takes no value' diff web --hash=yes
usage_err "empty path" '--output: "" is not a file name' inspect web -o ''
usage_err "missing CONTAINER" 'logs: CONTAINER is missing' logs
usage_err "extra argument" 'cat: unexpected argument "c"' cat web /a c
usage_err "unknown command" 'de: "bogus" is not a command (list, history, inspect, ls, cat, diff, export, timeline, logs, mount, bbolt, download, merge-vhdx, fsls, help)' bogus
usage_err "unknown listing" 'list: "bogus" is not a listing (all_containers, running_containers, repositories, pods, runtimes, images, volumes)' list bogus
usage_err "no listing" 'list: a listing is missing (all_containers, running_containers, repositories, pods, runtimes, images, volumes)' list
usage_err "another listing's option, bad value" '--format: "xml" is not a format (json, table)' list all_containers --format xml
usage_err "listing option not accepted anywhere" '-l: not an option of de list images' list images -l
usage_err "history --type" '--type: "volume" is not a kind (container, image)' history web --type volume
usage_err "download kind" 'download: "everything" is not a kind of download (all, dockerfile, layers)' download everything busybox
usage_err "download --platform" '--platform: "linux" is not a platform (OS/ARCH[/VARIANT])' download layers busybox --platform linux
usage_err "download -o - for layers" '-o: "-" (stdout) is for dockerfile only' download layers busybox -o -
usage_err "merge-vhdx without -c" 'merge-vhdx: -c CHILD is missing' merge-vhdx -p a.vhdx -o out.raw
usage_err "merge-vhdx extra argument" 'merge-vhdx: unexpected argument "x"' merge-vhdx -p a -c b -o c x
usage_err "help of no command" 'help: "bogus" is not a command (list, history, inspect, ls, cat, diff, export, timeline, logs, mount, bbolt, download, merge-vhdx, fsls, help)' help bogus

# ---- help, from the table ----------------------------------------------------
out=$("$DE" --help); rc=$?
check "de --help: exit 0" test $rc -eq 0
same_text "de --help: its usage" "usage: de [-d] [-r DOCKER_DIRECTORY] [--root HOST_ROOT] [--image IMAGE]..." \
	"$(head -1 <<<"$out")"
same_text "de -h is de --help" "$out" "$("$DE" -h)"
same_text "de help is de --help" "$out" "$("$DE" help)"
for c in list history inspect ls cat diff export timeline logs mount bbolt download merge-vhdx fsls help; do
	check "de --help lists $c" grep -q "^  $c  " <<<"$out"
	h=$("$DE" "$c" --help); rc=$?
	same_text "de $c --help: exit 0, its usage first" "0 usage: de $c" "$rc $(head -1 <<<"$h" | cut -d' ' -f1-3)"
	case $c in list) ;; *) same_text "de $c -h is --help" "$h" "$("$DE" "$c" -h)" ;; esac
	m=$("$DE" help "$c"); rc=$?
	same_text "de help $c: its manual (NAME, SYNOPSIS...)" "0 NAME de-$c -" "$rc $(head -2 <<<"$m" | tr -s ' \n' ' ' | cut -d' ' -f1-3)"
done
check "__complete is not listed" bash -c '! "$1" --help | grep -q __complete' _ "$DE"
same_text "de logs --help --tail x: help first" "0" "$("$DE" logs --help --tail x >/dev/null; echo $?)"
