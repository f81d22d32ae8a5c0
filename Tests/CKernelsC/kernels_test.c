// The C kernels' own test, for architectures this project cannot run its Swift tests on: built for
// arm64 and run under qemu by scripts/test-arm64-kernels.sh (it also builds and runs natively).
//
//   kernels_test --features asimd,asimddp,i8mm,bf16 --int8 neon-i8mm --bf16 neon-bf16
//
// asserts that bs_cpu_features reports exactly these instruction sets, that the best int8 copy they
// allow (the rule KernelSet applies: the highest level the CPU supports) is the one named, and the
// native bf16 GEMM is there (neon-bf16, avx512-bf16) or not (fp32-widened); then checks every copy the
// CPU runs: each int8 copy bit for bit against the portable one, the bf16 GEMM against a
// double-precision reference within a worst-case bound, and the elementwise kernels against double
// precision. Exits 0 when all pass, 1 naming each failure.
#include "CKernels.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;

#define CHECK(condition, ...)                                                                                  \
    do {                                                                                                       \
        if (!(condition)) {                                                                                    \
            failures++;                                                                                        \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                                               \
            fprintf(stderr, __VA_ARGS__);                                                                      \
            fputc('\n', stderr);                                                                               \
        }                                                                                                      \
    } while (0)

// A fixed sequence in [-1, 1) (64-bit LCG), so runs are repeatable.
static uint64_t state = 42;
static float uniform(void) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (float)((double)(state >> 40) / (double)(1ull << 24) * 2 - 1);
}

static void *aligned(size_t bytes) {
    void *p = aligned_alloc(64, (bytes + 63) / 64 * 64);
    if (!p) abort();
    return p;
}

// The instruction sets bs_cpu_features names, as the Swift CPUFeatures spells them.
static const struct { unsigned bit; const char *name; } feature_names[] = {
    {BS_CPU_AVX2, "avx2"}, {BS_CPU_FMA, "fma"}, {BS_CPU_AVX_VNNI, "avxvnni"}, {BS_CPU_AVX512F, "avx512f"},
    {BS_CPU_AVX512BW, "avx512bw"}, {BS_CPU_AVX512CD, "avx512cd"}, {BS_CPU_AVX512DQ, "avx512dq"},
    {BS_CPU_AVX512VL, "avx512vl"}, {BS_CPU_AVX512BF16, "avx512bf16"}, {BS_CPU_AVX512VNNI, "avx512vnni"},
    {BS_CPU_ASIMD, "asimd"}, {BS_CPU_ASIMDDP, "asimddp"}, {BS_CPU_I8MM, "i8mm"}, {BS_CPU_BF16, "bf16"},
};
enum { FEATURE_COUNT = sizeof feature_names / sizeof feature_names[0] };

// The int8 copies, best first, with the instruction sets each needs (Int8Kernel's names).
static const struct { const char *name; int isa; unsigned needs; } int8_copies[] = {
    {"avx512-vnni", BS_ISA_AVX512,
     BS_CPU_AVX2 | BS_CPU_FMA | BS_CPU_AVX512F | BS_CPU_AVX512BW | BS_CPU_AVX512CD | BS_CPU_AVX512DQ | BS_CPU_AVX512VL |
         BS_CPU_AVX512VNNI},
    {"avx-vnni", BS_ISA_AVX_VNNI, BS_CPU_AVX2 | BS_CPU_FMA | BS_CPU_AVX_VNNI},
    {"avx2", BS_ISA_AVX2, BS_CPU_AVX2 | BS_CPU_FMA},
    {"neon-i8mm", BS_ISA_NEON_I8MM, BS_CPU_ASIMD | BS_CPU_ASIMDDP | BS_CPU_I8MM},
    {"neon-dotprod", BS_ISA_NEON_DOTPROD, BS_CPU_ASIMD | BS_CPU_ASIMDDP},
    {"neon", BS_ISA_NEON, BS_CPU_ASIMD},
    {"portable", BS_ISA_PORTABLE, 0},
};
enum { INT8_COPY_COUNT = sizeof int8_copies / sizeof int8_copies[0] };

