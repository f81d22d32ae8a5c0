"""The ONNX Runtime side of bench/run.sh: the same shapes and inputs as `bertsent bench …` and
bench/torch_bench.py, printed as one JSON line with the same keys (medianSeconds, samplesPerSecond,
peakResidentMegabytes). Scores an ONNX file made by bench/onnx_export.py; imports neither torch nor
transformers (onnxruntime, numpy and tokenizers only), so its process holds what an ORT user's would.

    python bench/ort_bench.py inference --onnx fp32.onnx --model DIR --batch-size 32 --seq-len 128
    python bench/ort_bench.py reviews --onnx int8.onnx --model DIR --input cleaned.csv --count 2000 --batch-size 32
    python bench/ort_bench.py info

Session: CPUExecutionProvider, graph optimisations ORT_ENABLE_ALL, --threads intra-op threads (2), one
inter-op thread, sequential execution, everything else ORT's default. inference runs bertsent's random
token batch (bench_inputs.py); reviews tokenises with the model's tokenizer.json through tokenizers
(the same ids as transformers' tokenizer), sorts by length and pads each batch of --batch-size to its
longest text, as bertsent's Predictor and torch_bench.py do, tokenising inside the timing as they do.
--save-probabilities PATH writes the softmax of the last inference batch, or of every review in input
order, as a .npy.
"""
import argparse
import json
import os
import platform
import sys

import numpy as np
import onnxruntime as ort

from bench_inputs import bench_token_ids, peak_rss_mb, read_texts, timed


def softmax(logits):
    e = np.exp(logits - logits.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def session(path, threads):
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def feeds(ids, mask):
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("task", choices=["inference", "reviews", "info"])
    p.add_argument("--onnx", help="ONNX file from bench/onnx_export.py")
    p.add_argument("--model", help="the model's Hugging Face folder (config.json, tokenizer.json)")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--seq-len", type=int, default=128)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--repetitions", type=int, default=5)
    p.add_argument("--input")
    p.add_argument("--count", type=int, default=2000)
    p.add_argument("--max-length", type=int, default=256)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--precision", default="fp32", help="recorded in the output: what --onnx holds (fp32 or int8)")
    p.add_argument("--save-probabilities", help=".npy of the class probabilities (last batch / every review)")
    args = p.parse_args()

    if args.task == "info":
        print(json.dumps({"onnxruntime": ort.__version__, "numpy": np.__version__, "providers": ort.get_available_providers(),
                          "device": ort.get_device(), "python": platform.python_version(), "threads": args.threads,
                          "interOpThreads": 1, "graphOptimizationLevel": "ORT_ENABLE_ALL"}))
        return
    if not (args.onnx and args.model):
        p.error(f"{args.task} needs --onnx and --model")
    sess = session(args.onnx, args.threads)
    last = {}

    if args.task == "inference":
        with open(os.path.join(args.model, "config.json")) as f:
            vocab = json.load(f)["vocab_size"]
        ids = np.array(bench_token_ids(vocab, args.batch_size, args.seq_len), dtype=np.int64)
        inputs = feeds(ids, np.ones_like(ids))

        def body():
            last["logits"] = sess.run(None, inputs)[0]
        result = timed("inference", args.batch_size, args.seq_len, args.warmup, args.repetitions, body)
    else:
        from tokenizers import Tokenizer
        tok = Tokenizer.from_file(os.path.join(args.model, "tokenizer.json"))
        tok.no_padding()
        tok.enable_truncation(args.max_length)
        texts = read_texts(args.input, args.count)
        tokens = sum(len(e.ids) for e in tok.encode_batch(texts))

        def body():
            enc = [e.ids for e in tok.encode_batch(texts)]
            order = sorted(range(len(texts)), key=lambda i: len(enc[i]))
            logits = np.empty((len(texts), 2), dtype=np.float32)
            for start in range(0, len(order), args.batch_size):
                members = order[start:start + args.batch_size]
                longest = max(len(enc[i]) for i in members)
                ids = np.zeros((len(members), longest), dtype=np.int64)
                mask = np.zeros_like(ids)
                for row, i in enumerate(members):
                    ids[row, :len(enc[i])] = enc[i]
                    mask[row, :len(enc[i])] = 1
                logits[members] = sess.run(None, feeds(ids, mask))[0]
            last["logits"] = logits
        result = timed("reviews", len(texts), args.max_length, args.warmup, args.repetitions, body, tokens)
    if args.save_probabilities:
        np.save(args.save_probabilities, softmax(last["logits"].astype(np.float32)))
    result.update({"engine": "onnxruntime", "onnxruntime": ort.__version__, "precision": args.precision,
                   "onnx": os.path.basename(args.onnx)})
    print(json.dumps(result))


if __name__ == "__main__":
    sys.stdout.reconfigure(line_buffering=True)
    main()
