// The elementwise kernels for AVX-512 F/BW/CD/DQ/VL (x86-64-v4).
#if defined(__x86_64__)
// System and shared headers first, outside the target region: only our functions get the attribute.
#include "CKernels.h"
#include <math.h>
#include <string.h>
#define BS_SUFFIX avx512
#include "elementwise.h"
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512cd,avx512dq,avx512vl,avx2,fma,bmi,bmi2,f16c,lzcnt,movbe"))), apply_to = function)
#include "elementwise_body.h"
#pragma clang attribute pop
#endif
