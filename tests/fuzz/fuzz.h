/* The libFuzzer entry points of the fuzz targets in tests/fuzz/ (tools/fuzz builds them with
 * clang -fsanitize=fuzzer; replay.c drives the same function over files in the ordinary builds).
 * Each fuzz_<what>.c defines LLVMFuzzerTestOneInput and aborts on any property it finds broken,
 * so that a finding is a crash with a reproducer. */
#ifndef ASYLSIM_FUZZ_H
#define ASYLSIM_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "asylsim/error.h"

/* Runs the target on one input; always returns 0 (libFuzzer's contract). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- fuzz_check.c: checks every target makes; each target's sources include it ---- */

/* Prints "<target>: <message>" on stderr and aborts (a finding for libFuzzer). */
void as_fuzz_fail(const char *target, const char *fmt, ...)
        __attribute__((format(printf, 2, 3), noreturn));

/* Size of standard output when it is a regular file (everything written flushed first); -1 for a
 * terminal or a pipe, where nothing can be measured. */
long long as_fuzz_stdout_size(void);

/* A failure: a status, nothing returned (`returned` is 0; else "status N but <what> was
 * returned"), a non-empty message on one line. Fails as `target`. */
void as_fuzz_check_error(
        const char *target, as_status st, int returned, const char *what, const as_error *err);

/* The folder of real files the input's `base`, `@include` and targets names resolve against:
 * $ASYLSIM_FUZZ_DIR, else the AS_FUZZ_DIR the build defines (tools/fuzz), else ".". */
const char *as_fuzz_dir(void);

#endif
