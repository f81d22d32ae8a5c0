#!/usr/bin/env python3
"""A tiny imitation of the Hugging Face Hub's resolve/ protocol, for bertsent's Hub tests.

Serves Tests/Fixtures/model/tiny-legacy as repo `org/tiny` (and `org/gated`, which needs
`Authorization: Bearer <token>`; `org/old-tiny` answers with a relative redirect to `org/tiny`, as the Hub
does for renamed repos). Headers as the Hub: X-Repo-Commit, ETag (git sha1) or, for the LFS file
model.safetensors, a 302 to another host (http://localhost:<port>/cdn/<sha256>, which refuses requests
carrying Authorization) with X-Linked-Etag and X-Linked-Size. Unknown repos get a 404
without X-Repo-Commit, missing files a 404 with it. The CDN honours Range.

Usage: fake_hub.py [--token T] [--corrupt]   (--corrupt flips one byte of the LFS file's body)
Prints the port on its first stdout line, then serves on 127.0.0.1 until killed.
"""
import hashlib
import http.server
import os
import signal
import sys
import threading
import urllib.parse

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "model", "tiny-legacy")
COMMIT = "0123456789abcdef0123456789abcdef01234567"
LFS = {"model.safetensors"}
TOKEN = sys.argv[sys.argv.index("--token") + 1] if "--token" in sys.argv else "secret-token"
CORRUPT = "--corrupt" in sys.argv

FILES = {}
for name in sorted(os.listdir(ROOT)):
    with open(os.path.join(ROOT, name), "rb") as f:
        FILES[name] = f.read()
GIT_SHA1 = {n: hashlib.sha1(b"blob %d\0" % len(d) + d).hexdigest() for n, d in FILES.items()}
SHA256 = {n: hashlib.sha256(FILES[n]).hexdigest() for n in LFS}
BY_SHA256 = {v: k for k, v in SHA256.items()}


class Hub(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, headers=(), body=b""):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.route()

    def do_GET(self):
        self.route()

    def route(self):
        path = urllib.parse.unquote(urllib.parse.urlparse(self.path).path)
        parts = path.strip("/").split("/")
        if parts[0] == "cdn" and len(parts) == 2 and parts[1] in BY_SHA256:
            if self.headers.get("Authorization"):
                return self.send(400, [], b"the CDN must not receive the Hub token")
            return self.cdn(FILES[BY_SHA256[parts[1]]])
        if len(parts) < 5 or parts[2] != "resolve":
            return self.send(404, [("X-Error-Code", "RepoNotFound")])
        repo, revision, name = "/".join(parts[:2]), parts[3], "/".join(parts[4:])
        if repo == "org/old-tiny":
            return self.send(307, [("Location", self.path.replace("/org/old-tiny/", "/org/tiny/", 1))])
        if repo not in ("org/tiny", "org/gated"):
            return self.send(404, [("X-Error-Code", "RepoNotFound")], b"Repository not found")
        if repo == "org/gated" and self.headers.get("Authorization") != "Bearer " + TOKEN:
            return self.send(401, [("X-Error-Code", "GatedRepo")], b"Access to this repo is restricted")
        if revision not in ("main", COMMIT):
            return self.send(404, [("X-Error-Code", "RevisionNotFound")])
        if name not in FILES:
            return self.send(404, [("X-Repo-Commit", COMMIT), ("X-Error-Code", "EntryNotFound")])
        if name in LFS:
            return self.send(302, [
                ("X-Repo-Commit", COMMIT), ("ETag", '"%s"' % GIT_SHA1[name]),
                ("X-Linked-Etag", '"%s"' % SHA256[name]), ("X-Linked-Size", str(len(FILES[name]))),
                ("Location", "http://localhost:%d/cdn/%s" % (self.server.server_address[1], SHA256[name]))])
        self.send(200, [("X-Repo-Commit", COMMIT), ("ETag", 'W/"%s"' % GIT_SHA1[name])], FILES[name])

    def cdn(self, data):
        if CORRUPT:
            data = data[:-1] + bytes([data[-1] ^ 0xFF])
        start = 0
        rng = self.headers.get("Range", "")
        if rng.startswith("bytes=") and rng.endswith("-"):
            start = int(rng[6:-1])
        if start:
            headers = [("Content-Range", "bytes %d-%d/%d" % (start, len(data) - 1, len(data)))]
            return self.send(206, headers, data[start:])
        self.send(200, [], data)


# A test runner may start us with SIGTERM ignored or blocked; restore it, and also exit when stdin closes.
signal.signal(signal.SIGTERM, signal.SIG_DFL)
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM])
threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hub)
print(server.server_address[1], flush=True)
server.serve_forever()
