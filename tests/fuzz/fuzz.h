/* Every fuzz target defines LLVMFuzzerTestOneInput. With clang and
 * -DEDDY_FUZZ=ON it links against libFuzzer; otherwise replay.c supplies a
 * main() that runs the target over the saved corpus, so the corpus (and every
 * crash found, saved as a regression input) runs in the normal test suite
 * under the label fuzz-regression. */
#ifndef EDDY_FUZZ_H
#define EDDY_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
