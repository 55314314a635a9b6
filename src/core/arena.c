/* Arena allocator (see arena.h). */
#include "core/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ALIGN 16

struct eddy_arena_chunk {
    eddy_arena_chunk *next;
    size_t size; /* payload bytes */
    size_t off;  /* next free payload byte */
    _Alignas(ALIGN) unsigned char data[];
};

void eddy_arena_init(eddy_arena *a, size_t chunk_size, size_t max)
{
    a->head = NULL;
    a->chunk_size = chunk_size ? chunk_size : 16 * 1024;
    a->used = 0;
    a->max = max ? max : SIZE_MAX;
}

void eddy_arena_deinit(eddy_arena *a)
{
    eddy_arena_chunk *c = a->head;
    while (c) {
        eddy_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
    a->used = 0;
}

void eddy_arena_reset(eddy_arena *a)
{
    if (!a->head) {
        return;
    }
    /* Keep the newest chunk (it is at least chunk_size), free the rest. */
    eddy_arena_chunk *keep = a->head;
    eddy_arena_chunk *c = keep->next;
    while (c) {
        eddy_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    keep->next = NULL;
    keep->off = 0;
    a->head = keep;
    a->used = 0;
}

void *eddy_arena_alloc(eddy_arena *a, size_t n)
{
    size_t rounded = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (n > SIZE_MAX - ALIGN || rounded > a->max - a->used) {
        return NULL;
    }
    if (rounded == 0) {
        rounded = ALIGN;
    }
    eddy_arena_chunk *c = a->head;
    if (!c || c->size - c->off < rounded) {
        size_t size = rounded > a->chunk_size ? rounded : a->chunk_size;
        c = malloc(sizeof *c + size);
        if (!c) {
            return NULL;
        }
        c->size = size;
        c->off = 0;
        if (a->head && rounded > a->chunk_size) {
            /* A big one-off allocation goes behind the current chunk so the
             * current chunk's free space stays usable. */
            c->next = a->head->next;
            a->head->next = c;
        } else {
            c->next = a->head;
            a->head = c;
        }
    }
    void *p = c->data + c->off;
    c->off += rounded;
    a->used += rounded;
    return p;
}

void *eddy_arena_calloc(eddy_arena *a, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size) {
        return NULL;
    }
    void *p = eddy_arena_alloc(a, count * size);
    if (p) {
        memset(p, 0, count * size);
    }
    return p;
}

void *eddy_arena_memdup(eddy_arena *a, const void *p, size_t n)
{
    void *d = eddy_arena_alloc(a, n);
    if (d && n) {
        memcpy(d, p, n);
    }
    return d;
}

char *eddy_arena_strndup(eddy_arena *a, const char *s, size_t n)
{
    if (n == SIZE_MAX) {
        return NULL;
    }
    char *d = eddy_arena_alloc(a, n + 1);
    if (d) {
        if (n) {
            memcpy(d, s, n);
        }
        d[n] = '\0';
    }
    return d;
}
