"""Driver of bench/serve_load.sh: starts `bertsent serve` and the Python pipeline server (bench/py_serve.py)
on the same model, then loads each with wrk at every concurrency, alternating servers, and prints
requests/s, p50/p99 latency, non-2xx responses and RSS, with the ratios. Writes
bench/results/serve-<timestamp>.json."""
import argparse
import csv
import datetime
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

from run import ROOT, HERE, busy_processes, cpu_model, uptime


def rss_megabytes(pid):
    """(current, peak) resident set size of a process, from /proc."""
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def wait_healthy(port, process, timeout=300):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            sys.exit(f"serve_load: the server on port {port} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit(f"serve_load: the server on port {port} did not become healthy in {timeout} s")


def run_wrk(port, connections, duration, bodies, timeout):
    """One wrk run with one client thread (the second core is the servers'); its JSON summary."""
    env = dict(os.environ, WRK_BODIES=bodies)
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", f"--timeout={timeout}s", "-s",
         os.path.join(HERE, "wrk_reviews.lua"), f"http://127.0.0.1:{port}"],
        capture_output=True, text=True, env=env, check=True).stdout
    line = [l for l in out.splitlines() if l.startswith("{")][-1]
    result = json.loads(line)
    result["requestsPerSecond"] = result["requests"] / (result["durationMicroseconds"] / 1e6)
    return result


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True)
    p.add_argument("--python", default=sys.executable)
    p.add_argument("--imdb", required=True, help="IMDB CSV (review,sentiment)")
    p.add_argument("--model", required=True)
    p.add_argument("--duration", type=int, default=30, help="seconds per wrk run (30)")
    p.add_argument("--concurrency", default="1,8,64")
    p.add_argument("--reviews", type=int, default=2000, help="distinct review bodies posted (2000)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--max-length", type=int, default=256)
    p.add_argument("--precision", choices=["fp32", "bf16", "int8"], default="fp32", help="bertsent's linear layers (fp32)")
    args = p.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    concurrencies = [int(c) for c in args.concurrency.split(",")]

    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env.pop("OPENBLAS_CORETYPE", None)  # as bench/run.sh: unset for both sides
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env.pop(var, None)

    # Both servers get the same texts, cleaned once by bertsent's cleaner (bertsent cleans again: its cost).
    work = tempfile.mkdtemp(prefix="bertsent-serve-load-")
    cleaned = os.path.join(work, "reviews.csv")
    subprocess.run([args.bin, "bench", "clean", "--input", args.imdb, "--count", str(args.reviews), "--output", cleaned],
                   check=True, env=env, stdout=subprocess.DEVNULL)
    bodies = os.path.join(work, "bodies.jsonl")
    with open(cleaned, newline="") as source, open(bodies, "w") as sink:
        for row in csv.DictReader(source):
            sink.write(json.dumps({"inputs": row["review"], "truncate": True}) + "\n")

    servers = {
        "bertsent": ([args.bin, "serve", "--model", args.model, "--port", "18181", "--max-length", str(args.max_length),
                      "--precision", args.precision, "--log-level", "warning"], 18181),
        "python": ([args.python, os.path.join(HERE, "py_serve.py"), "--model", args.model, "--port", "18182",
                    "--threads", str(args.threads), "--max-length", str(args.max_length)], 18182),
    }
    meta = {"startedAt": datetime.datetime.now().isoformat(timespec="seconds"), "cpu": cpu_model(), "cores": os.cpu_count(),
            "threads": args.threads, "loadAverageBefore": uptime(), "busyProcessesBefore": busy_processes(),
            "model": args.model, "durationSeconds": args.duration, "reviews": args.reviews, "maxLength": args.max_length,
            "precision": args.precision,
            "openblasCoretype": env.get("OPENBLAS_CORETYPE", "unset"),
            "command": "bench/serve_load.sh " + " ".join(sys.argv[1:])}
    meta["gitCommit"] = subprocess.run(["git", "-C", ROOT, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    print(f"serve_load: {meta['cpu']}, {meta['cores']} cores, load {meta['loadAverageBefore']}, {args.duration} s per run")

    processes, results = {}, {name: {"runs": {}} for name in servers}
    try:
        for name, (argv, port) in servers.items():
            processes[name] = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wait_healthy(port, processes[name])
            run_wrk(port, 4, 5, bodies, 60)  # warm-up: first batches, allocator, torch's lazy init
            results[name]["rssBeforeMegabytes"] = rss_megabytes(processes[name].pid)[0]
            print(f"serve_load: {name} ready, RSS {results[name]['rssBeforeMegabytes']:.0f} MB after warm-up")
        for connections in concurrencies:
            # Alternate which server goes first, so drift in the machine's load does not favour one.
            order = list(servers) if connections % 2 == 0 else list(reversed(list(servers)))
            for name in order:
                run = run_wrk(servers[name][1], connections, args.duration, bodies, 60)
                run["rssMegabytes"], run["peakRssMegabytes"] = rss_megabytes(processes[name].pid)
                results[name]["runs"][connections] = run
                print(f"serve_load: {name:8s} c={connections:<3d} {run['requestsPerSecond']:7.1f} req/s  "
                      f"p50 {run['p50Microseconds'] / 1000:7.1f} ms  p99 {run['p99Microseconds'] / 1000:7.1f} ms  "
                      f"non-2xx {run['non2xx']}  errors {run['connectErrors'] + run['readErrors'] + run['writeErrors'] + run['timeouts']}")
        for name in servers:
            results[name]["rssAfterMegabytes"], results[name]["peakRssMegabytes"] = rss_megabytes(processes[name].pid)
    finally:
        for process in processes.values():
            process.send_signal(signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()

    meta["loadAverageAfter"] = uptime()
    print()
    print("| concurrency | bertsent req/s | Python req/s | ratio | bertsent p50 / p99 | Python p50 / p99 | p99 ratio | non-2xx (ours / theirs) |")
    print("|---|---|---|---|---|---|---|---|")
    for c in concurrencies:
        ours, theirs = results["bertsent"]["runs"][c], results["python"]["runs"][c]
        print(f"| {c} | {ours['requestsPerSecond']:.1f} | {theirs['requestsPerSecond']:.1f} | "
              f"{ours['requestsPerSecond'] / theirs['requestsPerSecond']:.2f}× | "
              f"{ours['p50Microseconds'] / 1000:.0f} / {ours['p99Microseconds'] / 1000:.0f} ms | "
              f"{theirs['p50Microseconds'] / 1000:.0f} / {theirs['p99Microseconds'] / 1000:.0f} ms | "
              f"{ours['p99Microseconds'] / theirs['p99Microseconds']:.2f}× | {ours['non2xx']} / {theirs['non2xx']} |")
    for name in servers:
        r = results[name]
        print(f"| RSS {name} | before {r['rssBeforeMegabytes']:.0f} MB | after {r['rssAfterMegabytes']:.0f} MB | "
              f"peak {r['peakRssMegabytes']:.0f} MB |")
    print(f"\nload average before {meta['loadAverageBefore']}, after {meta['loadAverageAfter']}")

    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    path = os.path.join(HERE, "results", f"serve-{datetime.datetime.now().strftime('%Y%m%d-%H%M%S')}.json")
    with open(path, "w") as f:
        json.dump({"meta": meta, "results": results}, f, indent=1)
    print(f"serve_load: wrote {path}")


if __name__ == "__main__":
    main()
