"""A spot check of OpenVINO's FP32 CPU inference on bench/run.py's exported ONNX model (not part of run.py):
the median of `reps` runs of one batch of bertsent's own random ids, 2 threads, f32 precision (OpenVINO
would otherwise pick bf16 on CPUs with AVX-512 BF16). Needs `pip install openvino` in the bench venv.

    .venv-bench/bin/python bench/openvino_spot.py ~/.cache/bertsent/bench-data/onnx/<model>/fp32-plain-….onnx 32 128 15
"""
import statistics
import sys
import time

import numpy as np
import openvino as ov

from bench_inputs import bench_token_ids

path, batch, seq, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
model = ov.Core().compile_model(path, "CPU", {"INFERENCE_NUM_THREADS": 2, "PERFORMANCE_HINT": "LATENCY",
                                              "INFERENCE_PRECISION_HINT": "f32"})
ids = np.array(bench_token_ids(30522, batch, seq), dtype=np.int64)
feed = {}
for port in model.inputs:
    name = port.get_any_name()
    feed[name] = ids if "input_ids" in name else (np.ones_like(ids) if "mask" in name else np.zeros_like(ids))
request = model.create_infer_request()
for _ in range(2):
    request.infer(feed)
seconds = []
for _ in range(reps):
    start = time.perf_counter()
    request.infer(feed)
    seconds.append(time.perf_counter() - start)
print(f"openvino {ov.__version__} b{batch}×s{seq}: median {statistics.median(seconds) * 1000:.1f} ms")
