# The shell completions generated from the command table (issue 13, item
# 5): bash's (build/completion/de.bash) driven through COMP_WORDS and
# COMP_CWORD as bash fills them, and in a real interactive bash; zsh's
# (_de) in a real interactive zsh. They offer the commands, each command's
# options (the ones its --help lists), enumerated values, files and
# directories, the containers of the evidence the command line names with
# -r or --root (the engine's own names, docker ps) and the paths in the
# container (the engine's own listing of its merged view).
. "$(dirname "$0")/lib.sh"
COMP=$(dirname "$DE")/completion
[ -r "$COMP/de.bash" ] || COMP=$TOP/build/completion
if [ ! -r "$COMP/de.bash" ]; then bad "completion: no $COMP/de.bash (make)"; exit 0; fi
if ! can_extract; then skip "completion: extracting the fixtures needs root"; exit 0; fi
scratch
S=$SCRATCH/sample
R=$S/var/lib/docker
extract_sample "$S"
NAMES=$(jq -r '.[].Name | ltrimstr("/")' "$ORACLE/containers.inspect.json" | sort)
WEB=$(jq -r '.[] | select(.Name == "/web") | .Id' "$ORACLE/containers.inspect.json")
# the completions run the command being completed: here, $DE under the name de
mkdir -p "$SCRATCH/bin"
printf '#!/bin/sh\nexec %q "$@"\n' "$DE" > "$SCRATCH/bin/de"
chmod +x "$SCRATCH/bin/de"
export PATH=$SCRATCH/bin:$PATH

