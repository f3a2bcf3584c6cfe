/* The libFuzzer entry points of the fuzz targets in tests/fuzz/ (tools/fuzz builds them with
 * clang -fsanitize=fuzzer; replay.c drives the same function over files in the ordinary builds).
 * Each fuzz_<what>.c defines LLVMFuzzerTestOneInput and aborts on any property it finds broken,
 * so that a finding is a crash with a reproducer. */
#ifndef ASYLSIM_FUZZ_H
#define ASYLSIM_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Runs the target on one input; always returns 0 (libFuzzer's contract). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
