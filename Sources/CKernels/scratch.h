#ifndef BS_SCRATCH_H
#define BS_SCRATCH_H
#include <stddef.h>

/// This thread's scratch memory of at least `bytes`, 64-byte aligned: allocated on the thread's first
/// call (or when a call needs more), then kept, so the kernels called in every step allocate nothing
/// there; freed when the thread exits. One region per thread: a kernel takes it once per call and no
/// kernel calls another while holding it. Stops the process with a message when memory is exhausted
/// (at most a few MB per thread, so only when nothing else could run either).
void *bs_thread_scratch(size_t bytes);
/// A second region per thread, as bs_thread_scratch: an operand prepared for BLAS (bs_bf16_round_operand),
/// which must stay intact while a kernel may use the first region.
void *bs_thread_operand_scratch(size_t bytes);

#endif
