"""The Python side of bench/serve_load.sh: a transformers text-classification pipeline behind the standard
library's threaded HTTP server, answering the same `POST /predict {"inputs": text}` as `bertsent serve`.

This is how a Python user typically serves a model without a dedicated inference server: one pipeline,
one request at a time (a lock, since concurrent torch calls would only fight over the same 2 threads),
torch on the same thread count as bertsent."""
import argparse
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import torch
from transformers import pipeline


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--max-length", type=int, default=256)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    classify = pipeline("text-classification", model=args.model, top_k=None, device="cpu")
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out as two writes; without this, Nagle's algorithm holds the body back
        # until the client's delayed ACK of the headers, adding up to half a second per keep-alive request.
        disable_nagle_algorithm = True

        def log_message(self, *_):
            pass

        def reply(self, status, payload):
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            self.reply(200, {"status": "ok"}) if self.path == "/health" else self.reply(404, {"error": "not found"})

        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            try:
                text = json.loads(self.rfile.read(length))["inputs"]
            except (ValueError, KeyError, TypeError) as error:
                return self.reply(422, {"error": str(error)})
            with lock, torch.inference_mode():
                scores = classify(text, truncation=True, max_length=args.max_length)
            self.reply(200, scores)

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"serving on {args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
