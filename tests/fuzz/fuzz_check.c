/* The checks every fuzz target makes of a reader: a failure is clean (style.md §4 and §9), and
 * the reader never prints. */
#include "fuzz.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void as_fuzz_fail(const char *target, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", target);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

long long as_fuzz_stdout_size(void)
{
    fflush(stdout);
    struct stat st;
    if (fstat(STDOUT_FILENO, &st) != 0 || !S_ISREG(st.st_mode)) {
        return -1;
    }
    return (long long)st.st_size;
}

void as_fuzz_check_error(
        const char *target, as_status st, int returned, const char *what, const as_error *err)
{
    if (returned) {
        as_fuzz_fail(target, "status %d but %s was returned", (int)st, what);
    }
    if (st != AS_ERR_INPUT && st != AS_ERR_NOMEM) {
        as_fuzz_fail(target, "unexpected status %d", (int)st);
    }
    if (err->code != st) {
        as_fuzz_fail(target, "status %d but err.code %d", (int)st, (int)err->code);
    }
    char buf[1400];
    int n = as_error_format(err, buf, sizeof buf);
    if (n <= 0 || !err->msg[0]) {
        as_fuzz_fail(target, "empty error message");
    }
    if (strchr(buf, '\n') || strchr(buf, '\r')) {
        as_fuzz_fail(target, "error message spans lines: %s", buf);
    }
    if (err->line < 0) {
        as_fuzz_fail(target, "negative line in: %s", buf);
    }
}

const char *as_fuzz_dir(void)
{
    const char *d = getenv("ASYLSIM_FUZZ_DIR");
    if (d && *d) {
        return d;
    }
#ifdef AS_FUZZ_DIR
    return AS_FUZZ_DIR;
#else
    return ".";
#endif
}
