"""Makes the ONNX files ONNX Runtime scores in bench/run.py: the model with the 2-label head PyTorch's
side uses (torch_bench.load_model, head seeded with HEAD_SEED) exported by torch.onnx.export, and its
int8 version from onnxruntime.quantization.quantize_dynamic. Cached under
$BERTSENT_HOME/bench-data/onnx/<model>-<hash of config and weights>-cls2-seed<HEAD_SEED>/, so later runs
skip the export; prints one JSON line naming the files and how they were made.

    python bench/onnx_export.py --model ~/.cache/bertsent/models/all-MiniLM-L6-v2 [--fused] [--per-channel on]

Export: TorchScript exporter (dynamo=False: the torch.export-based default needs onnxscript), opset 17,
inputs input_ids, attention_mask, token_type_ids with dynamic batch and sequence axes, output logits;
transformers' eager attention, whose MatMul/Softmax graph ORT's optimiser fuses further than the sdpa
export (BiasGelu). The traced example has padding, so the mask is a real input of the graph; each file
is then checked against PyTorch on batches of other shapes with padding.
int8: quantize_dynamic with QInt8 weights (symmetric), uint8 activations quantised per tensor at run
time, MatMul nodes with a constant weight only (the encoder's and pooler's linear layers, as PyTorch's
quantize_dynamic({Linear}) and bertsent's int8; embeddings stay FP32). Per channel (one scale per output
feature) by default: same kernels, closer to FP32. reduce_range (7-bit weights) where the CPU has no
VNNI, as ORT advises against the 16-bit saturation of u8·s8 on AVX2 (--reduce-range on|off overrides).
ORT's quant_pre_process is not run: its symbolic shape inference fails on this graph.
--fused: onnxruntime.transformers' optimize_model (model_type bert) first, which fuses attention,
embedding and skip layer norms into ORT's contrib ops (Attention, later QAttention): ORT's own recipe for
BERT, beyond what ORT_ENABLE_ALL does on a plain export.
"""
import argparse
import hashlib
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

OPSET = 17
INPUTS = ["input_ids", "attention_mask", "token_type_ids"]


def cpu_has_vnni():
    with open("/proc/cpuinfo") as f:
        flags = next((line.split(":", 1)[1].split() for line in f if line.startswith("flags")), [])
    return "avx512_vnni" in flags or "avx_vnni" in flags


def model_key(model_dir, head_seed):
    """Names the cache folder: the model's folder name and a hash of its config and weights, and the head."""
    digest = hashlib.sha256()
    for name in sorted(os.listdir(model_dir)):
        if name == "config.json" or name.endswith(".safetensors"):
            with open(os.path.join(model_dir, name), "rb") as f:
                for chunk in iter(lambda: f.read(1 << 22), b""):
                    digest.update(chunk)
    return f"{os.path.basename(os.path.normpath(model_dir))}-{digest.hexdigest()[:12]}-cls2-seed{head_seed}"


