#!/usr/bin/env bash
# Two "hosts" for real (issue 21): a 2-rank `bertsent train` whose ranks live in two network namespaces
# joined by a veth pair, so every all-reduce crosses an interface. mpirun starts in the first namespace and
# reaches the second through an rsh agent that runs its daemon there (`ip netns exec`); Open MPI is held to
# TCP over the veth link. For each link rate (tc's token bucket on both ends; `unlimited` for none) the
# run's measured all-reduce seconds per step (log.jsonl's allreduce_seconds, median of the steps after the
# first) are set against a ring all-reduce's cost, 2(N-1)/N x bytes / rate, and the bytes the interface
# carried per step against 2(N-1)/N x bytes. Creates the namespaces and tears them down; needs root, iproute2
# (ip, tc) and Open MPI (scripts/setup.sh). Writes bench/results/two_hosts-<time>.json.
#
#   bench/two_hosts.sh [--rates unlimited,2gbit,500mbit] [--steps 8] [--model DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
rates=unlimited,2gbit,500mbit steps=8 model=""
while [[ $# -gt 0 ]]; do
    case $1 in
        --rates) rates=$2; shift 2 ;;
        --steps) steps=$2; shift 2 ;;
        --model) model=$2; shift 2 ;;
        *) echo "two_hosts.sh: unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
    esac
done
[[ $(id -u) == 0 ]] || { echo "two_hosts.sh: needs root to make network namespaces" >&2; exit 1; }
for tool in ip tc mpirun; do
    command -v $tool >/dev/null || { echo "two_hosts.sh: needs $tool (iproute2, openmpi-bin)" >&2; exit 1; }
done
source bench/bertsent_bin.sh   # sets BIN
model=${model:-${BERTSENT_HOME:-$HOME/.cache/bertsent}/models/all-MiniLM-L6-v2}

work=$(mktemp -d -t bertsent-two-hosts.XXXXXX)
a=bsh$$a b=bsh$$b
address_a=10.88.0.1 address_b=10.88.0.2
teardown() {
    ip netns del "$a" 2>/dev/null || true
    ip netns del "$b" 2>/dev/null || true
}
trap teardown EXIT
ip netns add "$a"
ip netns add "$b"
ip link add "v$a" type veth peer name "v$b"
ip link set "v$a" netns "$a"
ip link set "v$b" netns "$b"
ip -n "$a" addr add "$address_a/24" dev "v$a"
ip -n "$b" addr add "$address_b/24" dev "v$b"
for ns in "$a" "$b"; do
    ip -n "$ns" link set lo up
    ip -n "$ns" link set "v$ns" up
done

# mpirun's rsh agent: a "host" is an address; the command runs in the namespace that holds it.
cat >"$work/agent.sh" <<EOF
#!/bin/sh
host=\$1; shift
case \$host in $address_a) ns=$a ;; $address_b) ns=$b ;; *) echo "no namespace for \$host" >&2; exit 1 ;; esac
exec ip netns exec "\$ns" /bin/sh -c "\$*"
EOF
chmod +x "$work/agent.sh"
"$BIN" generate --count 400 --seed 5 --output "$work/reviews.csv" >/dev/null

run() {   # $1: rate
    for ns in "$a" "$b"; do
        if [[ $1 == unlimited ]]; then
            tc -n "$ns" qdisc del dev "v$ns" root 2>/dev/null || true
        else
            tc -n "$ns" qdisc replace dev "v$ns" root tbf rate "$1" burst 4mb latency 200ms
        fi
    done
    local before after
    before=$(ip netns exec "$b" cat "/sys/class/net/v$b/statistics/tx_bytes")
    ip netns exec "$a" mpirun --allow-run-as-root --host "$address_a,$address_b" -np 2 \
        --mca plm_rsh_agent "$work/agent.sh" --mca btl tcp,self \
        --mca btl_tcp_if_include 10.88.0.0/24 --mca oob_tcp_if_include 10.88.0.0/24 \
        "$BIN" train "$work/reviews.csv" --model "$model" --max-length 64 --batch-size 4 --max-steps "$steps" \
        --eval-strategy no --log-format jsonl --output-dir "$work/run-$1" >"$work/train-$1.log" 2>&1 \
        || { cat "$work/train-$1.log" >&2; exit 1; }
    after=$(ip netns exec "$b" cat "/sys/class/net/v$b/statistics/tx_bytes")
    echo "$1 $((after - before))" >>"$work/bytes.txt"
    echo "two_hosts.sh: $1 done" >&2
}
for rate in ${rates//,/ }; do run "$rate"; done

python3 - "$work" "$steps" "$(lscpu | sed -n 's/^Model name: *//p')" <<'EOF'
import json, os, re, statistics, sys, time
work, steps, cpu = sys.argv[1], int(sys.argv[2]), sys.argv[3]
ranks = 2
def rate_bytes_per_s(rate):
    units = {"kbit": 1e3, "mbit": 1e6, "gbit": 1e9}
    number, unit = re.fullmatch(r"([0-9.]+)(kbit|mbit|gbit)", rate).groups()
    return float(number) * units[unit] / 8
rows = []
for line in open(os.path.join(work, "bytes.txt")):
    rate, carried = line.split()
    log = open(os.path.join(work, f"train-{rate}.log")).read()
    parameters = int(re.search(r"training ([0-9,]+) parameters", log).group(1).replace(",", ""))
    times = [json.loads(l)["allreduce_seconds"] for l in log.splitlines() if l.startswith('{"') and '"train"' in l]
    # 4-byte gradients; a ring all-reduce sends 2(N-1)/N of them from each rank.
    sent = 2 * (ranks - 1) / ranks * 4 * parameters
    measured = statistics.median(times[1:])
    row = {"rate": rate, "parameters": parameters, "steps": len(times), "allreduce_s_median": round(measured, 4),
           "allreduce_s_per_step": [round(t, 4) for t in times], "bytes_per_step_model": int(sent),
           "bytes_per_step_carried": int(carried) // len(times)}
    if rate != "unlimited":
        row["allreduce_s_model"] = round(sent / rate_bytes_per_s(rate), 4)
        row["measured_over_model"] = round(measured / row["allreduce_s_model"], 3)
    rows.append(row)
result = {"cpu": cpu, "ranks": ranks, "link": "veth pair between two network namespaces, tc tbf on both ends",
          "cost_model": "ring all-reduce: 2(N-1)/N x 4 x parameters / rate (latency term negligible at these sizes)",
          "runs": rows}
path = os.path.join("bench", "results", time.strftime("two_hosts-%Y%m%d-%H%M%S.json"))
json.dump(result, open(path, "w"), indent=2)
for r in rows:
    model = f", model {r['allreduce_s_model']} s ({r['measured_over_model']}x)" if "allreduce_s_model" in r else ""
    print(f"{r['rate']:>9}: all-reduce {r['allreduce_s_median']} s per step{model}; "
          f"{r['bytes_per_step_carried']:,} bytes carried per step, model {r['bytes_per_step_model']:,}")
print(f"→ {path}")
EOF
