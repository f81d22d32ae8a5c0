"""Driver of bench/soak.sh: runs `bertsent serve` under a mix of good and bad clients for a while,
samples the server's RSS, open descriptors and latency every 10 s, writes bench/results/soak-<time>.json
and .svg, and checks that the server held. Python's standard library only.

The mix, all at once against one server:
  valid       64 keep-alive clients posting reviews (5-60 words; 1 in 10 a batch of 2-4) back to back:
              the latencies measured
  invalid     2 clients sending bad JSON, wrong types, empty inputs, unknown routes and methods
  oversized   1 client posting 3 MB bodies, with Content-Length and chunked (413)
  slow        8 clients sending a request a byte a second, half the head, half the body (408)
  disconnect  2 clients hanging up before the answer, mid-answer, or mid-request
  burst       every 30 s, 48 new connections at once, each posting 32 short inputs: beyond the queue (429)
              and the connection limit (503), which the server is given as 100 for that
"""
import argparse
import asyncio
import datetime
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time

from run import ROOT, HERE, busy_processes, cpu_model, uptime

VALID_CLIENTS = 64
INVALID_CLIENTS = 2
SLOW_CLIENTS = 8
DISCONNECT_CLIENTS = 2
BURST_CONNECTIONS = 48
BURST_INPUTS = 32
BURST_EVERY = 30.0
MAX_CONNECTIONS = 100
SAMPLE_EVERY = 10.0
OVERSIZED_BYTES = 3 * 1024 * 1024
# The server's default --request-read-timeout; slow clients must be cut off by it (plus a margin).
READ_TIMEOUT = 20.0

WORDS = ("the film was a wonderful moving story with brilliant acting and a clever script though "
         "some scenes felt slow dull boring predictable and the ending was awful terrible weak yet "
         "overall I loved it hated it enjoyed every minute would watch again never recommend").split()

INVALID = [  # (method, path, body, expected status)
    ("POST", "/predict", b'{"inputs": "unterminated', 422),
    ("POST", "/predict", b"not json at all", 422),
    ("POST", "/predict", b'{"inputs": 5}', 422),
    ("POST", "/predict", b'{"inputs": [["a", "b", "c"]]}', 422),
    ("POST", "/predict", b'{"inputs": []}', 400),
    ("POST", "/predict", b'{"inputs": ""}', 400),
    ("POST", "/predict", json.dumps({"inputs": [["x"]] * 33}).encode(), 422),
    ("GET", "/nope", b"", 404),
    ("GET", "/predict", b"", 405),
    ("DELETE", "/health", b"", 405),
]


def review(rng, shortest=5, longest=60):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(shortest, longest)))


def request_bytes(method, path, body=b"", extra=""):
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}"
    if body or method == "POST":
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


async def read_response(reader):
    """(status, headers, body) of one response; ConnectionError if the server closed first."""
    line = await reader.readline()
    if not line:
        raise ConnectionError("closed before answering")
    status = int(line.split(b" ", 2)[1])
    headers = {}
    while True:
        field = await reader.readline()
        if field in (b"\r\n", b"\n", b""):
            break
        name, _, value = field.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        body = b""
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                break
            body += chunk[:-2]
    else:
        body = await reader.read()
    return status, headers, body


def error_type(body):
    try:
        return json.loads(body).get("error_type")
    except (ValueError, AttributeError):
        return None


def admission(status, body):
    """ok, overloaded (429: the queue is full), refused (503 Overloaded: the connection limit) or failed."""
    if status == 200:
        return "ok"
    if status == 429:
        return "overloaded"
    if status == 503 and error_type(body) == "Overloaded":
        return "refused"
    return "failed"


