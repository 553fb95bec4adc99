# `de export CONTAINER OUT PATH` (issue 10, item 13): a directory PATH is
# an entry of the export itself — its mode, owner and times — as
# `tar -C / -c etc` writes etc/ before its content. Oracle: the kernel's
# overlay mount of the sample's layers, archived by GNU tar (pax, sorted by
# name) and listed by GNU tar; and listed by listing.py against the
# directory export and de's tar extracted by GNU tar.
. "$(dirname "$0")/lib.sh"
if ! can_extract; then skip "export PATH: extracting the sample needs root"; exit 0; fi
if ! unshare -m true 2>/dev/null || ! grep -qw overlay /proc/filesystems; then
	skip "export PATH: needs unshare -m and overlayfs for the kernel oracle"; exit 0
fi
scratch
H=$SCRATCH/host
extract_sample "$H"
R=$H/var/lib/docker
LISTING="python3 $TOP/tests/e2e/listing.py"
K=$SCRATCH/k
mkdir -p "$K"
cmd=$("$DE" -r "$R" mount web "$K" --dry-run --no-volumes)
# PATHs: /etc (the -init layer's), /opt/app (changed by the container),
# /opt/app/old (an opaque directory), /srv/www (a whiteout in it)
PATHS="etc opt/app opt/app/old srv/www"
unshare -m --propagation private bash -c "$cmd && $LISTING '$K' --hash --xattrs > '$SCRATCH/k.list' &&
	for p in $PATHS; do f=\$(echo \$p | tr / _);
		LC_ALL=C tar -C '$K' --format=pax --sort=name --numeric-owner --xattrs --xattrs-include='*' \
			-cf '$SCRATCH/oracle.'\$f.tar \$p || exit 1; done"
check "kernel oracle: listed and archived by GNU tar" test -s "$SCRATCH/k.list" -a -s "$SCRATCH/oracle.etc.tar"
tv() { LC_ALL=C tar --numeric-owner --full-time -tvf "$1"; }
for p in $PATHS; do
	f=$(echo $p | tr / _)
	"$DE" -r "$R" export web "$SCRATCH/de.$f.tar" "/$p" --no-volumes; rc=$?
	check "export web /$p (tar): exit 0" test $rc -eq 0
	same_text "export web /$p (tar): GNU tar lists the same entries as tar -C MOUNT -c $p, $p/ first" \
		"$(tv "$SCRATCH/oracle.$f.tar")" "$(tv "$SCRATCH/de.$f.tar")"
	check "export web /$p (tar): the first entry is $p/ itself" \
		test "$(LC_ALL=C tar -tf "$SCRATCH/de.$f.tar" | head -1)" = "$p/"
	want=$(awk -v p="/$p" '$6 == p || index($6, p "/") == 1' "$SCRATCH/k.list")
	T=$SCRATCH/t.$f
	mkdir -p "$T"
	tar --xattrs --xattrs-include='*' --numeric-owner -p -xf "$SCRATCH/de.$f.tar" -C "$T"
	same_text "export web /$p (tar), extracted by GNU tar: $p itself and its content as the kernel's view" \
		"$want" "$($LISTING "$T" --hash --xattrs | awk -v p="/$p" '$6 == p || index($6, p "/") == 1')"
	X=$SCRATCH/x.$f
	mkdir -p "$X"
	"$DE" -r "$R" export web "$X" "/$p" --no-volumes; rc=$?
	check "export web /$p (directory): exit 0" test $rc -eq 0
	same_text "export web /$p (directory): $p itself (mode, owner, mtime) and its content as the kernel's view" \
		"$want" "$($LISTING "$X" --hash --xattrs | awk -v p="/$p" '$6 == p || index($6, p "/") == 1')"
done
# the root stays as docker export writes it: no "./" entry
"$DE" -r "$R" export web "$SCRATCH/root.tar" --no-volumes
check "export web (the whole view): no entry for / itself" test -z "$(tar -tf "$SCRATCH/root.tar" | grep -xE '\./?|/')"
