// The elementwise kernels for AVX2 + FMA (x86-64-v3), also used at the AVX-VNNI level.
#if defined(__x86_64__)
// System and shared headers first, outside the target region: only our functions get the attribute.
#include "CKernels.h"
#include <math.h>
#include <string.h>
#define BS_SUFFIX avx2
#include "elementwise.h"
#pragma clang attribute push(__attribute__((target("avx2,fma,bmi,bmi2,f16c,lzcnt,movbe"))), apply_to = function)
#include "elementwise_body.h"
#pragma clang attribute pop
#endif
