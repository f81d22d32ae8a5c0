#ifndef BS_BF16_GEMM_H
#define BS_BF16_GEMM_H
// What the native bf16 GEMM's copies (bf16_avx512.c, bf16_neon.c) share: the packed layout of op(B),
// panels of BF16_NR columns, in each for every pair of k the columns' two bf16 values side by side as
// one 32-bit word, which `vdpbf16ps` and `bfdot` both read as a pair.
enum { BF16_NR = 32 };

static inline long bf16_pairs(long k) { return (k + 1) / 2; }

#endif
