"""The PyTorch / Hugging Face side of bench/run.sh: the same shapes and inputs as `bertsent bench …`,
printed as one JSON line with the same keys (medianSeconds, samplesPerSecond, peakResidentMegabytes).

    python bench/torch_bench.py train --batch-size 8 --seq-len 128 [--random-config bench/bert-base-config.json]
    python bench/torch_bench.py inference --batch-size 32 --seq-len 128 [--autocast-bf16 | --dynamic-int8]
    python bench/torch_bench.py reviews --input cleaned.csv --count 2000 --batch-size 32
    python bench/torch_bench.py tokenizer --input cleaned.csv --count 10000
    python bench/torch_bench.py gemm | info

What a user gets by default: BertForSequenceClassification with transformers' default attention
implementation (reported as attnImplementation), torch.optim.AdamW, gradient clipping at 1.0 (as
Trainer and bertsent do), dropout on in training, torch.inference_mode() for inference.
--autocast-bf16 runs inference and reviews, or training's forward pass, under torch.autocast("cpu",
dtype=torch.bfloat16): PyTorch's own mixed precision (what transformers' Trainer does with bf16=True;
the backward pass follows the forward's dtypes), to compare with bertsent's --precision bf16.
--dynamic-int8 runs inference and reviews on torch.ao.quantization.quantize_dynamic(model, {Linear},
qint8), PyTorch's own int8 inference, to compare with bertsent's --precision int8. PyTorch quantises
each weight per tensor and each input per tensor (one scale for the whole batch); bertsent per output
feature and per token, which is finer.

A pretrained folder without a classification head (all-MiniLM-L6-v2) gets a 2-label head drawn with
torch.manual_seed(HEAD_SEED), so every process, and bench/onnx_export.py's ONNX files, score the same
weights. inference and train run on bertsent's own random token batch (bench_inputs.py).
--save-probabilities PATH writes the softmax of the last inference batch, or of every review in input
order, as a .npy, for bench/run.py to compare engines.
"""
import argparse
import contextlib
import json
import os
import statistics
import time

import numpy as np
import torch

from bench_inputs import bench_token_ids, peak_rss_mb, read_texts, timed

# Seeds the classification head a pretrained encoder lacks (shared with bench/onnx_export.py).
HEAD_SEED = 1

DEFAULT_MODEL = os.path.expanduser(
    os.path.join(os.environ.get("BERTSENT_HOME", "~/.cache/bertsent"), "models", "all-MiniLM-L6-v2"))


def load_model(model_dir, random_config=None, **kwargs):
    from transformers import BertConfig, BertForSequenceClassification
    if random_config:
        config = BertConfig.from_json_file(random_config)
        config.num_labels = 2
        torch.manual_seed(1)
        model = BertForSequenceClassification(config, **kwargs)
    else:
        torch.manual_seed(HEAD_SEED)  # the head from_pretrained initialises: the same in every process
        model = BertForSequenceClassification.from_pretrained(model_dir, num_labels=2, **kwargs)
    return model


def random_batch(config, batch, seq):
    ids = torch.tensor(bench_token_ids(config.vocab_size, batch, seq), dtype=torch.long)
    return {"input_ids": ids, "attention_mask": torch.ones_like(ids), "token_type_ids": torch.zeros_like(ids),
            "labels": torch.arange(batch) % 2}


