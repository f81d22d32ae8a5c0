"""Inputs every side of bench/run.sh reads, made the same way in each process: the random token batch of
`bertsent bench train|inference` (reproduced here, so PyTorch and ONNX Runtime score the very ids bertsent
does) and the first texts of a cleaned review CSV; and how every Python side times itself and reports its
peak memory. Needs only the standard library."""
import csv
import resource
import sys
import time

MASK64 = (1 << 64) - 1


class SeededGenerator:
    """bertsent's xoshiro256** seeded through SplitMix64 (Sources/BertSentCore/SeededGenerator.swift)."""

    def __init__(self, seed):
        x = seed
        state = []
        for _ in range(4):
            x = (x + 0x9E3779B97F4A7C15) & MASK64
            z = x
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
            state.append(z ^ (z >> 31))
        self.s = state

    @staticmethod
    def _rotl(x, k):
        return ((x << k) | (x >> (64 - k))) & MASK64

    def next(self):
        s = self.s
        result = (self._rotl((s[1] * 5) & MASK64, 7) * 9) & MASK64
        t = (s[1] << 17) & MASK64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = self._rotl(s[3], 45)
        return result


def bench_token_ids(vocab_size, batch, seq, seed=2):
    """The ids of StepBenchmark.randomBatch: batch rows of seq ids in [1000, vocab), no padding."""
    g = SeededGenerator(seed)
    span = max(1, vocab_size - 1000)
    return [[1000 + g.next() % span for _ in range(seq)] for _ in range(batch)]


def read_texts(path, count):
    """The first `count` reviews of a CSV with a review column (bertsent bench clean's output)."""
    csv.field_size_limit(sys.maxsize)
    with open(path, newline="", encoding="utf-8") as f:
        return [row["review"] for _, row in zip(range(count), csv.DictReader(f))]


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def timed(task, batch, seq, warmup, repetitions, body, tokens=None):
    for _ in range(warmup):
        body()
    seconds = []
    for _ in range(repetitions):
        start = time.perf_counter()
        body()
        seconds.append(time.perf_counter() - start)
    median = sorted(seconds)[len(seconds) // 2]
    return {"task": task, "batchSize": batch, "sequenceLength": seq, "seconds": seconds, "medianSeconds": median,
            "samplesPerSecond": batch / median, "peakResidentMegabytes": peak_rss_mb(), "tokens": tokens}