static unsigned parse_features(const char *list) {
    unsigned bits = 0;
    char *copy = strdup(list), *save = NULL;
    for (char *name = strtok_r(copy, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
        int found = 0;
        for (int i = 0; i < FEATURE_COUNT; i++) {
            if (strcmp(name, feature_names[i].name) == 0) {
                bits |= feature_names[i].bit;
                found = 1;
            }
        }
        if (!found) {
            fprintf(stderr, "kernels_test: unknown instruction set '%s'\n", name);
            exit(2);
        }
    }
    free(copy);
    return bits;
}

static void print_features(const char *label, unsigned bits) {
    printf("%s:", label);
    for (int i = 0; i < FEATURE_COUNT; i++) {
        if (bits & feature_names[i].bit) printf(" %s", feature_names[i].name);
    }
    printf("\n");
}

// --- int8: every copy against the portable one, bit for bit ---

static void check_int8_case(int isa, const char *name, long m, long n, long k, long column_begin, long column_end,
                            int with_bias) {
    float *w = aligned((size_t)(n * k) * 4), *a = aligned((size_t)(m * k) * 4), *bias = aligned((size_t)n * 4);
    for (long i = 0; i < n * k; i++) w[i] = uniform();
    for (long i = 0; i < m * k; i++) a[i] = uniform() * (i % 7 == 0 ? 4.0f : 1.0f);
    for (long i = 0; i < n; i++) bias[i] = uniform();
    if (m > 1) memset(a + k, 0, (size_t)k * 4);  // a row of zeros: scale 1, all sums 0
    int8_t *packed = aligned((size_t)bs_int8_packed_count(n, k));
    float *scales = aligned((size_t)n * 4);
    int32_t *offsets = aligned((size_t)n * 4);
    bs_int8_pack_weights(packed, scales, offsets, w, n, k);
    float *expected = aligned((size_t)(m * n) * 4), *got = aligned((size_t)(m * n) * 4);
    for (long i = 0; i < m * n; i++) expected[i] = got[i] = 12345.0f;  // outside the range: untouched
    const float *b = with_bias ? bias : NULL;
    bs_int8_gemm(BS_ISA_PORTABLE, expected, n, a, k, packed, scales, offsets, b, m, k, column_begin, column_end);
    bs_int8_gemm(isa, got, n, a, k, packed, scales, offsets, b, m, k, column_begin, column_end);
    long differing = 0, first = -1;
    for (long i = 0; i < m * n; i++) {
        if (memcmp(&expected[i], &got[i], 4) != 0) {
            differing++;
            if (first < 0) first = i;
        }
    }
    CHECK(differing == 0, "int8 %s m=%ld n=%ld k=%ld columns %ld..<%ld bias=%d: %ld outputs differ from portable, "
          "first [%ld, %ld] %.9g vs %.9g", name, m, n, k, column_begin, column_end, with_bias, differing,
          first / n, first % n, first < 0 ? 0.0 : (double)got[first], first < 0 ? 0.0 : (double)expected[first]);
    // The portable copy itself against double precision from the same quantisation: exact int32 sums,
    // so only the epilogue's two roundings remain (and outputs outside the range stay untouched). Once,
    // on the portable copy's own run: the other copies are held to its outputs bit for bit above.
    for (long i = 0; i < m && isa == BS_ISA_PORTABLE; i++) {
        float largest = 0;
        for (long q = 0; q < k; q++) largest = fmaxf(largest, fabsf(a[i * k + q]));
        float inverse = largest > 0 ? 127 / largest : 0, row_scale = largest > 0 ? largest / 127 : 1;
        for (long j = 0; j < n; j++) {
            float value = expected[i * n + j], largest_w = 0;
            for (long q = 0; q < k; q++) largest_w = fmaxf(largest_w, fabsf(w[j * k + q]));
            if (j < column_begin || j >= column_end) {
                CHECK(value == 12345.0f, "int8 portable wrote column %ld outside %ld..<%ld", j, column_begin, column_end);
                continue;
            }
            int64_t sum = 0;
            for (long q = 0; q < k; q++) {
                long qa = lrintf(a[i * k + q] * inverse), qw = lrintf(w[j * k + q] * (127 / largest_w));
                sum += qa * (qw > 127 ? 127 : qw < -127 ? -127 : qw);
            }
            double reference = (double)sum * scales[j] * row_scale + (b ? b[j] : 0);
            CHECK(fabs(value - reference) <= 1e-5 * (fabs(reference) + 1), "int8 portable [%ld, %ld] %.9g vs %.9g",
                  i, j, (double)value, reference);
        }
    }
    free(w); free(a); free(bias); free(packed); free(scales); free(offsets); free(expected); free(got);
}

static void check_int8(int isa, const char *name) {
    static const long ks[] = {1, 3, 4, 5, 7, 8, 13, 64, 384, 385};
    static const long ms[] = {1, 2, 3, 5, 17, 200};
    static const long ns[] = {1, 15, 16, 17, 33, 96};
    for (int x = 0; x < 10; x++) {
        for (int y = 0; y < 6; y++) {
            for (int z = 0; z < 6; z++) check_int8_case(isa, name, ms[y], ns[z], ks[x], 0, ns[z], (x + y + z) % 2);
        }
    }
    check_int8_case(isa, name, 33, 100, 96, 32, 90, 1);  // a column range, as the callers split work
    check_int8_case(isa, name, 4, 1536, 384, 64, 1536, 1);
}

// --- bf16: the native GEMM against double precision ---

// x rounded to bf16 (the portable rounding, which packing shares), element by element.
static float *bf16_values(const float *x, long count) {
    float *rounded = aligned((size_t)count * 4);
    bs_bf16_round(BS_ISA_PORTABLE, rounded, x, 1, count, count);
    return rounded;
}

static void check_bf16_case(long m, long n, long k, int trans_a, int trans_b, int with_bias, int accumulate,
                            long column_begin, long column_end) {
    float *a = aligned((size_t)(m * k) * 4), *b = aligned((size_t)(n * k) * 4), *bias = aligned((size_t)n * 4);
    for (long i = 0; i < m * k; i++) a[i] = uniform();
    for (long i = 0; i < n * k; i++) b[i] = uniform();
    for (long i = 0; i < n; i++) bias[i] = uniform();
    float *out = aligned((size_t)(m * n) * 4), *initial = aligned((size_t)(m * n) * 4);
    for (long i = 0; i < m * n; i++) initial[i] = out[i] = accumulate ? uniform() : 12345.0f;
    long lda = trans_a ? m : k, ldb = trans_b ? k : n;
    uint16_t *packed = aligned((size_t)bs_bf16_packed_count(n, k) * 2);
    long panels = (n + 31) / 32;
    bs_bf16_pack_b(packed, b, ldb, trans_b, n, k, 0, panels / 2);  // two halves, as callers split packing
    bs_bf16_pack_b(packed, b, ldb, trans_b, n, k, panels / 2, panels);
    bs_bf16_gemm(out, n, a, lda, trans_a, packed, with_bias ? bias : NULL, m, k, column_begin, column_end, accumulate);
    // Arm's bfdot (and x86's vdpbf16ps) round each pair's sum and each addition: two roundings per pair,
    // each within one fp32 ulp (round to odd), so |error| ≤ 2·(k/2 + 1)·2⁻²³·(|start| + Σ|a·b|), a
    // bound a lost or misplaced term (|a·b| ≈ 0.25 on average) exceeds.
    float *a16 = bf16_values(a, m * k), *b16 = bf16_values(b, n * k);
    double worst = 0;
    for (long i = 0; i < m; i++) {
        for (long j = 0; j < n; j++) {
            double got = out[i * n + j];
            if (j < column_begin || j >= column_end) {
                CHECK(got == initial[i * n + j], "bf16 wrote column %ld outside %ld..<%ld", j, column_begin, column_end);
                continue;
            }
            double start = accumulate ? initial[i * n + j] : with_bias ? bias[j] : 0;
            double exact = start, magnitude = fabs(start);
            for (long q = 0; q < k; q++) {
                double x = trans_a ? a16[q * lda + i] : a16[i * lda + q];
                double y = trans_b ? b16[j * ldb + q] : b16[q * ldb + j];
                exact += x * y;
                magnitude += fabs(x * y);
            }
            double bound = 2.0 * (double)(k / 2 + 1) * 0x1p-23 * magnitude + 1e-30;
            if (fabs(got - exact) / bound > worst) worst = fabs(got - exact) / bound;
        }
    }
    CHECK(worst <= 1, "bf16 m=%ld n=%ld k=%ld transA=%d transB=%d bias=%d accumulate=%d: error %.3g × the bound", m,
          n, k, trans_a, trans_b, with_bias, accumulate, worst);
    free(a); free(b); free(bias); free(out); free(initial); free(packed); free(a16); free(b16);
}

static void check_bf16(void) {
    static const long ks[] = {1, 2, 3, 31, 384, 1536};
    static const long ms[] = {1, 3, 5, 129};
    static const long ns[] = {1, 17, 33, 384};
    for (int x = 0; x < 6; x++) {
        for (int y = 0; y < 4; y++) {
            for (int z = 0; z < 4; z++) {
                int variant = x + y + z;
                check_bf16_case(ms[y], ns[z], ks[x], variant % 2, variant % 3 != 0, variant % 2, variant % 5 == 0, 0,
                                ns[z]);
            }
        }
    }
    check_bf16_case(70, 100, 64, 0, 1, 1, 0, 32, 90);
    check_bf16_case(70, 100, 64, 1, 0, 0, 1, 64, 100);
}

// --- elementwise (the portable copy, NEON on arm64) against double precision ---

static void check_elementwise(void) {
    enum { ROWS = 7, WIDTH = 77, COUNT = ROWS * WIDTH };
    float x[COUNT], y[COUNT], mean[ROWS], rstd[ROWS], weight[WIDTH], bias[WIDTH], lse[ROWS];
    for (int i = 0; i < COUNT; i++) x[i] = 4 * uniform();
    for (int j = 0; j < WIDTH; j++) {
        weight[j] = 1 + uniform() / 2;
        bias[j] = uniform() / 2;
    }
    bs_gelu_forward(BS_ISA_PORTABLE, y, x, COUNT);
    for (int i = 0; i < COUNT; i++) {
        double v = x[i], reference = 0.5 * v * (1 + erf(v / sqrt(2.0)));
        CHECK(fabs(y[i] - reference) <= 2e-6 * (1 + fabs(reference)), "gelu(%g) = %.9g, not %.9g", v, (double)y[i], reference);
    }
    memcpy(y, x, sizeof y);
    bs_softmax_rows(BS_ISA_PORTABLE, y, ROWS, WIDTH, WIDTH, lse);
    for (int r = 0; r < ROWS; r++) {
        double total = 0, maximum = -INFINITY;
        for (int j = 0; j < WIDTH; j++) maximum = fmax(maximum, x[r * WIDTH + j]);
        for (int j = 0; j < WIDTH; j++) total += exp(x[r * WIDTH + j] - maximum);
        for (int j = 0; j < WIDTH; j++) {
            double reference = exp(x[r * WIDTH + j] - maximum) / total;
            CHECK(fabs(y[r * WIDTH + j] - reference) <= 1e-6 * reference + 1e-9, "softmax row %d [%d] %.9g vs %.9g", r,
                  j, (double)y[r * WIDTH + j], reference);
        }
        CHECK(fabs(lse[r] - (maximum + log(total))) <= 1e-5, "softmax log-sum-exp of row %d", r);
    }
    float copy[COUNT];
    memcpy(copy, x, sizeof copy);
    bs_layernorm_forward(BS_ISA_PORTABLE, y, mean, rstd, copy, NULL, 0, weight, bias, ROWS, WIDTH, 1e-12f);
    for (int r = 0; r < ROWS; r++) {
        double mu = 0, var = 0;
        for (int j = 0; j < WIDTH; j++) mu += x[r * WIDTH + j];
        mu /= WIDTH;
        for (int j = 0; j < WIDTH; j++) var += (x[r * WIDTH + j] - mu) * (x[r * WIDTH + j] - mu);
        double inv = 1 / sqrt(var / WIDTH + 1e-12);
        for (int j = 0; j < WIDTH; j++) {
            double reference = (x[r * WIDTH + j] - mu) * inv * weight[j] + bias[j];
            CHECK(fabs(y[r * WIDTH + j] - reference) <= 1e-5 * (1 + fabs(reference)), "layernorm row %d [%d] %.9g vs %.9g",
                  r, j, (double)y[r * WIDTH + j], reference);
        }
    }
    double squares = 0;
    for (int i = 0; i < COUNT; i++) squares += (double)x[i] * x[i];
    CHECK(fabs(bs_sum_squares(BS_ISA_PORTABLE, x, COUNT) - squares) <= 1e-5 * squares, "sum of squares");
    // bf16 rounding, bit for bit: nearest even at 8 significant bits, subnormals to signed zero.
    const float inputs[] = {1.0f, 1.00390625f, 1.0117188f, -3.1415927f, 1e-40f, -1e-40f, 65504.0f};
    const uint32_t expected[] = {0x3F800000u, 0x3F800000u, 0x3F820000u, 0xC0490000u, 0u, 0x80000000u, 0x47800000u};
    for (int i = 0; i < 7; i++) {
        float rounded;
        uint32_t bits;
        bs_bf16_round(BS_ISA_PORTABLE, &rounded, &inputs[i], 1, 1, 1);
        memcpy(&bits, &rounded, 4);
        CHECK(bits == expected[i], "bf16(%g) = %08x, not %08x", (double)inputs[i], bits, expected[i]);
    }
}

int main(int argc, char **argv) {
    const char *want_features = NULL, *want_int8 = NULL, *want_bf16 = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--features") == 0) want_features = argv[i + 1];
        else if (strcmp(argv[i], "--int8") == 0) want_int8 = argv[i + 1];
        else if (strcmp(argv[i], "--bf16") == 0) want_bf16 = argv[i + 1];
        else {
            fprintf(stderr, "usage: kernels_test [--features LIST] [--int8 COPY] [--bf16 KERNEL]\n");
            return 2;
        }
    }
    unsigned features = bs_cpu_features();
    print_features("detected", features);
    if (want_features) {
        unsigned want = parse_features(want_features);
        if (want != features) print_features("expected", want);
        CHECK(want == features, "bs_cpu_features differs from --features %s", want_features);
    }
    const char *best = NULL;
    for (int i = 0; i < INT8_COPY_COUNT; i++) {
        if ((int8_copies[i].needs & features) != int8_copies[i].needs) continue;
#if !defined(__x86_64__)
        if (int8_copies[i].needs & (BS_CPU_AVX2 | BS_CPU_AVX512F)) continue;
#endif
        if (!best) best = int8_copies[i].name;
        check_int8(int8_copies[i].isa, int8_copies[i].name);
        printf("int8 %s: bit for bit as portable\n", int8_copies[i].name);
    }
    printf("selected int8: %s\n", best);
    if (want_int8) CHECK(strcmp(want_int8, best) == 0, "selected int8 copy %s, expected %s", best, want_int8);
    const char *bf16 = features & BS_CPU_BF16 ? "neon-bf16" : features & BS_CPU_AVX512BF16 ? "avx512-bf16" : "fp32-widened";
    printf("selected bf16: %s\n", bf16);
    if (want_bf16) CHECK(strcmp(want_bf16, bf16) == 0, "selected bf16 %s, expected %s", bf16, want_bf16);
    if (strcmp(bf16, "fp32-widened") != 0) {
        check_bf16();
        printf("bf16 %s: within the bound\n", bf16);
    }
    check_elementwise();
    printf("elementwise: within tolerance of double precision\n");
    double peak = bs_fma_peak_gflops(
#if defined(__aarch64__)
        128,
#else
        256,
#endif
        0.05);
    CHECK(peak > 0, "bs_fma_peak_gflops gave %g", peak);
    printf(failures ? "kernels_test: %d FAILED\n" : "kernels_test: all passed\n", failures);
    return failures ? 1 : 0;
}