def save_probabilities(path, logits):
    if path:
        np.save(path, torch.softmax(torch.stack(list(logits)).float(), dim=-1).numpy())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("task", choices=["train", "inference", "reviews", "tokenizer", "gemm", "info"])
    p.add_argument("--model", default=DEFAULT_MODEL)
    p.add_argument("--random-config")
    p.add_argument("--batch-size", type=int, default=8)
    p.add_argument("--seq-len", type=int, default=128)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--repetitions", type=int, default=5)
    p.add_argument("--input")
    p.add_argument("--count", type=int, default=2000)
    p.add_argument("--max-length", type=int)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--autocast-bf16", action="store_true", help="inference, reviews or training's forward under bf16 autocast")
    p.add_argument("--dynamic-int8", action="store_true", help="inference and reviews on quantize_dynamic's int8 Linear layers")
    p.add_argument("--save-probabilities", help="inference, reviews: .npy of the class probabilities (last batch / every review)")
    args = p.parse_args()
    torch.set_num_threads(args.threads)

    if args.task == "info":
        import transformers
        import tokenizers
        print(json.dumps({
            "torch": torch.__version__, "transformers": transformers.__version__, "tokenizers": tokenizers.__version__,
            "threads": torch.get_num_threads(), "interopThreads": torch.get_num_interop_threads(),
            "mkl": torch.backends.mkl.is_available(), "mkldnn": torch.backends.mkldnn.is_available(),
            "cpuCapability": torch.backends.cpu.get_cpu_capability(),
            "parallelInfo": torch.__config__.parallel_info(),
            "buildConfig": torch.__config__.show(),
        }))
        return

    if args.task == "gemm":
        m, n, k = 1024, 3072, 768
        a, b = torch.randn(m, k), torch.randn(k, n)
        best = float("inf")
        for r in range(args.repetitions + 1):
            start = time.perf_counter()
            torch.mm(a, b)
            elapsed = time.perf_counter() - start
            if r:
                best = min(best, elapsed)
        print(json.dumps({"m": m, "n": n, "k": k, "threads": torch.get_num_threads(), "gflops": 2 * m * n * k / best / 1e9}))
        return

    if args.task == "tokenizer":
        from transformers import AutoTokenizer
        tok = AutoTokenizer.from_pretrained(args.model)
        texts = read_texts(args.input, args.count)
        max_length = args.max_length or 512
        out = {}

        def body():
            out["enc"] = tok(texts, truncation=True, max_length=max_length)
        result = timed("tokenizer", len(texts), max_length, args.warmup, args.repetitions, body)
        result["tokens"] = sum(len(ids) for ids in out["enc"]["input_ids"])
        result["tokenizer"] = type(tok).__name__
        print(json.dumps(result))
        return

    if args.dynamic_int8 and (args.autocast_bf16 or args.task == "train"):
        p.error("--dynamic-int8 applies to inference and reviews, without --autocast-bf16")
    model = load_model(args.model, args.random_config)
    result_extra = {"attnImplementation": model.config._attn_implementation}
    precision = (lambda: torch.autocast("cpu", dtype=torch.bfloat16)) if args.autocast_bf16 else contextlib.nullcontext
    result_extra["precision"] = "autocast-bf16" if args.autocast_bf16 else "dynamic-int8" if args.dynamic_int8 else "fp32"
    if args.dynamic_int8:
        model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)

    if args.task == "reviews":
        from transformers import AutoTokenizer
        tok = AutoTokenizer.from_pretrained(args.model)
        texts = read_texts(args.input, args.count)
        max_length = args.max_length or 256
        model.eval()
        tokens = sum(len(ids) for ids in tok(texts, truncation=True, max_length=max_length)["input_ids"])

        def body():
            # As bertsent's Predictor: tokenise, sort by length, batches padded to their longest text.
            enc = tok(texts, truncation=True, max_length=max_length)["input_ids"]
            order = sorted(range(len(texts)), key=lambda i: len(enc[i]))
            logits = [None] * len(texts)
            with torch.inference_mode(), precision():
                for start in range(0, len(order), args.batch_size):
                    members = order[start:start + args.batch_size]
                    batch = tok.pad({"input_ids": [enc[i] for i in members]}, return_tensors="pt")
                    out = model(**batch).logits
                    for row, i in enumerate(members):
                        logits[i] = out[row]
            last["logits"] = logits
        last = {}
        result = timed("reviews", len(texts), max_length, args.warmup, args.repetitions, body, tokens)
        save_probabilities(args.save_probabilities, last["logits"])
    elif args.task == "inference":
        model.eval()
        batch = random_batch(model.config, args.batch_size, args.seq_len)
        batch.pop("labels")

        def body():
            with torch.inference_mode(), precision():
                last["logits"] = model(**batch).logits
        last = {}
        result = timed("inference", args.batch_size, args.seq_len, args.warmup, args.repetitions, body)
        save_probabilities(args.save_probabilities, last["logits"])
    else:  # train
        model.train()
        batch = random_batch(model.config, args.batch_size, args.seq_len)
        no_decay = ("bias", "LayerNorm.weight")
        groups = [
            {"params": [p for n, p in model.named_parameters() if not any(d in n for d in no_decay)], "weight_decay": 0.01},
            {"params": [p for n, p in model.named_parameters() if any(d in n for d in no_decay)], "weight_decay": 0.0},
        ]
        optimizer = torch.optim.AdamW(groups, lr=2e-5)

        def body():
            with precision():
                loss = model(**batch).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
        result = timed("train", args.batch_size, args.seq_len, args.warmup, args.repetitions, body)
    result.update(result_extra)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
