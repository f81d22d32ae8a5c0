#!/usr/bin/env bash
# nginx (deploy/nginx.conf.template) in front of N `bertsent serve` replicas on loopback; a replica that
# exits, killed or stopped, is started again, as systemd's Restart=always would:
#
#   deploy/replicas.sh [--replicas 2] [--port 8080] [--run-dir DIR] [-- SERVE FLAGS]
#
# The proxy listens on PORT, replica i on PORT+i. RUN-DIR (default: a new temporary folder) holds the
# nginx config and log, each replica's log and pid (replica-I.log, replica-I.pid, so a test can stop one)
# and `ready` once the proxy and every replica answer. SIGTERM or SIGINT stop the proxy and every replica,
# which answer the requests in flight first. Needs nginx (Debian's nginx-light). The bertsent run is
# $BENCH_BIN, else this tree's release build.
set -euo pipefail
cd "$(dirname "$0")/.."
replicas=2 port=8080 run=""
while [[ $# -gt 0 ]]; do
    case $1 in
        --replicas) replicas=$2; shift 2 ;;
        --port) port=$2; shift 2 ;;
        --run-dir) run=$2; shift 2 ;;
        --) shift; break ;;
        *) echo "replicas.sh: unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
    esac
done
serve=("$@")
[[ $replicas =~ ^[1-9][0-9]*$ ]] || { echo "replicas.sh: --replicas $replicas: not a positive count" >&2; exit 2; }
[[ $port =~ ^[0-9]+$ ]] && ((port >= 1 && port + replicas <= 65535)) \
    || { echo "replicas.sh: --port $port: no room for the proxy and $replicas replicas" >&2; exit 2; }
command -v nginx >/dev/null || { echo "replicas.sh: needs nginx (apt-get install nginx-light)" >&2; exit 1; }
source bench/bertsent_bin.sh   # sets BIN
run=${run:-$(mktemp -d -t bertsent-replicas.XXXXXX)}
mkdir -p "$run"
run=$(cd "$run" && pwd)
rm -f "$run/ready" "$run/stopping"

upstreams=""
for ((i = 1; i <= replicas; i++)); do
    upstreams+="        server 127.0.0.1:$((port + i)) max_fails=1 fail_timeout=2s;"$'\n'
done
sed -e "s|@RUN@|$run|g" -e "s|@PORT@|$port|g" deploy/nginx.conf.template \
    | awk -v upstreams="${upstreams%$'\n'}" '{ if ($0 == "@UPSTREAMS@") print upstreams; else print }' \
    >"$run/nginx.conf"
nginx -t -q -p "$run" -c "$run/nginx.conf"

# Starts replica $1 on its port again whenever it exits, until the script is stopping.
supervise() {
    local i=$1 status
    while [[ ! -e $run/stopping ]]; do
        "$BIN" serve --port $((port + i)) "${serve[@]}" >>"$run/replica-$i.log" 2>&1 &
        echo $! >"$run/replica-$i.pid"
        status=0
        wait $! || status=$?
        echo "replicas.sh: $(date -u +%T.%N | cut -c1-12) replica $i exited with status $status" >>"$run/replica-$i.log"
        sleep 0.2
    done
}

stop() {
    touch "$run/stopping"
    for ((i = 1; i <= replicas; i++)); do kill -TERM "$(cat "$run/replica-$i.pid" 2>/dev/null)" 2>/dev/null || true; done
    [[ -n ${nginx_pid:-} ]] && kill -QUIT "$nginx_pid" 2>/dev/null || true
    wait
    echo "replicas.sh: stopped (logs in $run)" >&2
}
trap stop EXIT
trap 'exit 0' TERM INT

for ((i = 1; i <= replicas; i++)); do supervise "$i" & done
nginx -p "$run" -c "$run/nginx.conf" &
nginx_pid=$!

# The replicas first, then the proxy: asked before a replica is up, nginx would mark it failed.
for i in $(seq 1 "$replicas") 0; do
    for ((tries = 0; ; tries++)); do
        curl -sf -o /dev/null "http://127.0.0.1:$((port + i))/health" && break
        if ((tries >= 600)); then
            echo "replicas.sh: port $((port + i)) did not answer /health within 60 s (logs in $run)" >&2
            exit 1
        fi
        sleep 0.1
    done
done
touch "$run/ready"
echo "replicas.sh: proxy on http://127.0.0.1:$port in front of $replicas replicas (ports $((port + 1))-$((port + replicas))); logs in $run" >&2
wait "$nginx_pid"
