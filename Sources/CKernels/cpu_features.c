#include "CKernels.h"

// What the CPU and the OS support, from cpuid and xgetbv on x86-64. A vector set counts only when
// the OS saves its registers on a context switch (XCR0): the ymm state for AVX2 and AVX-VNNI, and also
// the opmask and zmm state for AVX-512. Other architectures report no bits here until they get their
// own detection; their kernels are the portable ones.
#if defined(__x86_64__)
#include <cpuid.h>

unsigned bs_cpu_features(void) {
    unsigned eax, ebx, ecx, edx, features = 0;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & bit_OSXSAVE)) return 0;
    int has_fma = (ecx & bit_FMA) != 0;
    unsigned xcr0_low, xcr0_high;
    __asm__("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
    int ymm_saved = (xcr0_low & 0x6) == 0x6, zmm_saved = (xcr0_low & 0xE6) == 0xE6;
    if (!ymm_saved || !__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    unsigned leaf7_ebx = ebx, leaf7_ecx = ecx;
    unsigned leaf7_1_eax = __get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx) ? eax : 0;
    if (leaf7_ebx & bit_AVX2) features |= BS_CPU_AVX2;
    if (has_fma) features |= BS_CPU_FMA;
    if (leaf7_1_eax & (1u << 4)) features |= BS_CPU_AVX_VNNI;
    if (zmm_saved) {
        if (leaf7_ebx & bit_AVX512F) features |= BS_CPU_AVX512F;
        if (leaf7_ebx & bit_AVX512BW) features |= BS_CPU_AVX512BW;
        if (leaf7_ebx & bit_AVX512VL) features |= BS_CPU_AVX512VL;
        if (leaf7_ebx & bit_AVX512DQ) features |= BS_CPU_AVX512DQ;
        if (leaf7_ebx & bit_AVX512CD) features |= BS_CPU_AVX512CD;
        if (leaf7_ecx & bit_AVX512VNNI) features |= BS_CPU_AVX512VNNI;
        if (leaf7_1_eax & (1u << 5)) features |= BS_CPU_AVX512BF16;
    }
    return features;
}
#else
unsigned bs_cpu_features(void) { return 0; }
#endif
