#!/usr/bin/env bash
# Replicas behind nginx, tested as an operator would break them (issue 21): deploy/replicas.sh starts the
# proxy and 2 replicas on loopback, then wrk (Debian's) posts reviews at concurrency 64:
#
#   1. 20 s straight to replica 1, then 20 s through the proxy to both: what a second replica buys here;
#   2. 60 s through the proxy while replica 1 gets SIGTERM at 15 s (a rolling restart: it answers the
#      requests in flight, exits, and is started again) and replica 2 SIGKILL at 35 s (started again).
#
# Passes when phase 2 has no failed request: every response 2xx, no socket errors. Prints each phase's
# counts and writes bench/results/replicas-<time>.json. Needs nginx-light and wrk (apt-get install
# nginx-light wrk). Takes about 3 minutes.
#
#   deploy/replica_test.sh [--port 18080]
set -euo pipefail
cd "$(dirname "$0")/.."
port=18080
[[ ${1:-} == --port ]] && port=$2
for tool in nginx wrk curl; do
    command -v $tool >/dev/null || { echo "replica_test.sh: needs $tool (apt-get install nginx-light wrk curl)" >&2; exit 1; }
done
run=$(mktemp -d -t bertsent-replica-test.XXXXXX)
deploy/replicas.sh --replicas 2 --port "$port" --run-dir "$run/replicas" &
proxy=$!
trap 'kill -TERM $proxy 2>/dev/null || true; wait $proxy 2>/dev/null || true' EXIT
until [[ -e $run/replicas/ready ]]; do
    kill -0 $proxy 2>/dev/null || { echo "replica_test.sh: deploy/replicas.sh stopped before it was ready" >&2; exit 1; }
    sleep 0.2
done

: >"$run/replicas/error.log"   # from here on it records only what the load meets

python3 - "$run/bodies.jsonl" <<'EOF'
import json, sys
reviews = [
    "A wonderful, moving film: the cast is superb and the ending stayed with me for days.",
    "Dull and far too long; I checked my watch every ten minutes.",
    "The pacing drags, yet the performances are quietly remarkable. " * 6,
    "Not the best of the series, but the score and the photography make it worth seeing once.",
]
with open(sys.argv[1], "w") as f:
    for review in reviews:
        f.write(json.dumps({"inputs": review}) + "\n")
EOF

# wrk for $2 seconds against port $1; its JSON line (bench/wrk_reviews.lua) goes to file $3.
load() {
    WRK_BODIES="$run/bodies.jsonl" wrk -t 2 -c 64 -d "${2}s" --timeout 40s -s bench/wrk_reviews.lua \
        "http://127.0.0.1:$1" | grep '^{' >"$3"
}

echo "replica_test.sh: 20 s to replica 1 alone, 20 s through the proxy" >&2
load $((port + 1)) 20 "$run/direct.json"
load "$port" 20 "$run/proxy.json"

echo "replica_test.sh: 60 s through the proxy; SIGTERM to replica 1 at 15 s, SIGKILL to replica 2 at 35 s" >&2
load "$port" 60 "$run/faults.json" &
wrk_pid=$!
sleep 15
term_pid=$(cat "$run/replicas/replica-1.pid")
kill -TERM "$term_pid"
sleep 20
kill_pid=$(cat "$run/replicas/replica-2.pid")
kill -KILL "$kill_pid"
wait $wrk_pid

# Both replicas must be back (new processes) and answering.
for i in 1 2; do
    curl -sf -o /dev/null "http://127.0.0.1:$((port + i))/health" \
        || { echo "replica_test.sh: replica $i did not come back (log: $run/replicas/replica-$i.log)" >&2; exit 1; }
done
python3 - "$run" "$term_pid" "$kill_pid" "$(lscpu | sed -n 's/^Model name: *//p')" "$(nproc)" <<'EOF'
import json, os, sys, time
run, term_pid, kill_pid, cpu, cores = sys.argv[1:]
phases = {name: json.load(open(os.path.join(run, name + ".json"))) for name in ("direct", "proxy", "faults")}
def failed(p):
    return p["non2xx"] + p["connectErrors"] + p["readErrors"] + p["writeErrors"] + p["timeouts"]
for name, p in phases.items():
    p["requestsPerSecond"] = round(p["requests"] / (p["durationMicroseconds"] / 1e6), 1)
    p["failed"] = failed(p)
exits = {i: [l.strip() for l in open(os.path.join(run, "replicas", f"replica-{i}.log")) if "exited with status" in l]
         for i in (1, 2)}
# What nginx met and retried on another replica (error.log, emptied once the replicas were ready).
proxy_log = open(os.path.join(run, "replicas", "error.log")).read()
retried = {"refused": proxy_log.count("Connection refused"),
           "closedBeforeResponse": proxy_log.count("upstream prematurely closed connection"),
           "noLiveReplica": proxy_log.count("no live upstreams")}
result = {"cpu": cpu, "cores": int(cores), "concurrency": 64, "phases": phases,
          "faults": {"sigterm": {"replica": 1, "pid": int(term_pid), "exits": exits[1]},
                     "sigkill": {"replica": 2, "pid": int(kill_pid), "exits": exits[2]}},
          "proxyErrorLog": retried,
          "passed": failed(phases["faults"]) == 0}
path = os.path.join("bench", "results", time.strftime("replicas-%Y%m%d-%H%M%S.json"))
json.dump(result, open(path, "w"), indent=2)
for name, p in phases.items():
    print(f"{name:7s} {p['requests']:6d} requests, {p['requestsPerSecond']:6.1f}/s, p50 {p['p50Microseconds'] / 1000:.0f} ms, "
          f"p99 {p['p99Microseconds'] / 1000:.0f} ms, failed {p['failed']} (non-2xx {p['non2xx']}, "
          f"socket errors {p['connectErrors'] + p['readErrors'] + p['writeErrors']}, timeouts {p['timeouts']})")
for i, lines in exits.items():
    print(f"replica {i}: " + "; ".join(l.split("replicas.sh: ", 1)[-1] for l in lines))
print("nginx met: " + ", ".join(f"{k} {v}" for k, v in retried.items()))
print(f"{'passed' if result['passed'] else 'FAILED'}: {path}")
sys.exit(0 if result["passed"] else 1)
EOF
