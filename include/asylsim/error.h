/* Status codes and the error record every fallible asylsim function fills (style.md §4). Only
 * sim/cli prints an error or exits; everything else returns an as_status and fills an as_error,
 * which as_error_format() turns into one line in the formats of style.md §9. */
#ifndef ASYLSIM_ERROR_H
#define ASYLSIM_ERROR_H

#include <stddef.h>

typedef enum as_status {
    AS_OK = 0,
    AS_ERR_INPUT,       /* bad input or usage: exit 2 */
    AS_ERR_RUNTIME,     /* run-time failure (I/O, disk full, simulation failure): exit 1 */
    AS_ERR_NOMEM,       /* out of memory: exit 1 */
    AS_ERR_INTERRUPTED, /* SIGINT/SIGTERM: exit 130/143 */
} as_status;

#define AS_MUST_CHECK __attribute__((warn_unused_result))

typedef struct as_error {
    as_status code;    /* AS_OK if nothing failed */
    char file[512];    /* "" if not from a file */
    int line;          /* 1-based; 0 if unknown */
    char setting[128]; /* "benefits.monthly_adult_eur"; "" if none */
    char msg[512];
} as_error;

/* Clears `e` to AS_OK. */
void as_error_clear(as_error *e);

/* Fills `e` (file and setting may be NULL) and returns `code`, so callers can write
 * `return as_error_set(err, AS_ERR_INPUT, path, line, "run.reps", "must be at least 1");`. */
as_status as_error_set(as_error *e,
                       as_status code,
                       const char *file,
                       int line,
                       const char *setting,
                       const char *fmt,
                       ...) __attribute__((format(printf, 6, 7)));

/* Writes the one-line message of style.md §9 into buf (no newline):
 *   FILE:LINE: SETTING: msg | FILE: SETTING: msg | FILE:LINE: msg | FILE: msg | SETTING: msg | msg
 * Returns the length snprintf would have written. */
int as_error_format(const as_error *e, char *buf, size_t n);

#endif