# bash_offers LINE: what _de offers at the end of LINE, sorted, one a line.
# COMP_WORDS as bash splits LINE: at blanks, and around : and = (both in
# COMP_WORDBREAKS), which _de joins again.
bash_offers() {
	bash -c '
		. "$1"
		line=$2
		COMP_LINE=$line COMP_POINT=${#line} COMP_WORDS=()
		for t in $line; do
			while [[ -n $t ]]; do
				if [[ $t =~ ^([:=]+)(.*)$ || $t =~ ^([^:=]+)(.*)$ ]]; then
					COMP_WORDS+=("${BASH_REMATCH[1]}"); t=${BASH_REMATCH[2]}
				fi
			done
		done
		[[ $line == *" " ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		complete -p de >/dev/null && complete -p docker-explorer >/dev/null || exit 9
		_de
		printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$COMP/de.bash" "$1"
}

# offers NAME LINE WANT: bash offers WANT (lines) at the end of LINE
offers() { same_text "bash: $1" "$3" "$(bash_offers "$2")"; }

lines() { printf '%s\n' "$@" | sort; }
check "bash: complete -p: de and docker-explorer are _de's" \
	bash -c '. "$1"; complete -p de | grep -q -- "-F _de de$" && complete -p docker-explorer | grep -q -- "-F _de"' _ "$COMP/de.bash"
offers "the commands" "de " \
	"$(lines list history inspect ls cat diff export timeline logs mount bbolt download merge-vhdx fsls help)"
offers "a command's prefix" "de l" "$(lines list logs ls)"
offers "de's own options" "de --r" "--root"
offers "-r: a directory" "de -r $S/var/lib/dock" "$S/var/lib/docker"
offers "--root=: a directory" "de --root=$S/va" "$S/var"
offers "the listings" "de -r $R list " \
	"$(lines all_containers running_containers repositories pods runtimes images volumes)"
offers "list images's options" "de list images -" "$(lines --format --all -o --output -h --help)"
offers "list pods's options (no --all)" "de list --format table pods --" "$(lines --format --output --help)"
offers "list --format's values" "de list --format " "$(lines json table)"
offers "logs --format's values" "de logs web --format " "$(lines text jsonl)"
offers "logs --format=j" "de logs web --format=j" "jsonl"
offers "timeline --format's values" "de timeline --all --format " "$(lines bodyfile csv jsonl)"
offers "history --type's values" "de history web --type " "$(lines container image)"
offers "download's kinds" "de download " "$(lines all dockerfile layers)"
offers "help: the commands" "de help me" "merge-vhdx"
offers "no value for --tail" "de -r $R logs web --tail " ""
offers "-o: a file" "de -r $R inspect web -o $S/var/lib/docker/containers/$WEB/con" \
	"$S/var/lib/docker/containers/$WEB/config.v2.json"
offers "CONTAINER: the engine's names, from -r's evidence" "de -r $R logs " "$NAMES"
offers "CONTAINER: a prefix" "de -r $R ls w" "web"
offers "CONTAINER: from --root's evidence" "de --root $S diff " "$NAMES"
offers "CONTAINER: from --root='s evidence" "de --root=$S cat " "$NAMES"
offers "CONTAINER: an ID prefix" "de -r $R inspect ${WEB:0:6}" "$WEB"
# bash replaces what follows the word's last : itself
offers "CONTAINER: RUNTIME:NAME" "de -r $R ls docker:w" "web"
offers "CONTAINER: after options and values" "de -r $R logs --tail 3 -t --format text n" "noisy"
offers "timeline: CONTAINER..." "de -r $R timeline web " "$NAMES"
# PATH: the container's view, as the engine showed it (the running web's
# merged root, listed through the engine: oracle/merged.ID.tsv)
MERGED=$ORACLE/merged.$WEB.tsv
# view_offers DIR BASE: the oracle's entries of DIR (/etc/) beginning with BASE
view_offers() {
	awk -F'\t' -v d=".$1" -v b="$2" 'index($1, d) == 1 && substr($1, length(d) + 1) !~ /\// &&
		index(substr($1, length(d) + 1), b) == 1 && $1 != "." { print substr($1, 2) ($2 == "d" ? "/" : "") }' \
		"$MERGED" | sort
}
offers "PATH: the view's root, as the engine listed it" "de -r $R ls web " "$(view_offers / "")"
offers "PATH: /etc/h, as the engine listed it" "de -r $R cat web /etc/h" "$(view_offers /etc/ h)"
offers "PATH: a directory, its slash" "de -r $R ls -l web /op" "/opt/"
offers "PATH: in export's third argument" "de -r $R export web /tmp/x.tar /etc/ho" \
	"$(view_offers /etc/ ho)"
offers "PATH: of the container the command names" "de -r $R cat done /etc/h" \
	"$("$DE" -r "$R" ls done /etc 2>/dev/null | grep '^h' | sed 's|^|/etc/|' | sort)"
offers "export OUT: a file" "de -r $R export web $S/var/lib/dock" "$S/var/lib/docker"
offers "no evidence: no container, nothing said" "de -r $SCRATCH/none logs " ""
offers "after --: arguments" "de -r $R logs -- " "$NAMES"
# __complete itself: the names, nothing on stderr, whatever the evidence
out=$("$DE" -r "$R" __complete containers 2>"$SCRATCH/err"); rc=$?
same_text "__complete containers: the engine's names, exit 0" "$NAMES 0" "$out $rc"
check "__complete containers: nothing on stderr" test ! -s "$SCRATCH/err"
same_text "__complete containers docker:: RUNTIME:NAME" "$(sed 's/^/docker:/' <<<"$NAMES")" \
	"$("$DE" --root "$S" __complete containers docker: 2>/dev/null)"
"$DE" -r "$SCRATCH/none" __complete containers >/dev/null 2>"$SCRATCH/err"
check "__complete: nothing on stderr on an unreadable root" test ! -s "$SCRATCH/err"
check "__complete is not offered" bash -c '! grep -q __complete <<<"$1"' _ "$(bash_offers "de __")"

# every option a command's --help lists is offered, and only those
for c in history inspect ls cat diff export timeline logs mount bbolt download merge-vhdx fsls; do
	want=$("$DE" "$c" --help | sed -n '/^options:/,/^$/p' | grep -oE '^  -[-a-zA-Z_]+(, --[-a-z_]+)?' |
		tr -d ' ' | tr ',' '\n' | sort)
	offers "$c: the options --help lists" "de $c -" "$want"
done

# ---- a real interactive bash (python3's pty), as a user sees it -------------
if command -v python3 >/dev/null; then
	real_bash() {  # LINE WANT: the command line after TAB, once it is WANT (20 s at most)
		python3 - "$COMP/de.bash" "$1" "$2" <<'PY'
import os, pty, re, select, sys, time
rc, line, want = sys.argv[1], sys.argv[2], sys.argv[3]
pid, fd = pty.fork()
if pid == 0:
    os.execvp('bash', ['bash', '--norc', '--noprofile', '-i'])
def read(out, t, until=None):
    end = time.time() + t
    while time.time() < end:
        if select.select([fd], [], [], 0.05)[0]:
            try:
                out += os.read(fd, 4096)
            except OSError:
                break
        if until and until(out):
            break
    return out
def last(out):   # the line being edited, without the prompt and escapes
    text = re.sub(r'\x1b\[[0-9;?]*[A-Za-z]', '', out.decode(errors='replace'))
    lines = text.replace('\r', '').strip('\n').splitlines()
    return lines[-1].removeprefix('$ ') if lines else ''
os.write(fd, b"PS1='$ '; bind 'set bell-style none'; bind 'set enable-bracketed-paste off'; . " + rc.encode() + b"; echo ready\n")
read(b'', 10, lambda o: b'ready\r\n' in o)
os.write(fd, line.encode() + b'\t')
print(last(read(b'', 20, lambda o: last(o) == want)))
os.write(fd, b'\x15exit\n')
read(b'', 0.3)
PY
	}
	real() {  # NAME LINE WANT
		same_text "real bash: $1" "$3" "$(real_bash "$2" "$3")"
	}
	real "docker:w<TAB> is docker:web and a space" "de -r $R ls docker:w" "de -r $R ls docker:web "
	real "--format=j<TAB> is --format=jsonl and a space" "de logs --format=j" "de logs --format=jsonl "
	real "/opt/app/c<TAB> is /opt/app/conf/, no space after it" "de -r $R ls web /opt/app/c" \
		"de -r $R ls web /opt/app/conf/"
else
	skip "real bash: python3 is missing"
fi

# ---- zsh -----------------------------------------------------------------------
if ! command -v zsh >/dev/null; then
	skip "zsh: not installed (scripts/setup installs it)"; exit 0
fi
check "zsh: _de parses" zsh -n "$COMP/_de"
# zsh_offers LINE: what zsh's completion system offers at the end of LINE,
# typed into an interactive zsh with _de in its fpath: every match any
# compadd added, sorted.
zsh_offers() {
	zsh -f -c '
		zmodload zsh/zpty || exit 1
		zpty z zsh -f -i
		zpty -w z "PS1= RPS1=; fpath=($1 \$fpath); autoload -Uz compinit; compinit -u -D"
		zpty -w z '\''compadd() { local -a m; builtin compadd -O m "$@"; (( $#m )) && print -rl -- "<"M">"${^m}; builtin compadd "$@"; }'\''
		zpty -w z '\''comppostfuncs=(_t_end); _t_end() { print -r -- "<"END">"; }'\''
		zpty -w -n z "$2"$'\''\t'\''
		out= n=0
		while (( n++ < 200 )); do
			if zpty -r -t z l; then out+=$l; [[ $out == *"<END>"* ]] && break; else sleep 0.05; fi
		done
		zpty -d z
		print -r -- "$out" | tr -d "\r" | grep -ao "<M>[^<]*" | sed -e "s/^<M>//" -e "s/[[:space:]]*\$//" | sort -u
	' _ "$COMP" "$1"
}
zoffers() { same_text "zsh: $1" "$3" "$(zsh_offers "$2")"; }
zoffers "the commands" "de " \
	"$(lines list history inspect ls cat diff export timeline logs mount bbolt download merge-vhdx fsls help)"
zoffers "logs --f" "de logs --f" "--format"
zoffers "logs --format's values" "de logs --format " "$(lines text jsonl)"
zoffers "the listings" "de list " \
	"$(lines all_containers running_containers repositories pods runtimes images volumes)"
zoffers "download's kinds" "de download " "$(lines all dockerfile layers)"
zoffers "CONTAINER: the engine's names, from -r's evidence" "de -r $R logs " "$NAMES"
zoffers "CONTAINER: from --root's evidence, after options" "de --root $S logs --tail 3 w" "web"
zoffers "CONTAINER: RUNTIME:NAME" "de -r $R ls docker:w" "docker:web"
zoffers "timeline: CONTAINER..." "de -r $R timeline web " "$NAMES"
zoffers "PATH: /etc/h, as the engine listed it" "de -r $R cat web /etc/h" "$(view_offers /etc/ h)"
zoffers "PATH: a directory's entries" "de -r $R ls -R web /opt/app/" "$(view_offers /opt/app/ "")"