class Soak:
    def __init__(self, port, pid, args):
        self.port, self.pid, self.args = port, pid, args
        self.start = time.monotonic()
        self.stop = asyncio.Event()
        self.counts = {}  # kind -> outcome -> count
        self.latencies = []  # (seconds since start, latency) of valid requests answered 200
        self.slow_cutoffs = []  # seconds from connecting to being cut off
        self.failures = []  # first few unexpected answers, for the report
        self.samples = []

    def count(self, kind, outcome, detail=None):
        by_kind = self.counts.setdefault(kind, {})
        by_kind[outcome] = by_kind.get(outcome, 0) + 1
        if outcome in ("failed", "error", "unexpected") and len(self.failures) < 20:
            self.failures.append({"kind": kind, "outcome": outcome, "detail": detail,
                                  "t": round(time.monotonic() - self.start, 1)})

    async def connect(self):
        return await asyncio.open_connection("127.0.0.1", self.port)

    async def valid_client(self, seed):
        rng = random.Random(seed)
        connection = None
        while not self.stop.is_set():
            inputs = review(rng) if rng.random() < 0.9 else [[review(rng)] for _ in range(rng.randint(2, 4))]
            message = request_bytes("POST", "/predict", json.dumps({"inputs": inputs, "truncate": True}).encode())
            sent = time.monotonic()
            try:
                if connection is None:
                    connection = await self.connect()
                reader, writer = connection
                writer.write(message)
                await writer.drain()
                status, headers, body = await asyncio.wait_for(read_response(reader), 120)
            except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError) as error:
                if connection:
                    connection[1].close()
                connection = None
                if not self.stop.is_set():
                    self.count("valid", "error", repr(error))
                continue
            outcome = admission(status, body)
            self.count("valid", outcome, f"{status} {body[:200]!r}")
            if outcome == "ok":
                now = time.monotonic()
                self.latencies.append((now - self.start, now - sent))
            if headers.get("connection", "").lower() == "close":
                connection[1].close()
                connection = None
            if outcome in ("overloaded", "refused"):
                await asyncio.sleep(0.2)  # as a client would back off
        if connection:
            connection[1].close()

    async def invalid_client(self, seed):
        rng = random.Random(seed)
        connection = None
        while not self.stop.is_set():
            method, path, body, expected = rng.choice(INVALID)
            try:
                if connection is None:
                    connection = await self.connect()
                reader, writer = connection
                writer.write(request_bytes(method, path, body))
                await writer.drain()
                status, headers, reply = await asyncio.wait_for(read_response(reader), 60)
            except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError) as error:
                if connection:
                    connection[1].close()
                connection = None
                if not self.stop.is_set():
                    self.count("invalid", "error", repr(error))
                continue
            refused = status == 503 and error_type(reply) == "Overloaded"
            outcome = "ok" if status == expected else "refused" if refused else "unexpected"
            self.count("invalid", outcome, f"{method} {path} {body[:60]!r} -> {status} {reply[:200]!r}")
            if headers.get("connection", "").lower() == "close":
                connection[1].close()
                connection = None
            await asyncio.sleep(0.2)
        if connection:
            connection[1].close()

    async def oversized_client(self):
        payload = json.dumps({"inputs": "x" * OVERSIZED_BYTES}).encode()
        chunked = True
        while not self.stop.is_set():
            chunked = not chunked
            kind = "oversized-chunked" if chunked else "oversized"
            writer = None
            try:
                reader, writer = await self.connect()
                if chunked:
                    writer.write(b"POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                 b"Transfer-Encoding: chunked\r\n\r\n")
                    for at in range(0, len(payload), 65536):
                        piece = payload[at:at + 65536]
                        writer.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                        await writer.drain()
                    writer.write(b"0\r\n\r\n")
                else:
                    writer.write(request_bytes("POST", "/predict", payload))
                await writer.drain()
                status, _, reply = await asyncio.wait_for(read_response(reader), 60)
                refused = status == 503 and error_type(reply) == "Overloaded"
                self.count(kind, "ok" if status == 413 else "refused" if refused else "unexpected",
                           f"{status} {reply[:200]!r}")
            except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError) as error:
                # The server may answer 413 and close while the rest of the body is still being sent.
                self.count(kind, "closed", repr(error))
            finally:
                if writer:
                    writer.close()
            await asyncio.sleep(2)

    async def slow_client(self, index):
        """A byte a second: odd clients trickle the head, even ones send the head and trickle the body."""
        head = b"POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 300\r\n\r\n"
        body = json.dumps({"inputs": "a slow review " * 20})[:300].ljust(300).encode()
        stopping = asyncio.ensure_future(self.stop.wait())
        while not self.stop.is_set():
            kind = "slow-head" if index % 2 else "slow-body"
            connected = time.monotonic()
            writer = None
            try:
                reader, writer = await self.connect()
                answer = asyncio.ensure_future(read_response(reader))
                trickle = head + body
                if kind == "slow-body":
                    writer.write(head)
                    trickle = body
                for byte in trickle:
                    await asyncio.wait([answer, stopping], timeout=1.0, return_when=asyncio.FIRST_COMPLETED)
                    if answer.done() or self.stop.is_set():
                        break
                    writer.write(bytes([byte]))
                if self.stop.is_set() and not answer.done():
                    answer.cancel()
                    break
                status, _, reply = await asyncio.wait_for(answer, 60)
                elapsed = time.monotonic() - connected
                if status == 408:
                    self.count(kind, "cut-off")
                    self.slow_cutoffs.append(elapsed)
                elif status == 503 and error_type(reply) == "Overloaded":
                    self.count(kind, "refused")
                else:
                    self.count(kind, "unexpected", f"{status} after {elapsed:.1f} s {reply[:200]!r}")
            except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError) as error:
                if not self.stop.is_set():
                    self.count(kind, "closed", repr(error))
                    self.slow_cutoffs.append(time.monotonic() - connected)
            finally:
                if writer:
                    writer.close()

    async def disconnect_client(self, seed):
        """Hangs up before the answer, after its first bytes, or halfway through sending the request."""
        rng = random.Random(seed)
        modes = ["before-answer", "mid-answer", "mid-request"]
        turn = 0
        while not self.stop.is_set():
            mode = modes[turn % len(modes)]
            turn += 1
            message = request_bytes("POST", "/predict", json.dumps(
                {"inputs": [[review(rng)] for _ in range(16)], "truncate": True}).encode())
            writer = None
            try:
                reader, writer = await self.connect()
                if mode == "mid-request":
                    writer.write(message[:len(message) // 2])
                else:
                    writer.write(message)
                await writer.drain()
                if mode == "mid-answer":
                    await asyncio.wait_for(reader.read(16), 60)
                self.count("disconnect", mode)
            except (OSError, asyncio.TimeoutError) as error:
                self.count("disconnect", "error", repr(error))
            finally:
                if writer:
                    writer.transport.abort()  # no lingering close: the client is gone
            await asyncio.sleep(0.25)

    async def burst_request(self, rng):
        message = request_bytes("POST", "/predict", json.dumps(
            {"inputs": [[review(rng, 3, 15)] for _ in range(BURST_INPUTS)], "truncate": True}).encode())
        writer = None
        try:
            reader, writer = await self.connect()
            writer.write(message)
            await writer.drain()
            status, _, body = await asyncio.wait_for(read_response(reader), 120)
            self.count("burst", admission(status, body), f"{status} {body[:200]!r}")
        except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError) as error:
            self.count("burst", "error", repr(error))
        finally:
            if writer:
                writer.close()

    async def bursts(self, seed):
        """A burst at 15 s, 45 s, 75 s, ...: every minute gets two, so the minutes stay comparable."""
        rng = random.Random(seed)
        due = BURST_EVERY / 2
        while True:
            try:
                await asyncio.wait_for(self.stop.wait(), due - (time.monotonic() - self.start))
                return
            except asyncio.TimeoutError:
                pass
            await asyncio.gather(*(self.burst_request(rng) for _ in range(BURST_CONNECTIONS)))
            due += BURST_EVERY

    def sample(self):
        t = time.monotonic() - self.start
        window = sorted(latency for at, latency in self.latencies if at > t - SAMPLE_EVERY)
        point = {"t": round(t, 1), "rss_mb": round(rss_megabytes(self.pid), 1), "fds": open_fds(self.pid),
                 "requests": len(window), "p50_ms": None, "p99_ms": None}
        if window:
            point["p50_ms"] = round(percentile(window, 50) * 1000, 1)
            point["p99_ms"] = round(percentile(window, 99) * 1000, 1)
        self.samples.append(point)
        print(f"soak: {t:6.0f} s  RSS {point['rss_mb']:7.1f} MB  fds {point['fds']:4d}  "
              f"{len(window) / SAMPLE_EVERY:6.1f} req/s  p50 {point['p50_ms']} ms  p99 {point['p99_ms']} ms")

    async def sampler(self):
        due = SAMPLE_EVERY
        while not self.stop.is_set():
            try:
                await asyncio.wait_for(self.stop.wait(), due - (time.monotonic() - self.start))
            except asyncio.TimeoutError:
                self.sample()
                due += SAMPLE_EVERY

    async def run(self, duration):
        self.sample()  # at rest, where the plot starts
        tasks = [asyncio.ensure_future(t) for t in (
            [self.valid_client(i) for i in range(VALID_CLIENTS)]
            + [self.invalid_client(1000 + i) for i in range(INVALID_CLIENTS)]
            + [self.oversized_client()]
            + [self.slow_client(i) for i in range(SLOW_CLIENTS)]
            + [self.disconnect_client(2000 + i) for i in range(DISCONNECT_CLIENTS)]
            + [self.bursts(3000), self.sampler()])]
        await asyncio.sleep(duration)
        self.stop.set()
        # Clients finish the request in hand (slow ones abandon theirs), then close their connections.
        done, pending = await asyncio.wait(tasks, timeout=150)
        for task in pending:
            task.cancel()
        for task in done:
            if task.exception():
                raise task.exception()
        return len(pending)


def rss_megabytes(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def open_fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def percentile(ordered, q):
    return ordered[min(len(ordered) - 1, int(len(ordered) * q / 100))]


def http_get(port, path):
    """A blocking GET on a fresh connection: (status, body)."""
    import http.client
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        reply = connection.getresponse()
        return reply.status, reply.read()
    finally:
        connection.close()


def start_server(args, log):
    command = [args.bin, "serve", "--port", "0", "--max-connections", str(MAX_CONNECTIONS),
               "--log-level", "warning"] + (["--model", args.model] if args.model else [])
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, text=True)
    line = server.stdout.readline()
    if "http://" not in line:
        sys.exit(f"soak: the server did not start: {line!r}")
    port = int(line.rsplit(":", 1)[1])
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"soak: the server exited with {server.returncode}")
        try:
            if http_get(port, "/health")[0] == 200:
                return server, port, command
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit("soak: the server did not become healthy in 300 s")