def example(batch, seq, seed):
    """Random ids with the odd rows padded past the middle (ids 0, mask 0), as tokenizer.pad makes them."""
    import torch
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(1000, 30000, (batch, seq), generator=g)
    mask = torch.ones_like(ids)
    for r in range(1, batch, 2):
        mask[r, seq // 2 + r:] = 0
    return ids * mask, mask, torch.zeros_like(ids)


def check(path, model, tolerance):
    """Largest |probability difference| between ORT (ORT_ENABLE_ALL) and PyTorch FP32 on padded batches
    of shapes other than the traced one; fails above `tolerance`."""
    import numpy as np
    import onnxruntime as ort
    import torch
    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    worst = 0.0
    for batch, seq in ((3, 40), (1, 128), (4, 7)):
        x = example(batch, seq, batch * 1000 + seq)
        with torch.inference_mode():
            expected = torch.softmax(model(*x).logits, -1).numpy()
        logits = session.run(None, {k: v.numpy() for k, v in zip(INPUTS, x)})[0]
        got = np.exp(logits - logits.max(-1, keepdims=True))
        got /= got.sum(-1, keepdims=True)
        worst = max(worst, float(np.abs(got - expected).max()))
    if worst > tolerance:
        raise SystemExit(f"onnx_export: {path} differs from PyTorch by {worst} (> {tolerance})")
    return worst


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True, help="Hugging Face folder of the encoder (all-MiniLM-L6-v2)")
    p.add_argument("--cache-dir", default=os.path.join(os.path.expanduser(os.environ.get("BERTSENT_HOME", "~/.cache/bertsent")),
                                                       "bench-data", "onnx"))
    p.add_argument("--fused", action="store_true", help="onnxruntime.transformers optimize_model (bert) before quantising")
    p.add_argument("--per-channel", choices=["on", "off"], default="on")
    p.add_argument("--reduce-range", choices=["auto", "on", "off"], default="auto",
                   help="7-bit weights: auto = on where the CPU has no VNNI (ORT's advice for u8·s8 on AVX2)")
    args = p.parse_args()

    import onnxruntime as ort
    import torch
    import transformers
    from torch_bench import HEAD_SEED, load_model

    per_channel = args.per_channel == "on"
    reduce_range = not cpu_has_vnni() if args.reduce_range == "auto" else args.reduce_range == "on"
    folder = os.path.join(args.cache_dir, model_key(args.model, HEAD_SEED))
    os.makedirs(folder, exist_ok=True)
    graph = "fused" if args.fused else "plain"
    fp32 = os.path.join(folder, f"fp32-{graph}-torch{torch.__version__.split('+')[0]}-opset{OPSET}.onnx")
    int8 = fp32.replace("fp32-", "int8-").replace(".onnx", f"-ort{ort.__version__}-qint8"
                                                  f"{'-perchannel' if per_channel else ''}{'-reducerange' if reduce_range else ''}.onnx")
    made = []
    started = time.perf_counter()
    model = load_model(args.model, attn_implementation="eager").eval()
    if not os.path.exists(fp32):
        plain = os.path.join(folder, f"fp32-plain-torch{torch.__version__.split('+')[0]}-opset{OPSET}.onnx")
        if not os.path.exists(plain):
            torch.onnx.export(model, example(2, 16, 1), plain + ".part", input_names=INPUTS, output_names=["logits"],
                              dynamic_axes={**{k: {0: "batch", 1: "sequence"} for k in INPUTS}, "logits": {0: "batch"}},
                              opset_version=OPSET, dynamo=False)
            os.replace(plain + ".part", plain)
            made.append(plain)
        if args.fused:
            from onnxruntime.transformers.optimizer import optimize_model
            c = model.config
            optimized = optimize_model(plain, model_type="bert", num_heads=c.num_attention_heads, hidden_size=c.hidden_size,
                                       opt_level=0)  # contrib-op fusion only: the session applies ORT_ENABLE_ALL itself
            optimized.save_model_to_file(fp32 + ".part")
            os.replace(fp32 + ".part", fp32)
            made.append(fp32)
    if not os.path.exists(int8):
        import onnx
        from onnxruntime.quantization import QuantType, quantize_dynamic
        # DefaultTensorType: ONNX's shape inference gives no type to the contrib ops' outputs (--fused).
        quantize_dynamic(fp32, int8 + ".part", weight_type=QuantType.QInt8, per_channel=per_channel,
                         reduce_range=reduce_range, op_types_to_quantize=["MatMul", "Attention"],
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
        os.replace(int8 + ".part", int8)
        made.append(int8)
    fused_ops = None
    if args.fused:
        import collections
        import onnx
        counts = collections.Counter(n.op_type for n in onnx.load(fp32, load_external_data=False).graph.node)
        fused_ops = {k: counts[k] for k in ("Attention", "EmbedLayerNormalization", "SkipLayerNormalization", "BiasGelu") if counts[k]}
    print(json.dumps({
        "fp32": fp32, "int8": int8, "made": made, "seconds": time.perf_counter() - started,
        "torch": torch.__version__, "transformers": transformers.__version__, "onnxruntime": ort.__version__,
        "exporter": "torch.onnx.export (TorchScript, dynamo=False)", "opset": OPSET, "attnImplementation": "eager",
        "graph": graph, "fusedOps": fused_ops, "headSeed": HEAD_SEED,
        "quantization": {"function": "onnxruntime.quantization.quantize_dynamic", "weightType": "QInt8",
                         "activations": "QUInt8, per tensor, dynamic", "perChannel": per_channel,
                         "reduceRange": reduce_range, "opTypes": ["MatMul", "Attention"], "preProcess": False},
        # Checked on every call: cheap, and a stale or broken cache file shows here.
        "maxProbabilityDifferenceVsTorch": {"fp32": check(fp32, model, 1e-4), "int8": check(int8, model, 0.2)},
    }))


if __name__ == "__main__":
    main()
