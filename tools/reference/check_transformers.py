#!/usr/bin/env python3
"""transformers reads what bertsent trains (issue 5, item 5).

Loads a bertsent model folder (`RUN/best` or `RUN/checkpoint-STEP`) with
`AutoModelForSequenceClassification` and `AutoTokenizer` (offline), classifies the texts of a CSV,
runs `bertsent predict --format jsonl` on the same strings and compares the probabilities.

    .venv-ref/bin/python tools/reference/check_transformers.py --model RUN/best --data RUN/validation.csv

Exits 1 if max |Δp| > --tolerance (1e-4) or any predicted label differs, 2 on a usage/setup error.
Texts are fed to both sides exactly as read from the CSV (`bertsent predict` cleans nothing): one per
line in a temporary file, except texts `bertsent predict --input` would cut or drop — those holding a
line break of any kind Swift's `Character.isNewline` knows (LF, CR, VT, FF, NEL, U+2028, U+2029),
empty ones, and ones starting with a BOM — which go as command-line arguments after `--`.
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# What Swift's Character.isNewline accepts (CR LF is one Character made of two of these).
SWIFT_NEWLINES = set("\n\r\x0b\x0c\x85\u2028\u2029")
ARG_BUDGET = 1_000_000  # bytes of texts per invocation when passed as arguments (ARG_MAX is ~2 MB)


def fail(message):
    print(f"error: {message}", file=sys.stderr)
    sys.exit(2)


def read_texts(path, column, limit):
    csv.field_size_limit(sys.maxsize)
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        if column not in (reader.fieldnames or []):
            fail(f"{path} has no column '{column}' (columns: {', '.join(reader.fieldnames or [])})")
        texts = [row[column] for row in reader]
    return texts[:limit] if limit else texts


def needs_argument(text):
    return text == "" or text.startswith("\ufeff") or any(c in SWIFT_NEWLINES for c in text)


def bertsent_predict(binary, model, texts, max_length, batch_size):
    """Returns bertsent's JSON line for each text, in input order."""
    by_file = [i for i, t in enumerate(texts) if not needs_argument(t)]
    by_arg = [i for i, t in enumerate(texts) if needs_argument(t)]
    # Group the argument texts so no invocation exceeds the argument budget; the file goes with the first.
    groups, current, size = [], [], 0
    for i in by_arg:
        n = len(texts[i].encode()) + 1
        if current and size + n > ARG_BUDGET:
            groups.append(current)
            current, size = [], 0
        current.append(i)
        size += n
    groups.append(current)
    results = [None] * len(texts)
    with tempfile.TemporaryDirectory() as tmp:
        for g, arg_indices in enumerate(groups):
            file_indices = by_file if g == 0 else []
            if not arg_indices and not file_indices:
                continue
            command = [binary, "predict", "--model", model, "--format", "jsonl",
                       "--max-length", str(max_length), "--batch-size", str(batch_size)]
            if file_indices:
                path = os.path.join(tmp, "texts.txt")
                with open(path, "w", encoding="utf-8", newline="\n") as f:
                    for i in file_indices:
                        f.write(texts[i] + "\n")
                command += ["--input", path]
            command += ["--"] + [texts[i] for i in arg_indices]
            done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8")
            if done.returncode != 0:
                fail(f"bertsent predict exited {done.returncode}:\n{done.stderr}")
            for line in done.stderr.splitlines():
                print(f"bertsent: {line}", file=sys.stderr)
            lines = [json.loads(line) for line in done.stdout.split("\n") if line.strip()]  # not splitlines(): U+2028 etc. stay raw in JSON
            order = arg_indices + file_indices  # predict puts argument texts before the file's lines
            if len(lines) != len(order):
                fail(f"bertsent predict returned {len(lines)} predictions for {len(order)} texts")
            for i, line in zip(order, lines):
                if line["text"] != texts[i]:
                    fail(f"text {i} came back changed from bertsent predict: {texts[i][:80]!r} → {line['text'][:80]!r}")
                results[i] = line
    return results