def wait_for_fds(pid, baseline, patience):
    """Polls the descriptor count until it is back to `baseline` (a 2-descriptor slack) or `patience` passes."""
    deadline = time.monotonic() + patience
    while True:
        fds = open_fds(pid)
        if fds <= baseline + 2 or time.monotonic() > deadline:
            return fds
        time.sleep(1)


def minute_stats(latencies, samples, since, duration):
    """Per whole minute from `since`: p99 of the valid requests, median RSS and descriptors."""
    minutes = []
    start = since
    while start + 60 <= duration + 1e-6:
        window = sorted(latency for at, latency in latencies if start <= at < start + 60)
        inside = [s for s in samples if start < s["t"] <= start + 60]
        minutes.append({
            "from_s": start, "requests": len(window),
            "p50_ms": round(percentile(window, 50) * 1000, 1) if window else None,
            "p99_ms": round(percentile(window, 99) * 1000, 1) if window else None,
            "rss_mb": statistics.median(s["rss_mb"] for s in inside) if inside else None,
            "fds": statistics.median(s["fds"] for s in inside) if inside else None})
        start += 60
    return minutes


def check(result, short):
    """The criteria, as (name, passed, detail)."""
    counts, checks = result["counts"], []
    failed_valid = sum(counts.get(kind, {}).get(outcome, 0) for kind in ("valid", "burst")
                       for outcome in ("failed", "error"))
    checks.append(("no 5xx or dropped answer for admitted valid requests", failed_valid == 0,
                   f"{failed_valid} failed"))
    wrong = sum(by_kind.get("unexpected", 0) for by_kind in counts.values())
    checks.append(("bad, oversized and slow requests get 4xx (or are refused)", wrong == 0, f"{wrong} unexpected"))
    # Both kinds: an idle timeout alone would close a trickled head but never a trickled body.
    cut = {kind: sum(counts.get(kind, {}).get(outcome, 0) for outcome in ("cut-off", "closed"))
           for kind in ("slow-head", "slow-body")}
    checks.append(("slow clients are cut off, head or body", min(cut.values()) > 0,
                   ", ".join(f"{kind} {n}" for kind, n in cut.items())))
    refused = counts.get("burst", {}).get("refused", 0)
    checks.append((f"connections beyond the limit ({MAX_CONNECTIONS}) are refused at once", refused > 0,
                   f"{refused} burst connections refused"))
    served = counts.get("valid", {}).get("ok", 0)
    checks.append(("valid requests are served", served > 0, f"{served} answered 200"))
    fds = result["fds"]
    checks.append(("descriptors back to baseline after the clients stop", fds["after"] <= fds["baseline"] + 2,
                   f"baseline {fds['baseline']}, after {fds['after']}"))
    checks.append(("the server stops cleanly on SIGTERM", result["server_exit"] == 0, f"exit {result['server_exit']}"))
    if short:
        return checks
    worst = max(result["slow_cutoff_s"] or [0])
    checks.append((f"slow clients cut off within the read timeout ({READ_TIMEOUT:.0f} s) + 5 s",
                   worst <= READ_TIMEOUT + 5, f"slowest {worst:.1f} s"))
    minutes = [m for m in result["minutes"] if m["p99_ms"] is not None]
    if len(minutes) < 2:
        checks.append(("at least two minutes after the warm-up", False, f"{len(minutes)}"))
        return checks
    for name, key in (("RSS", "rss_mb"), ("descriptors", "fds")):
        # Two minutes' medians at each end: single samples catch bursts and slow clients mid-way.
        first = statistics.median(m[key] for m in minutes[:2])
        last = statistics.median(m[key] for m in minutes[-2:])
        growth = (last - first) / first
        checks.append((f"{name} flat after the warm-up (growth < 10%)", growth < 0.10,
                       f"{first:.1f} -> {last:.1f} ({growth * 100:+.1f}%)"))
    typical = statistics.median(m["p99_ms"] for m in minutes)
    worst_minute = max(minutes, key=lambda m: m["p99_ms"])
    checks.append(("every minute's p99 <= 1.5x the median minute's", worst_minute["p99_ms"] <= 1.5 * typical,
                   f"median {typical:.0f} ms, worst {worst_minute['p99_ms']:.0f} ms "
                   f"(minute from {worst_minute['from_s']:.0f} s)"))
    return checks


