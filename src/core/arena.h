/* An arena: bump allocation from chunks, freed all at once.
 *
 * Request- and statement-scoped memory comes from here. An arena has an
 * optional cap on the bytes it hands out; an allocation past the cap returns
 * NULL, so a hostile request cannot make the server allocate without bound.
 * Not thread-safe: one arena belongs to one thread at a time. */
#ifndef EDDY_CORE_ARENA_H
#define EDDY_CORE_ARENA_H

#include <stddef.h>

typedef struct eddy_arena_chunk eddy_arena_chunk;

typedef struct eddy_arena {
    eddy_arena_chunk *head; /* newest chunk first */
    size_t chunk_size;      /* default chunk payload */
    size_t used;            /* bytes handed out since init/reset */
    size_t max;             /* cap on used; SIZE_MAX for none */
} eddy_arena;

/* chunk_size 0 picks 16 KiB; max 0 means no cap. */
void eddy_arena_init(eddy_arena *a, size_t chunk_size, size_t max);

/* Frees every chunk. */
void eddy_arena_deinit(eddy_arena *a);

/* Forgets every allocation but keeps one chunk for reuse. */
void eddy_arena_reset(eddy_arena *a);

/* Returns n bytes aligned to 16, or NULL on cap or out of memory. n == 0
 * returns a valid unique pointer. Memory lives until reset/deinit. */
void *eddy_arena_alloc(eddy_arena *a, size_t n);

/* Like eddy_arena_alloc, zero-filled. */
void *eddy_arena_calloc(eddy_arena *a, size_t count, size_t size);

/* Copies n bytes into the arena; NULL on failure. */
void *eddy_arena_memdup(eddy_arena *a, const void *p, size_t n);

/* Copies n bytes and a terminating NUL; NULL on failure. */
char *eddy_arena_strndup(eddy_arena *a, const char *s, size_t n);

#endif
