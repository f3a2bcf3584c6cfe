/* The yardstick for bench/hold: the same hold loop on a bare array-based 4-ary heap written inline
 * here, compiled with -O2, no engine in the timed loop. Same records (time, insertion sequence,
 * entity; ties pop in insertion order, as any deterministic simulator needs), same N initial times
 * and M Exp(1) increments from the same Philox streams, drawn before the clock starts, so the
 * checksum must equal bench/hold's. Usage and output as bench/hold: the last line is
 * `events_per_second: X`. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_randist.h>

#include "asylsim/rng.h"

typedef struct rec {
    double time;
    uint64_t seq;
    uint32_t entity;
} rec;

static inline int before(const rec *a, const rec *b)
{
    return a->time < b->time || (!(b->time < a->time) && a->seq < b->seq);
}

/* Adds x at a new leaf of the heap h[0..*len) and sifts it up. */
static inline void push(rec *h, size_t *len, rec x)
{
    size_t i = (*len)++;
    for (; i > 0 && before(&x, &h[(i - 1) / 4]); i = (i - 1) / 4) {
        h[i] = h[(i - 1) / 4];
    }
    h[i] = x;
}

int main(int argc, char **argv)
{
    size_t n = 100000, m = 5000000, seed = 2385, len = 0; /* pending, events, seed, heap size */
    for (int i = 1; i + 1 < argc; i += 2) { /* --pending N --events M --seed S, trusted */
        size_t *dst = strcmp(argv[i], "--pending") == 0  ? &n
                      : strcmp(argv[i], "--events") == 0 ? &m
                                                         : &seed;
        *dst = (size_t)strtod(argv[i + 1], NULL);
    }
    gsl_rng *r = as_rng_create();
    rec *h = malloc((n + 1) * sizeof *h);
    double *incr = malloc(m * sizeof *incr), checksum = 0;
    uint64_t seq = 0;
    if (!r || !h || !incr || n < 1) {
        return EXIT_FAILURE;
    }
    as_rng_seek(r, seed, 0, 0, 0, 1);
    for (size_t i = 0; i < m; i++) {
        incr[i] = gsl_ran_exponential(r, 1.0);
    }
    as_rng_seek(r, seed, 0, 0, 0, 0);
    for (size_t k = 0; k < n; k++) {
        push(h, &len, (rec){gsl_ran_exponential(r, 1.0), seq++, (uint32_t)k});
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (size_t e = 0; e < m; e++) {
        rec top = h[0], x = h[--len]; /* pop: sift the last record down from the root */
        size_t i = 0, c;
        while ((c = 4 * i + 1) < len) {
            size_t best = c, end = c + 4 < len ? c + 4 : len;
            for (size_t k = c + 1; k < end; k++) {
                best = before(&h[k], &h[best]) ? k : best;
            }
            if (!before(&h[best], &x)) {
                break;
            }
            h[i] = h[best];
            i = best;
        }
        h[i] = x;
        checksum += top.time;
        push(h, &len, (rec){top.time + incr[e], seq++, top.entity});
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    printf("structure: bare 4-ary heap inline (reference, -O2)\npending: %zu\nevents: %zu\n", n, m);
    printf("checksum: %.17g\nwall_seconds: %.6f\nevents_per_second: %.6g\n", checksum, s,
           (double)m / s);
    free(incr);
    free(h);
    gsl_rng_free(r);
    return EXIT_SUCCESS;
}
