#!/usr/bin/env python3
"""The Hugging Face cache is shared both ways (issue 8): Python's huggingface_hub and transformers read
what bertsent downloaded, and bertsent reads what huggingface_hub downloaded.

The real Hub is not reachable from here, so both sides download from Tests/Fixtures/hub/fake_hub.py
(HF_ENDPOINT), which imitates the Hub's resolve/ protocol:
  A. `bertsent download org/tiny` and `org/tiny-sharded` into cache A; then, offline, huggingface_hub's
     try_to_load_from_cache, snapshot_download(local_files_only=True) and scan_cache_dir, and
     transformers' from_pretrained(local_files_only=True), must find the same files.
  B. huggingface_hub's hf_hub_download fetches both repos file by file into cache B; then bertsent, with
     HF_HUB_OFFLINE=1, must resolve both to the same snapshot folders and predict what transformers
     predicts. And bertsent completes a snapshot of which huggingface_hub fetched only config.json.
Usage: hub_interop.py --bertsent .build/release/bertsent [--work DIR]. Exit 1 when a check fails.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FAKE_HUB = os.path.join(REPO, "Tests", "Fixtures", "hub", "fake_hub.py")
FILES = {
    "org/tiny": ["config.json", "vocab.txt", "tokenizer_config.json", "model.safetensors"],
    "org/tiny-sharded": ["config.json", "vocab.txt", "tokenizer_config.json", "model.safetensors.index.json",
                         "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"],
}
TEXTS = ["A wonderful film.", "Dull, long and badly acted.", "It was fine, I suppose."]

parser = argparse.ArgumentParser()
parser.add_argument("--bertsent", required=True)
parser.add_argument("--work", default=None)
args = parser.parse_args()
work = args.work or tempfile.mkdtemp(prefix="hub-interop-")
cache_a, cache_b = os.path.join(work, "a", "hub"), os.path.join(work, "b", "hub")

# The server first: huggingface_hub reads HF_ENDPOINT when it is imported.
hub = subprocess.Popen([sys.executable, FAKE_HUB], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
endpoint = "http://127.0.0.1:%s" % hub.stdout.readline().strip()
os.environ["HF_ENDPOINT"] = endpoint
for name in ("HF_TOKEN", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"):
    os.environ.pop(name, None)
os.environ["HF_HOME"] = os.path.join(work, "hf-home")  # no token file of the machine is read

import huggingface_hub  # noqa: E402
import torch  # noqa: E402
import transformers  # noqa: E402
from huggingface_hub import hf_hub_download, scan_cache_dir, snapshot_download, try_to_load_from_cache  # noqa: E402

failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)


def bertsent(*arguments, offline=False, cache=None):
    env = dict(os.environ)
    if cache:
        env["HF_HUB_CACHE"] = cache
    if offline:
        env["HF_HUB_OFFLINE"] = "1"
    done = subprocess.run([args.bertsent, *arguments], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
    return done


def transformers_probabilities(name, cache):
    tokenizer = transformers.AutoTokenizer.from_pretrained(name, cache_dir=cache, local_files_only=True)
    model = transformers.AutoModelForSequenceClassification.from_pretrained(name, cache_dir=cache, local_files_only=True)
    model.eval()
    with torch.no_grad():
        batch = tokenizer(TEXTS, padding=True, truncation=True, max_length=64, return_tensors="pt")
        return torch.softmax(model(**batch).logits, dim=-1).tolist(), model.config.id2label


def bertsent_probabilities(name, cache):
    done = bertsent("predict", "--model", name, "--format", "jsonl", "--max-length", "64", "--", *TEXTS,
                    offline=True, cache=cache)
    return [json.loads(line)["probabilities"] for line in done.stdout.splitlines()] if done.returncode == 0 else None


try:
    print("huggingface_hub %s, transformers %s, fake hub at %s, work %s" % (
        huggingface_hub.__version__, transformers.__version__, endpoint, work))
    print("A. bertsent writes, Python reads")
    snapshots = {}
    for repo in FILES:
        done = bertsent("download", repo, "--quiet", cache=cache_a)
        check(done.returncode == 0, "bertsent download %s" % repo)
        snapshots[repo] = done.stdout.strip()
    for repo, files in FILES.items():
        for name in files:
            found = try_to_load_from_cache(repo, name, cache_dir=cache_a)
            check(isinstance(found, str) and found == os.path.join(snapshots[repo], name),
                  "try_to_load_from_cache(%s, %s)" % (repo, name))
        check(snapshot_download(repo, cache_dir=cache_a, local_files_only=True) == snapshots[repo],
              "snapshot_download(%s, local_files_only=True) is bertsent's snapshot" % repo)
    scan = scan_cache_dir(cache_a)
    check(not scan.warnings, "scan_cache_dir: no warnings (%s)" % [str(w) for w in scan.warnings])
    seen = {r.repo_id: r for r in scan.repos}
    for repo, files in FILES.items():
        revisions = list(seen[repo].revisions) if repo in seen else []
        check(len(revisions) == 1 and revisions[0].refs == frozenset({"main"})
              and sorted(f.file_name for f in revisions[0].files) == sorted(files),
              "scan_cache_dir: %s has one revision, ref main, all files" % repo)
    for repo in FILES:
        theirs, labels = transformers_probabilities(repo, cache_a)
        ours = bertsent_probabilities(repo, cache_a)
        delta = max(abs(p - o[labels[j]]) for row, o in zip(theirs, ours) for j, p in enumerate(row)) if ours else float("inf")
        check(delta < 1e-5, "transformers from_pretrained(%s) offline from bertsent's cache: max |Δp| vs bertsent %.1e" % (repo, delta))

    print("B. Python writes, bertsent reads")
    # File by file: snapshot_download and an online from_pretrained also call the Hub's /api/ routes,
    # which the fake hub does not imitate; hf_hub_download is what both use for the files themselves.
    for repo, files in FILES.items():
        for name in files:
            hf_hub_download(repo, name, cache_dir=cache_b)
    for repo in FILES:
        expected = snapshot_download(repo, cache_dir=cache_b, local_files_only=True)
        done = bertsent("download", repo, "--quiet", offline=True, cache=cache_b)
        check(done.returncode == 0 and done.stdout.strip() == expected,
              "bertsent download %s with HF_HUB_OFFLINE=1 finds huggingface_hub's snapshot" % repo)
        theirs, labels = transformers_probabilities(repo, cache_b)
        ours = bertsent_probabilities(repo, cache_b)
        delta = max(abs(p - o[labels[j]]) for row, o in zip(theirs, ours) for j, p in enumerate(row)) if ours else float("inf")
        check(delta < 1e-5, "bertsent predict --model %s offline from Python's cache: max |Δp| vs transformers %.1e" % (repo, delta))
    for repo in FILES:
        folder = "models--" + repo.replace("/", "--")
        blobs = [sorted(os.listdir(os.path.join(c, folder, "blobs"))) for c in (cache_a, cache_b)]
        check(blobs[0] == blobs[1] and len(blobs[0]) == len(FILES[repo]),
              "%s: bertsent and huggingface_hub store the same blob names (etags)" % repo)
    # bertsent completes what Python started: a fresh repo folder where Python fetched only config.json.
    cache_c = os.path.join(work, "c", "hub")
    hf_hub_download("org/tiny", "config.json", cache_dir=cache_c)
    done = bertsent("download", "org/tiny", "--quiet", cache=cache_c)
    blobs = os.listdir(os.path.join(cache_c, "models--org--tiny", "blobs"))
    check(done.returncode == 0 and snapshot_download("org/tiny", cache_dir=cache_c, local_files_only=True) == done.stdout.strip()
          and len(blobs) == len(FILES["org/tiny"]), "bertsent completes a snapshot huggingface_hub started (reusing its blob)")
    check(not scan_cache_dir(cache_c).warnings, "scan_cache_dir of the completed cache: no warnings")
finally:
    hub.kill()

print("%d checks failed" % len(failures) if failures else "all checks passed")
sys.exit(1 if failures else 0)