def plot(result, path):
    """RSS, descriptors and p50/p99 against time, one panel each, as a self-contained SVG."""
    samples, warmup = result["samples"], result["warmup_s"]
    width, panel, left, right, top = 760, 150, 70, 20, 30
    height = top + 3 * (panel + 40) + 20
    span = max(result["duration_s"], samples[-1]["t"] if samples else 1)
    px = lambda t: left + t / span * (width - left - right)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             'font-family="sans-serif" font-size="11">',
             f'<rect width="{width}" height="{height}" fill="white"/>',
             f'<text x="{left}" y="18" font-size="13">bertsent serve soak, {result["started"]}: '
             f'{result["duration_s"] / 60:.0f} min, concurrency {VALID_CLIENTS} + bad clients</text>']
    series = [("RSS (MB)", [("rss_mb", "#1f77b4")]), ("open descriptors", [("fds", "#2ca02c")]),
              ("latency of valid requests (ms)", [("p50_ms", "#ff7f0e"), ("p99_ms", "#d62728")])]
    for row, (title, lines) in enumerate(series):
        y_top = top + row * (panel + 40) + 10
        y_bottom = y_top + panel
        values = [s[key] for s in samples for key, _ in lines if s[key] is not None]
        high = max(values or [1]) * 1.1 or 1
        py = lambda v: y_bottom - v / high * panel
        if 0 < warmup < span:
            parts.append(f'<rect x="{left}" y="{y_top}" width="{px(warmup) - left:.1f}" height="{panel}" '
                         'fill="#f2f2f2"/>')
        parts.append(f'<line x1="{left}" y1="{y_bottom}" x2="{width - right}" y2="{y_bottom}" stroke="#333"/>')
        parts.append(f'<line x1="{left}" y1="{y_top}" x2="{left}" y2="{y_bottom}" stroke="#333"/>')
        for fraction in (0.5, 1.0):
            v = high / 1.1 * fraction
            parts.append(f'<text x="{left - 6}" y="{py(v) + 4:.1f}" text-anchor="end">{v:.0f}</text>')
            parts.append(f'<line x1="{left}" y1="{py(v):.1f}" x2="{width - right}" y2="{py(v):.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left + 6}" y="{y_top - 2}">{title}</text>')
        legend_x = width - right - 120
        for key, colour in lines:
            points = [(s["t"], s[key]) for s in samples if s[key] is not None]
            if points:
                d = " ".join(f"{'M' if i == 0 else 'L'}{px(t):.1f},{py(v):.1f}" for i, (t, v) in enumerate(points))
                parts.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="1.5"/>')
            if len(lines) > 1:
                parts.append(f'<text x="{legend_x}" y="{y_top - 2}" fill="{colour}">{key.split("_")[0]}</text>')
                legend_x += 40
        step = 60 if span <= 900 else 300
        for t in range(0, int(span) + 1, step):
            parts.append(f'<text x="{px(t):.1f}" y="{y_bottom + 14}" text-anchor="middle">{t // 60}</text>')
    parts.append(f'<text x="{(left + width) / 2}" y="{height - 6}" text-anchor="middle">minutes '
                 '(grey: warm-up, not judged)</text>')
    parts.append("</svg>\n")
    with open(path, "w") as f:
        f.write("\n".join(parts))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin", required=True, help="the bertsent executable")
    p.add_argument("--model", help="model folder (default: bertsent's default model)")
    p.add_argument("--duration", type=float, default=1800, help="seconds of load (1800)")
    p.add_argument("--warmup", type=float, default=300, help="seconds not judged for flatness and latency (300)")
    p.add_argument("--short", action="store_true", help="60 s, counts only (no timing criteria): for CI")
    args = p.parse_args()
    if args.short:
        args.duration = 60
    sys.stdout.reconfigure(line_buffering=True)

    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    base = os.path.join(HERE, "results", f"soak-{stamp}")
    log = tempfile.NamedTemporaryFile(prefix="bertsent-soak-", suffix=".log", delete=False)
    load_before = uptime()
    server, port, command = start_server(args, log)
    time.sleep(1)  # the health checks' connections close
    baseline = open_fds(server.pid)
    rss_start = rss_megabytes(server.pid)
    print(f"soak: {' '.join(command)} on port {port}, pid {server.pid}; {args.duration:.0f} s"
          f"{' (short: counts only)' if args.short else f', warm-up {args.warmup:.0f} s'}; "
          f"baseline {baseline} descriptors, RSS {rss_start:.1f} MB")

    soak = Soak(port, server.pid, args)
    try:
        stuck = asyncio.run(soak.run(args.duration))
        rss_end = rss_megabytes(server.pid)
        # Slow clients' connections close at the server's read timeout at the latest, plus its linger.
        after = wait_for_fds(server.pid, baseline, READ_TIMEOUT + 15)
        metrics = http_get(port, "/metrics")[1].decode()
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server_exit = server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server_exit = "killed after 60 s"
    server_metrics = {line.split()[0]: float(line.split()[1]) for line in metrics.splitlines()
                      if line.startswith(("bertsent_refused_connections_total", "bertsent_request_read_timeouts_total",
                                          "bertsent_open_connections", "bertsent_requests_total"))}

    warmup = 0 if args.short else args.warmup
    result = {
        "started": stamp, "mode": "short" if args.short else "full", "duration_s": args.duration,
        "warmup_s": warmup, "command": command,
        "mix": {"valid": VALID_CLIENTS, "invalid": INVALID_CLIENTS, "oversized": 1, "slow": SLOW_CLIENTS,
                "disconnect": DISCONNECT_CLIENTS,
                "burst": f"{BURST_CONNECTIONS} connections x {BURST_INPUTS} inputs every {BURST_EVERY:.0f} s"},
        "counts": soak.counts, "failures": soak.failures, "clients_stuck_at_end": stuck,
        "slow_cutoff_s": [round(s, 1) for s in soak.slow_cutoffs],
        "rss_mb": {"start": round(rss_start, 1), "end": round(rss_end, 1)},
        "fds": {"baseline": baseline, "after": after,
                "max_under_load": max((s["fds"] for s in soak.samples), default=None)},
        "server_metrics": server_metrics, "server_exit": server_exit, "server_log": log.name,
        "samples": soak.samples,
        "minutes": minute_stats(soak.latencies, soak.samples, warmup, args.duration),
        "machine": {"cpu": cpu_model(), "cores": os.cpu_count(), "load_before": load_before,
                    "load_after": uptime(), "busy_processes": busy_processes()},
    }
    checks = check(result, args.short)
    result["checks"] = [{"criterion": name, "passed": ok, "detail": detail} for name, ok, detail in checks]
    with open(base + ".json", "w") as f:
        json.dump(result, f, indent=1)
    if soak.samples:
        plot(result, base + ".svg")

    for kind, outcomes in sorted(soak.counts.items()):
        print(f"soak: {kind:18s} " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
    print(f"soak: RSS {rss_start:.1f} -> {rss_end:.1f} MB; descriptors {baseline} at rest, "
          f"{result['fds']['max_under_load']} at most under load, {after} after; server {server_metrics}")
    for failure in soak.failures[:5]:
        print(f"soak: unexpected: {failure}")
    for name, ok, detail in checks:
        print(f"soak: {'ok' if ok else 'FAILED'}: {name}: {detail}")
    print(f"soak: wrote {os.path.relpath(base, ROOT)}.json{' and .svg' if soak.samples else ''}")
    sys.exit(0 if all(ok for _, ok, _ in checks) else 1)


if __name__ == "__main__":
    main()
