#include "CKernels.h"

// What the CPU and the OS support. On x86-64, from cpuid and xgetbv: a vector set counts only when the
// OS saves its registers on a context switch (XCR0), the ymm state for AVX2 and AVX-VNNI, and also the
// opmask and zmm state for AVX-512. On arm64, what the OS says the CPU and it support: the auxiliary
// vector's hwcaps on Linux (the kernel sets them only for features it enables), sysctl's
// hw.optional.arm.FEAT_* on macOS. Other architectures report no bits; their kernels are the portable
// ones.
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
#elif defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>

// Bits of AT_HWCAP and AT_HWCAP2 (the kernel's arch/arm64/include/uapi/asm/hwcap.h), spelled out so the
// file builds against C libraries older than the features.
enum { HWCAP_ASIMD_BIT = 1u << 1, HWCAP_ASIMDDP_BIT = 1u << 20, HWCAP2_I8MM_BIT = 1u << 13, HWCAP2_BF16_BIT = 1u << 14 };

unsigned bs_cpu_features(void) {
    unsigned long hwcap = getauxval(AT_HWCAP), hwcap2 = getauxval(AT_HWCAP2);
    unsigned features = 0;
    if (!(hwcap & HWCAP_ASIMD_BIT)) return 0;
    features |= BS_CPU_ASIMD;
    if (hwcap & HWCAP_ASIMDDP_BIT) features |= BS_CPU_ASIMDDP;
    if (hwcap2 & HWCAP2_I8MM_BIT) features |= BS_CPU_I8MM;
    if (hwcap2 & HWCAP2_BF16_BIT) features |= BS_CPU_BF16;
    return features;
}
#elif defined(__aarch64__) && defined(__APPLE__)
#include <sys/sysctl.h>

// Whether sysctl reports the named feature as 1 (absent keys, on older systems, count as no).
static int has_feature(const char *name) {
    int value = 0;
    size_t size = sizeof value;
    return sysctlbyname(name, &value, &size, NULL, 0) == 0 && value == 1;
}

unsigned bs_cpu_features(void) {
    unsigned features = BS_CPU_ASIMD;  // every Apple arm64 core
    if (has_feature("hw.optional.arm.FEAT_DotProd")) features |= BS_CPU_ASIMDDP;
    if (has_feature("hw.optional.arm.FEAT_I8MM")) features |= BS_CPU_I8MM;
    if (has_feature("hw.optional.arm.FEAT_BF16")) features |= BS_CPU_BF16;
    return features;
}
#else
unsigned bs_cpu_features(void) { return 0; }
#endif
