#!/usr/bin/env python3
"""A tiny imitation of the Hugging Face Hub's resolve/ protocol, for bertsent's Hub tests.

Serves Tests/Fixtures/model/tiny-legacy as repo `org/tiny` (and `org/gated`, which needs
`Authorization: Bearer <token>`; `org/old-tiny` answers with a relative redirect to `org/tiny`, as the Hub
does for renamed repos; `org/tiny-sharded` has the same weights split into two shards named by
model.safetensors.index.json). Headers as the Hub: X-Repo-Commit, ETag (git sha1) or, for LFS files
(*.safetensors), a 302 to another host (http://localhost:<port>/cdn/<sha256>, which refuses requests
carrying Authorization) with X-Linked-Etag and X-Linked-Size. Unknown repos get a 404 without
X-Repo-Commit, missing files a 404 with it. The CDN honours Range. GET /_log lists the requests so far,
one JSON object a line.

Usage: fake_hub.py [--token T] [--commit C] [--corrupt] [--cut-after N] [--wrong-size] [--stall head|cdn]
  --commit C      the commit every revision resolves to (default COMMIT below)
  --corrupt       flips one byte of every LFS body
  --cut-after N   the first CDN GET without Range sends N bytes of the body, then closes the connection
  --wrong-size    X-Linked-Size announces one byte more than the CDN sends
  --stall head    metadata requests (HEAD) get no answer; --stall cdn: the CDN sends headers, then nothing
Prints the port on its first stdout line, then serves on 127.0.0.1 until killed or stdin closes.
"""
import hashlib
import http.server
import json
import os
import signal
import struct
import sys
import threading
import urllib.parse


def option(name, default=None):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "model", "tiny-legacy")
COMMIT = option("--commit", "0123456789abcdef0123456789abcdef01234567")
TOKEN = option("--token", "secret-token")
CORRUPT = "--corrupt" in sys.argv
CUT_AFTER = int(option("--cut-after", "0"))
WRONG_SIZE = "--wrong-size" in sys.argv
STALL = option("--stall")


def read(name):
    with open(os.path.join(ROOT, name), "rb") as f:
        return f.read()


def safetensors(header, body):
    """A safetensors file: u64 header length, the JSON header padded with spaces to 8 bytes, the body."""
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + body


def shards(weights, count=2):
    """Splits a safetensors file into `count` shards and their model.safetensors.index.json."""
    size = struct.unpack("<Q", weights[:8])[0]
    header = json.loads(weights[8:8 + size])
    data = weights[8 + size:]
    names = sorted(k for k in header if k != "__metadata__")
    files, weight_map = {}, {}
    for i in range(count):
        shard_name = "model-%05d-of-%05d.safetensors" % (i + 1, count)
        shard_header, body = {"__metadata__": {"format": "pt"}}, b""
        for name in names[i::count]:
            begin, end = header[name]["data_offsets"]
            shard_header[name] = dict(header[name], data_offsets=[len(body), len(body) + end - begin])
            body += data[begin:end]
            weight_map[name] = shard_name
        files[shard_name] = safetensors(shard_header, body)
    index = {"metadata": {"total_size": len(data)}, "weight_map": weight_map}
    files["model.safetensors.index.json"] = json.dumps(index, indent=2).encode()
    return files


TINY = {name: read(name) for name in sorted(os.listdir(ROOT))}
SHARDED = {n: d for n, d in TINY.items() if n != "model.safetensors"}
SHARDED.update(shards(TINY["model.safetensors"]))
REPOS = {"org/tiny": TINY, "org/gated": TINY, "org/tiny-sharded": SHARDED}
LFS_BY_SHA256 = {hashlib.sha256(d).hexdigest(): d for files in REPOS.values() for n, d in files.items()
                 if n.endswith(".safetensors")}
LOG, LOCK = [], threading.Lock()
CUT_DONE = threading.Event()


def git_sha1(data):
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class Hub(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, headers=(), body=b"", length=None):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.route()

    def do_GET(self):
        self.route()

    def route(self):
        path = urllib.parse.unquote(urllib.parse.urlparse(self.path).path)
        if path == "/_log":
            with LOCK:
                return self.send(200, [], "".join(json.dumps(e) + "\n" for e in LOG).encode())
        with LOCK:
            LOG.append({"method": self.command, "path": path, "range": self.headers.get("Range"),
                        "authorization": self.headers.get("Authorization") is not None})
        parts = path.strip("/").split("/")
        if parts[0] == "cdn" and len(parts) == 2 and parts[1] in LFS_BY_SHA256:
            if self.headers.get("Authorization"):
                return self.send(400, [], b"the CDN must not receive the Hub token")
            return self.cdn(LFS_BY_SHA256[parts[1]])
        if STALL == "head" and self.command == "HEAD":
            threading.Event().wait()
        if len(parts) < 5 or parts[2] != "resolve":
            return self.send(404, [("X-Error-Code", "RepoNotFound")])
        repo, revision, name = "/".join(parts[:2]), parts[3], "/".join(parts[4:])
        if repo == "org/old-tiny":
            return self.send(307, [("Location", self.path.replace("/org/old-tiny/", "/org/tiny/", 1))])
        if repo not in REPOS:
            return self.send(404, [("X-Error-Code", "RepoNotFound")], b"Repository not found")
        if repo == "org/gated" and self.headers.get("Authorization") != "Bearer " + TOKEN:
            return self.send(401, [("X-Error-Code", "GatedRepo")], b"Access to this repo is restricted")
        if revision not in ("main", COMMIT):
            return self.send(404, [("X-Error-Code", "RevisionNotFound")])
        files = REPOS[repo]
        if name not in files:
            return self.send(404, [("X-Repo-Commit", COMMIT), ("X-Error-Code", "EntryNotFound")])
        data = files[name]
        if name.endswith(".safetensors"):
            sha256 = hashlib.sha256(data).hexdigest()
            return self.send(302, [
                ("X-Repo-Commit", COMMIT), ("ETag", '"%s"' % git_sha1(data)),
                ("X-Linked-Etag", '"%s"' % sha256), ("X-Linked-Size", str(len(data) + WRONG_SIZE)),
                ("Location", "http://localhost:%d/cdn/%s" % (self.server.server_address[1], sha256))])
        self.send(200, [("X-Repo-Commit", COMMIT), ("ETag", 'W/"%s"' % git_sha1(data))], data)

    def cdn(self, data):
        if CORRUPT:
            data = data[:-1] + bytes([data[-1] ^ 0xFF])
        rng = self.headers.get("Range", "")
        start = int(rng[6:-1]) if rng.startswith("bytes=") and rng.endswith("-") else 0
        if STALL == "cdn":
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[:100])
            self.wfile.flush()
            threading.Event().wait()
        if CUT_AFTER and not start and not CUT_DONE.is_set():
            CUT_DONE.set()
            self.send(200, [], data[:CUT_AFTER], length=len(data))
            self.wfile.flush()
            self.close_connection = True
            return
        if start:
            headers = [("Content-Range", "bytes %d-%d/%d" % (start, len(data) - 1, len(data)))]
            return self.send(206, headers, data[start:])
        self.send(200, [], data)


# A test runner may start us with SIGTERM ignored or blocked; restore it, and also exit when stdin closes.
signal.signal(signal.SIGTERM, signal.SIG_DFL)
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM])
threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hub)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
