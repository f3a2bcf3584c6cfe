/* Shared helpers of the unit tests: one PASS/FAIL line per behaviour (style.md §9) and the single
 * z used for every stochastic tolerance. Header-only so each test program stands alone. */
#ifndef ASYLSIM_TESTUTIL_H
#define ASYLSIM_TESTUTIL_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>

/* About 6e-7 false alarms per two-sided check (style.md §9). */
#define AS_TEST_Z 5.0

/* A p-value below this fails a goodness-of-fit test: the one-sided normal tail at AS_TEST_Z. */
static inline double as_test_p_min(void)
{
    return gsl_cdf_ugaussian_Q(AS_TEST_Z);
}

typedef struct as_test_state {
    int failed; /* checks failed in the current behaviour */
    int n_fail; /* behaviours failed */
    int n_pass; /* behaviours passed */
} as_test_state;

static inline void
as_check_(as_test_state *t, int ok, const char *file, int line, const char *fmt, ...)
{
    if (ok) {
        return;
    }
    t->failed++;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "  %s:%d: ", file, line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

#define AS_CHECK(t, cond, ...) as_check_((t), (cond) ? 1 : 0, __FILE__, __LINE__, __VA_ARGS__)

/* Runs one behaviour and prints its PASS/FAIL line. */
#define AS_RUN(t, fn)                                                                              \
    do {                                                                                           \
        (t)->failed = 0;                                                                           \
        fn(t);                                                                                     \
        printf("%s: %s\n", (t)->failed ? "FAIL" : "PASS", #fn);                                    \
        fflush(stdout);                                                                            \
        if ((t)->failed) {                                                                         \
            (t)->n_fail++;                                                                         \
        } else {                                                                                   \
            (t)->n_pass++;                                                                         \
        }                                                                                          \
    } while (0)

static inline int as_test_finish(const as_test_state *t)
{
    printf("%d passed, %d failed\n", t->n_pass, t->n_fail);
    return t->n_fail ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* |x - mu| within AS_TEST_Z standard errors. */
static inline int as_within_z(double x, double mu, double se)
{
    return fabs(x - mu) <= AS_TEST_Z * se;
}

#endif
