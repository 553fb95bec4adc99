# `de list` on the sample host against what the engine itself said
# (docker inspect, saved when the sample was made).
. "$(dirname "$0")/lib.sh"
if ! can_extract; then skip "sample host list: extracting whiteouts needs root"; exit 0; fi
scratch
H=$SCRATCH/host
extract_sample "$H"
R=$H/var/lib/docker

got=$("$DE" -r "$R" list all_containers 2>"$SCRATCH/err"); rc=$?
check "list all_containers exits 0" test $rc -eq 0
check "list all_containers prints nothing on stderr" test ! -s "$SCRATCH/err"

# The oracle: docker inspect, mapped to de.py's keys by the documented rules.
want=$(jq --arg h "$H" "$JQ_ISO"'
	sort_by(.State.StartedAt | iso) | map(
	{image_name: .Config.Image, container_id: .Id, image_id: (.Image | sub("^sha256:"; ""))}
	+ (if (.Config.Labels // {}) != {} then {labels: .Config.Labels} else {} end)
	+ {start_date: (.State.StartedAt | iso),
	   mount_id: (.GraphDriver.Data.UpperDir | split("/") | .[-2])}
	+ (if (.Mounts | length) > 0 then {mount_points: (.Mounts | sort_by(.Destination) | map(
		{source: (if .Type == "volume" then $h + "/var/lib/docker/volumes/" + .Name + "/_data"
		          else $h + .Source end), destination: .Destination}))} else {} end)
	+ {upper_dir: ($h + .GraphDriver.Data.UpperDir)}
	+ (if .LogPath != "" then {log_path: ($h + .LogPath)} else {} end)
	+ (if (.Config.ExposedPorts // {}) != {} then {exposed_ports: .Config.ExposedPorts} else {} end)
	+ {name: .Name, created: (.Created | iso),
	   state: (if .State.Status == "exited" then "exited(\(.State.ExitCode))" else .State.Status end),
	   finished_date: (.State.FinishedAt | iso), pid: .State.Pid, driver: .Driver,
	   command: ([.Path] + .Args | join(" ")), hostname: .Config.Hostname,
	   runtime: "docker", data_root: ($h + "/var/lib/docker")})' \
	"$ORACLE/containers.inspect.json")
same_text "list all_containers equals docker inspect" "$(jq -S . <<<"$want")" "$(jq -S . <<<"$got")"
# Key order is part of the compatibility: de.py's keys first, in de.py's order.
same_text "list keeps de.py's key order" "$(jq -c 'map(keys_unsorted)' <<<"$want")" \
	"$(jq -c 'map(keys_unsorted)' <<<"$got")"

got=$("$DE" -r "$R" list running_containers)
same_text "list running_containers" "$(jq -c '[.[] | select(.State.Running) | .Id]' \
	"$ORACLE/containers.inspect.json")" "$(jq -c 'map(.container_id)' <<<"$got")"

got=$("$DE" -r "$R" list all_containers -F sample)
same_text "-F drops containers by repository" "[]" "$(jq -c . <<<"$got")"
got=$("$DE" -r "$R" list all_containers -F registry.example.com,other)
check "-F keeps other repositories" test "$(jq length <<<"$got")" = "$(jq length "$ORACLE/containers.inspect.json")"

# repositories: the file as written, with its path, for every image store
got=$("$DE" -r "$R" list repositories)
same_text "list repositories" \
	"$(jq -S --arg p "$R/image/overlay2/repositories.json" '[. + {path: $p}]' \
	   "$R/image/overlay2/repositories.json")" "$(jq -S . <<<"$got")"

# with no command, de lists all containers; --root and -r agree on host paths
same_text "no command means list all_containers" "$("$DE" -r "$R" list all_containers)" \
	"$("$DE" -r "$R")"
got=$("$DE" -r "$R" --root /evidence list all_containers | jq -r '.[] | .log_path // empty' | head -1)
check "--root places host paths under it" grep -q '^/evidence/var/lib/docker/containers/' <<<"$got"
