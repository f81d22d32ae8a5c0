#ifndef BS_BF16_ROUND_H
#define BS_BF16_ROUND_H
// One float rounded to bf16 as x86's vcvtneps2bf16 rounds, bit for bit: nearest even; subnormal inputs
// become zero of their sign (the instruction treats them as zero); NaNs stay NaN, made quiet. The
// widened bf16 path (bs_bf16_round) and the Arm packing use it, so every path rounds its operands alike.
#include <stdint.h>
#include <string.h>

static inline uint32_t bf16_round_bits(float x) {
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    uint32_t magnitude = u & 0x7FFFFFFFu;
    if ((u & 0x7F800000u) == 0) {
        u &= 0x80000000u;
    } else if (magnitude > 0x7F800000u) {
        u |= 0x00400000u;
    } else {
        u += 0x7FFFu + ((u >> 16) & 1u);
    }
    return u & 0xFFFF0000u;
}

static inline float round_to_bf16(float x) {
    uint32_t u = bf16_round_bits(x);
    memcpy(&x, &u, sizeof x);
    return x;
}

#endif
