// The elementwise kernels for any CPU: the compiler's baseline for the target (SSE2 on x86-64).
#define BS_SUFFIX portable
#include "elementwise_body.h"
