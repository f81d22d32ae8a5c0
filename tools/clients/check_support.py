"""What the client checks share: `bertsent serve` run with the default model on a free loopback port (optionally
with an API key) and asked directly, to compare a client's answers with, and the pass/fail lines."""
import json
import os
import subprocess
import time
import urllib.error
import urllib.request


class Check:
    """Counts failed checks; each check prints one line."""

    def __init__(self):
        self.failures = []

    def __call__(self, ok, what):
        print(("ok    " if ok else "FAIL  ") + what, flush=True)
        if not ok:
            self.failures.append(what)
        return ok

    def exit_code(self):
        print("%d checks failed" % len(self.failures) if self.failures else "all checks passed", flush=True)
        return 1 if self.failures else 0


class Served:
    """`with Served(bertsent, api_key=...) as server:` starts the server, waits until /health answers 200, and
    stops it with SIGTERM on leaving."""

    def __init__(self, bertsent, api_key=None):
        self.bertsent = bertsent
        self.api_key = api_key
        self.url = None
        self.process = None

    def __enter__(self):
        environment = dict(os.environ)
        # The key goes by environment, not argument, so `ps` does not show it.
        environment.pop("BERTSENT_API_KEY", None)
        if self.api_key is not None:
            environment["BERTSENT_API_KEY"] = self.api_key
        self.process = subprocess.Popen(
            [self.bertsent, "serve", "--port", "0", "--log-level", "warning"],
            stdout=subprocess.PIPE, text=True, env=environment)
        # Its first line: "bertsent: serving MODEL on http://127.0.0.1:PORT".
        line = self.process.stdout.readline()
        if " on http://" not in line:
            self.__exit__(None, None, None)
            raise RuntimeError("bertsent serve did not start: %r" % line)
        self.url = line.rsplit(" on ", 1)[1].strip()
        deadline = time.monotonic() + 120
        while self.request("GET", "/health")[0] != 200:
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.__exit__(None, None, None)
                raise RuntimeError("bertsent serve at %s did not become healthy" % self.url)
            time.sleep(0.1)
        return self

    def __exit__(self, *exception):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=60)
        self.process.stdout.close()

    def request(self, method, path, body=None, key=None):
        """(status, decoded JSON body, headers) of one request; `key` defaults to the server's own."""
        key = self.api_key if key is None else key
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if key is not None:
            headers["Authorization"] = "Bearer " + key
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read()), response.headers
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read()), error.headers
        except urllib.error.URLError:
            return None, None, {}

    def predict(self, body, key=None):
        """/predict's JSON answer to `body`; fails unless it is 200."""
        status, answer, _ = self.request("POST", "/predict", body, key)
        if status != 200:
            raise RuntimeError("/predict answered %s: %s" % (status, answer))
        return answer
