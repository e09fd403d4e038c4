#!/usr/bin/env bash
# Measures a running Finder server against the ceiling of this machine and
# prints one table: each operation's requests per second beside the
# ceiling's, the ratio, the server's latencies, errors and database
# commands per request, and whether it meets its target.
#
#   bench/run.sh URL [duration] [concurrency]
#   bench/run.sh http://127.0.0.1:8080 5s 16
#
# It starts nothing but the ceiling (bench ceiling, on a free loopback port,
# stopped on exit): the server under test must already be running at URL.
# BENCH_OPS picks the operations (default card,page,scan,search,tool);
# BENCH_LOAD_FLAGS adds flags to every load, such as "-warmup 2s";
# BENCH_PLAN_FLAGS adds flags to the loads and the ceiling,
# which must agree on them, such as "-max-roles 100". BENCH_CEILING_WAIT is
# how many seconds the ceiling may take to record the server's answers
# (default 1200: a slow server with a big catalog takes minutes).
# BENCH_PIN=1 runs the ceiling on CPU 0 and the loads on CPU 1, for a server
# started on CPU 0 (taskset -c 0): the load then no longer competes with
# what it measures for a core (see bench/README.md, "Pinned").
set -euo pipefail

if [[ $# -lt 1 || $# -gt 3 ]]; then
	echo "usage: $0 URL [duration] [concurrency]" >&2
	exit 2
fi
url=$1
duration=${2:-10s}
concurrency=${3:-16}
# shellcheck disable=SC2206 # split on purpose
load_flags=(${BENCH_LOAD_FLAGS:-})
# shellcheck disable=SC2206
plan_flags=(${BENCH_PLAN_FLAGS:-})

pin_ceiling=() pin_load=()
if [[ ${BENCH_PIN:-} == 1 ]]; then
	pin_ceiling=(taskset -c 0) pin_load=(taskset -c 1)
fi

root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
ceiling_pid=""
cleanup() {
	if [[ -n $ceiling_pid ]]; then
		kill "$ceiling_pid" 2>/dev/null || true
		wait "$ceiling_pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "building bench ..." >&2
(cd "$root" && go build -o "$tmp/bench" ./bench)

# The ceiling records the server's answer to every request the load sends,
# then serves them; it writes its address once it is ready.
"${pin_ceiling[@]}" "$tmp/bench" ceiling -listen 127.0.0.1:0 -from "$url" -addr-file "$tmp/ceiling.addr" "${plan_flags[@]}" &
ceiling_pid=$!
wait_s=${BENCH_CEILING_WAIT:-1200}
for _ in $(seq 1 $((wait_s * 2))); do
	[[ -s $tmp/ceiling.addr ]] && break
	if ! kill -0 "$ceiling_pid" 2>/dev/null; then
		echo "the ceiling stopped before serving" >&2
		exit 1
	fi
	sleep 0.5
done
if [[ ! -s $tmp/ceiling.addr ]]; then
	echo "the ceiling was not ready after ${wait_s}s (BENCH_CEILING_WAIT)" >&2
	exit 1
fi
ceiling="http://$(cat "$tmp/ceiling.addr")"

# Each operation runs against the server, then at once against the
# ceiling, and so on: the two loads of a pair run seconds apart, so that a
# machine whose speed drifts (a shared or virtual one) compares like with
# like. The mix comes last, as a pair of its own. BENCH_ROUNDS (default 3)
# rounds of all that are joined into one row per operation.
load() {
	"${pin_load[@]}" "$tmp/bench" load -url "$1" -duration "$duration" -concurrency "$concurrency" -json \
		"${plan_flags[@]}" "${load_flags[@]}" "${@:3}" >"$2"
}
ops=${BENCH_OPS:-card,page,scan,search,tool}
rounds=${BENCH_ROUNDS:-3}
pairs=()
for round in $(seq 1 "$rounds"); do
	for op in ${ops//,/ } mix; do
		args=(-ops "$op")
		[[ $op == mix ]] && args=(-ops "$ops" -alone=false -mix)
		echo "--- round $round of $rounds, $op: the server, $url, then the ceiling, $ceiling" >&2
		load "$url" "$tmp/server-$op-$round.json" "${args[@]}"
		load "$ceiling" "$tmp/ceiling-$op-$round.json" "${args[@]}"
		pairs+=("$tmp/server-$op-$round.json" "$tmp/ceiling-$op-$round.json")
	done
done

kill "$ceiling_pid" 2>/dev/null || true
wait "$ceiling_pid" 2>/dev/null || true
ceiling_pid=""

echo
"$tmp/bench" compare "${pairs[@]}"
