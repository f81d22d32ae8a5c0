// Kernels that need the CPU's vector instructions, each compiled once per instruction-set level and
// chosen at run time by the caller: every entry point that has copies takes the level (`isa`, a
// bs_isa value) the caller's KernelSet picked, so the package needs no special compiler flags and a
// lower level can be forced on any machine (BERTSENT_ISA). Each function works on a range its Swift
// caller hands it; the callers split work across cores. The bf16 GEMM exists for AVX-512 BF16
// (bf16_avx512.c) and Arm's FEAT_BF16 (bf16_neon.c); elsewhere bf16 products are FP32 products of
// operands rounded by bs_bf16_round.
#pragma once
#include <stdint.h>

/// Instruction-set levels, each a superset of the one before on its architecture: portable C (the
/// compiler's baseline, any CPU); on x86-64 AVX2 + FMA, AVX-VNNI (AVX2 + 256-bit `vpdpbusd`), AVX-512
/// (F, BW, CD, DQ, VL); on arm64 NEON (every ARMv8-A core), NEON + SDOT (FEAT_DotProd: Graviton2,
/// Apple M1), NEON + SDOT + SMMLA (FEAT_I8MM: Graviton3, Apple M2). Each architecture's kernels take
/// only its own levels and portable.
enum {
    BS_ISA_PORTABLE = 0, BS_ISA_AVX2 = 1, BS_ISA_AVX_VNNI = 2, BS_ISA_AVX512 = 3,
    BS_ISA_NEON = 4, BS_ISA_NEON_DOTPROD = 5, BS_ISA_NEON_I8MM = 6
};

/// out[i] = GELU(inp[i]) = x·Φ(x) with erf from Abramowitz–Stegun 7.1.26 (|error| ≤ 1.5e-7, as PyTorch's CPU kernel).
void bs_gelu_forward(int isa, float *out, const float *inp, long count);
/// dinp[i] = dout[i] · (Φ(x) + x·φ(x)); dinp may alias dout.
void bs_gelu_backward(int isa, float *dinp, const float *dout, const float *inp, long count);
/// Softmax over the `width` entries of each of `rows` rows (row stride `stride`), in place; with
/// `log_sum_exp`, also writes each row's log Σ exp (rows floats), from which the backward pass
/// recomputes the probabilities.
void bs_softmax_rows(int isa, float *x, long rows, long width, long stride, float *log_sum_exp);
/// x[r, j] = exp(x[r, j] − log_sum_exp[r]) in place: softmax again from the scores and the
/// forward pass's log Σ exp.
void bs_softmax_recompute_rows(int isa, float *x, long rows, long width, long stride, const float *log_sum_exp);
/// For each row i of P (rows × valid, stride `stride`) and its gradient dP in place:
/// dP[i, j] = P[i, j] · (dP[i, j] − Σ_k P[i, k] dP[i, k]).
void bs_softmax_backward_rows(int isa, float *dp, const float *p, long rows, long valid, long stride);
/// x[i] = src[i] · (keep ? scale : 0) for i in 0..<count, where keep depends only on
/// (seed, stream, offset + i): the counter-based dropout mask.
void bs_dropout(int isa, float *x, const float *src, long count, uint64_t seed, uint64_t stream, long offset,
                uint32_t threshold, float scale);
/// Σ x[i]² in float, in blocks.
double bs_sum_squares(int isa, const float *x, long count);
/// One Adam/AdamW update of `count` parameters (torch semantics) from the gradient g·gradScale (the
/// clipping factor), leaving g zero: with `decoupled`, p ← p·(1 − lr·decay) first; otherwise
/// g ← g + decay·p. Then m ← m + (g − m)(1 − β1), v ← β2·v + (1 − β2)·g²,
/// p ← p − stepSize · m / (√v / correction2Root + ε). The four buffers do not overlap.
void bs_adam_update(int isa, float *p, float *g, float *m, float *v, long count, float gradScale, float lr, float decay,
                    float beta1, float beta2, float eps, float stepSize, float correction2Root, int decoupled);
/// LayerNorm of `rows` rows of width c: out = (x − mean)·rstd·w + b, caching mean and rstd. With a
/// `residual` (rows `residual_stride` apart), x = inp + residual is computed first and kept in inp.
void bs_layernorm_forward(int isa, float *out, float *mean, float *rstd, float *inp, const float *residual,
                          long residual_stride, const float *weight, const float *bias, long rows, long c, float eps);
/// LayerNorm's input gradient for `rows` rows (overwrites dinp).
void bs_layernorm_backward_input(int isa, float *dinp, const float *dout, const float *inp, const float *weight,
                                 const float *mean, const float *rstd, long rows, long c);
/// dst (rows × columns, dense) = src (rows × columns, row stride ld) rounded to bf16 and kept as float,
/// exactly as vcvtneps2bf16 rounds: nearest even, subnormals to zero of their sign, NaNs quiet. The
/// operands of bf16 products where the CPU has no bf16 dot product.
void bs_bf16_round(int isa, float *dst, const float *src, long rows, long columns, long ld);
/// bs_bf16_round into this thread's operand scratch, which it returns: valid until this thread's next
/// call, for the BLAS call that follows on the same thread.
const float *bs_bf16_round_operand(int isa, const float *src, long rows, long columns, long ld);
/// GFLOP/s of one thread running independent `bits`-wide (512: AVX-512, 256: AVX2, 128: NEON) fused
/// multiply-adds for about `seconds`: the core's FP32 ceiling. 0 when the CPU lacks that instruction set.
double bs_fma_peak_gflops(int bits, double seconds);

