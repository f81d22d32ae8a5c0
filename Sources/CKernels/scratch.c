#include "scratch.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

enum { SLOTS = 2 };

struct scratch {
    void *memory[SLOTS];
    size_t bytes[SLOTS];
};

static pthread_key_t key;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void release(void *pointer) {
    struct scratch *scratch = pointer;
    for (int slot = 0; slot < SLOTS; slot++) free(scratch->memory[slot]);
    free(scratch);
}

static void create_key(void) {
    if (pthread_key_create(&key, release) != 0) {
        fputs("bertsent: cannot create the kernels' thread-local scratch key\n", stderr);
        abort();
    }
}

static void out_of_memory(size_t bytes) {
    fprintf(stderr, "bertsent: out of memory: a kernel's scratch of %zu bytes could not be allocated\n", bytes);
    abort();
}

static void *slot_memory(int slot, size_t bytes) {
    pthread_once(&once, create_key);
    struct scratch *scratch = pthread_getspecific(key);
    if (!scratch) {
        scratch = calloc(1, sizeof *scratch);
        if (!scratch || pthread_setspecific(key, scratch) != 0) out_of_memory(sizeof *scratch);
    }
    if (scratch->bytes[slot] < bytes) {
        size_t rounded = (bytes + 63) / 64 * 64;
        void *memory = aligned_alloc(64, rounded);
        if (!memory) out_of_memory(rounded);
        free(scratch->memory[slot]);
        scratch->memory[slot] = memory;
        scratch->bytes[slot] = rounded;
    }
    return scratch->memory[slot];
}

void *bs_thread_scratch(size_t bytes) { return slot_memory(0, bytes); }

void *bs_thread_operand_scratch(size_t bytes) { return slot_memory(1, bytes); }