def transformers_predict(model_dir, texts, max_length, batch_size):
    """Returns (classes, probabilities per text) from transformers."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
    model, info = AutoModelForSequenceClassification.from_pretrained(
        model_dir, local_files_only=True, output_loading_info=True, dtype=torch.float32)
    missing = [k for k in info.get("missing_keys", []) if k]
    if missing or info.get("mismatched_keys"):
        fail(f"transformers did not load every weight of {model_dir}: missing {missing}, "
                 f"mismatched {info.get('mismatched_keys')}")
    model.eval()
    config = model.config
    labels = config.num_labels
    if labels == 1:
        if config.problem_type != "multi_label_classification":
            fail(f"a 1-logit model with problem_type {config.problem_type!r} is not a sigmoid classifier")
        negative = getattr(config, "bertsent_negative_label", None)
        if negative is None:
            fail("a 1-logit model without bertsent_negative_label in config.json")
        classes = [negative, config.id2label[0]]
    else:
        classes = [config.id2label[i] for i in range(labels)]
    probabilities = []
    with torch.no_grad():
        for start in range(0, len(texts), batch_size):
            batch = tokenizer(texts[start:start + batch_size], truncation=True, max_length=max_length,
                              padding=True, return_tensors="pt")
            logits = model(**batch).logits.double()
            if labels == 1:
                p = torch.sigmoid(logits[:, 0])
                probs = torch.stack([1 - p, p], dim=1)
            else:
                probs = torch.softmax(logits, dim=-1)
            probabilities += probs.tolist()
    return classes, probabilities, config


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="a bertsent model folder (RUN/best or RUN/checkpoint-STEP)")
    parser.add_argument("--data", required=True, help="a CSV with the texts")
    parser.add_argument("--text-column", default="review")
    parser.add_argument("--limit", type=int, default=0, help="only the first N texts (0: all)")
    parser.add_argument("--max-length", type=int, default=None,
                        help="tokens per text on both sides (default: bertsent predict's, min(256, max_position_embeddings))")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--tolerance", type=float, default=1e-4)
    parser.add_argument("--threads", type=int, default=2, help="torch threads")
    parser.add_argument("--bertsent", default=os.environ.get("BERTSENT", os.path.join(REPO, ".build/release/bertsent")),
                        help="the bertsent binary (default: $BERTSENT or .build/release/bertsent)")
    args = parser.parse_args()

    import torch
    torch.set_num_threads(args.threads)
    if not os.path.isfile(os.path.join(args.model, "config.json")):
        fail(f"{args.model} has no config.json")
    if not os.access(args.bertsent, os.X_OK):
        fail(f"no bertsent binary at {args.bertsent} (swift build -c release --product bertsent, or --bertsent)")
    texts = read_texts(args.data, args.text_column, args.limit)
    if not texts:
        fail(f"{args.data} has no texts")
    with open(os.path.join(args.model, "config.json")) as f:
        max_length = args.max_length or min(256, json.load(f)["max_position_embeddings"])

    started = time.time()
    classes, hf, config = transformers_predict(args.model, texts, max_length, args.batch_size)
    hf_seconds = time.time() - started
    started = time.time()
    ours = bertsent_predict(args.bertsent, args.model, texts, max_length, args.batch_size)
    ours_seconds = time.time() - started

    worst, worst_index, total, disagreements, near_ties = 0.0, 0, 0.0, [], 0
    for i, (p, line) in enumerate(zip(hf, ours)):
        if sorted(line["probabilities"]) != sorted(classes):
            fail(f"bertsent's classes {sorted(line['probabilities'])} differ from transformers' {classes}")
        delta = max(abs(p[k] - line["probabilities"][c]) for k, c in enumerate(classes))
        total += delta
        if delta > worst:
            worst, worst_index = delta, i
        label = classes[max(range(len(classes)), key=lambda k: p[k])]
        if label != line["label"]:
            disagreements.append(i)
            if sorted(p)[-1] - sorted(p)[-2] <= 2 * args.tolerance:
                near_ties += 1

    head = "sigmoid (1 logit)" if config.num_labels == 1 else f"softmax ({config.num_labels} logits)"
    print(f"model      {args.model}: {config.architectures}, {head}, problem_type {config.problem_type}, classes {classes}")
    print(f"texts      {len(texts)} from {args.data} (max length {max_length}; "
          f"{sum(needs_argument(t) for t in texts)} passed as arguments); transformers {hf_seconds:.1f} s, bertsent {ours_seconds:.1f} s")
    print(f"max |Δp|   {worst:.3g} (text {worst_index}); mean {total / len(texts):.3g}; tolerance {args.tolerance:g}")
    print(f"labels     {len(texts) - len(disagreements)}/{len(texts)} agree"
          + (f"; differ at {disagreements[:10]} ({near_ties} near ties)" if disagreements else ""))
    ok = worst <= args.tolerance and not disagreements
    print("OK" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