/// A hint to the core that the caller is spinning on a memory location (x86 `pause`, Arm `yield`), which
/// saves power and frees the pipeline for the sibling hyperthread.
static inline void bs_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}
/// Instruction sets bs_cpu_features reports (bits), each only when the OS also saves its registers. The
/// arm64 ones are Linux's names in /proc/cpuinfo: asimd (NEON), asimddp (SDOT), i8mm (SMMLA, USDOT),
/// bf16 (BFDOT, BFMMLA).
enum {
    BS_CPU_AVX512F = 1, BS_CPU_AVX512BW = 2, BS_CPU_AVX512VL = 4, BS_CPU_AVX512BF16 = 8, BS_CPU_AVX512VNNI = 16,
    BS_CPU_AVX2 = 32, BS_CPU_FMA = 64, BS_CPU_AVX_VNNI = 128, BS_CPU_AVX512DQ = 256, BS_CPU_AVX512CD = 512,
    BS_CPU_ASIMD = 1024, BS_CPU_ASIMDDP = 2048, BS_CPU_I8MM = 4096, BS_CPU_BF16 = 8192
};
/// The BS_CPU_* bits this CPU supports: from cpuid and xgetbv on x86-64, the auxiliary vector's hwcaps
/// on Linux arm64, sysctl's hw.optional.arm.FEAT_* on macOS (0 on other architectures).
unsigned bs_cpu_features(void);
/// uint16 elements of the packed bf16 form of op(B), k×n (an n×k weight): n rounded up to 32 columns ×
/// k rounded up to pairs.
long bs_bf16_packed_count(long n, long k);
/// Rounds op(B) (k×n) to bf16, nearest even, and packs columns panel_begin·32 ..< min(n, panel_end·32)
/// of it for bs_bf16_gemm into `packed` (bs_bf16_packed_count(n, k) elements for all panels, 64-byte
/// aligned): panels of 32 columns, each holding, for every pair of k, the 32 columns' two values side by
/// side as `vdpbf16ps` and `bfdot` read them. b is k×n with row stride ldb, or n×k when `transposed` (an
/// nn.Linear (out, in) weight: op(B) = Wᵀ). Disjoint panel ranges may be packed concurrently.
void bs_bf16_pack_b(uint16_t *packed, const float *b, long ldb, int transposed, long n, long k, long panel_begin,
                    long panel_end);
/// out[i, j] = start + Σ_k bf16(op(A)[i, k])·bf16(op(B)[k, j]), summed in fp32, for rows i in 0..<m and
/// columns j in column_begin..<column_end (column_begin a multiple of 32), op(B) packed by
/// bs_bf16_pack_b. op(A) is m×k: a is m×k with row stride lda, or k×m when `a_transposed`. start is
/// out[i, j] itself when `accumulate`, else bias[j], or 0 when bias is NULL. out has row stride ldo. Only
/// where the CPU has AVX-512 BF16 or FEAT_BF16, whose dot products round differently (Bf16Kernel).
void bs_bf16_gemm(float *out, long ldo, const float *a, long lda, int a_transposed, const uint16_t *packed,
                  const float *bias, long m, long k, long column_begin, long column_end, int accumulate);
/// Bytes of the packed int8 form of an n×k weight: n rounded up to 32 columns × k rounded up to quads.
long bs_int8_packed_count(long n, long k);
/// Quantises w (n×k fp32, row-major: nn.Linear's (out, in) weight) to int8, each row j symmetric with
/// scales[j] = max|w_j| / 127 (round to nearest even), and packs it for every copy of bs_int8_gemm into
/// `packed` (bs_int8_packed_count bytes, 64-byte aligned): panels of 32 rows of w, each holding, for
/// every quad of k, the 32 rows' four values side by side as `vpdpbusd` reads them. offsets[j] =
/// 128 · Σ_k q[j, k], what activations stored as unsigned bytes add to each sum.
void bs_int8_pack_weights(int8_t *packed, float *scales, int32_t *offsets, const float *w, long n, long k);
/// out[i, j] = bias[j] + s_i·scales[j]·Σ_k q_a[i, k]·q_w[j, k] for rows i in 0..<m and columns j in
/// column_begin..<column_end (column_begin a multiple of 32): each row of a (m×k, row stride lda)
/// quantised to int8 symmetric with s_i = max|a_i| / 127, sums exact in int32. bias may be NULL; out has
/// row stride ldo. `kernel` is the copy: BS_ISA_AVX512 (AVX-512 VNNI), BS_ISA_AVX_VNNI, BS_ISA_AVX2 (the
/// sign trick on `vpmaddubsw`), BS_ISA_NEON_I8MM (`smmla`), BS_ISA_NEON_DOTPROD (`sdot`), BS_ISA_NEON
/// (`smull` + `sadalp`) or BS_ISA_PORTABLE; all give the same outputs bit for bit (int8_gemm.h).
void bs_int8_gemm(int kernel, float *out, long ldo, const float *a, long lda, const int8_t *packed, const float *scales,
                  const int32_t *offsets, const float *bias, long m, long k, long column_begin, long column_end);
