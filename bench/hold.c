/* The classic hold model on the engine's event queue (as_queue): N events pending; each hold
 * operation pops the least event and pushes it back at its time plus an Exp(1) increment. The
 * N initial times and the M increments are drawn before the clock starts, with
 * gsl_ran_exponential(r, 1.0) from the Philox stream (seed, 0, 0, 0, substream 0 and 1), so the
 * figure is the queue's alone and a reference loop over the same arrays does the same work.
 *
 * The queue is used as the engine offers it: with far buckets of automatic width
 * (as_queue_set_far(q, 0, ...)), which stay off below 16,384 pending events; --heap-only keeps the
 * heap alone.
 *
 * Usage: hold [--pending N] [--events M] [--seed S] [--heap-only]   (defaults 100000, 5000000,
 * 2385). Prints the structure, the bucket width reached (not with --heap-only), the parameters,
 * the wall seconds, a checksum of the popped times, and as its last line `events_per_second: X`
 * (hold operations per second). */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "asylsim/engine.h"
#include "asylsim/rng.h"

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void usage(void)
{
    fprintf(stderr, "usage: hold [--pending N] [--events M] [--seed S] [--heap-only]\n");
    exit(2);
}

/* A positive count; accepts 1e6 as well as 1000000. */
static size_t parse_count(const char *s)
{
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (end == s || *end != '\0' || errno != 0 || !(x >= 1) || x > 1e12) {
        usage();
    }
    return (size_t)x;
}

int main(int argc, char **argv)
{
    size_t pending = 100000, events = 5000000;
    uint64_t seed = 2385;
    int heap_only = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--pending") == 0 && i + 1 < argc) {
            pending = parse_count(argv[++i]);
        } else if (strcmp(argv[i], "--events") == 0 && i + 1 < argc) {
            events = parse_count(argv[++i]);
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            seed = (uint64_t)parse_count(argv[++i]);
        } else if (strcmp(argv[i], "--heap-only") == 0) {
            heap_only = 1;
        } else {
            usage();
        }
    }
    gsl_rng *r = as_rng_create();
    double *init = malloc(pending * sizeof *init);
    double *incr = malloc(events * sizeof *incr);
    as_queue *q = as_queue_create(pending + 1);
    if (!r || !init || !incr || !q || (!heap_only && as_queue_set_far(q, 0, NULL, NULL) != AS_OK)) {
        fprintf(stderr, "hold: out of memory\n");
        return EXIT_FAILURE;
    }
    as_rng_seek(r, seed, 0, 0, 0, 0);
    for (size_t i = 0; i < pending; i++) {
        init[i] = gsl_ran_exponential(r, 1.0);
    }
    as_rng_seek(r, seed, 0, 0, 0, 1);
    for (size_t i = 0; i < events; i++) {
        incr[i] = gsl_ran_exponential(r, 1.0);
    }
    for (size_t i = 0; i < pending; i++) {
        if (as_queue_push(q, init[i], (uint32_t)i, 0, 0) != AS_OK) {
            fprintf(stderr, "hold: out of memory\n");
            return EXIT_FAILURE;
        }
    }

    double checksum = 0;
    double t0 = now_seconds();
    for (size_t i = 0; i < events; i++) {
        as_event ev;
        if (!as_queue_pop(q, &ev) ||
            as_queue_push(q, ev.time + incr[i], ev.entity, ev.process, ev.epoch) != AS_OK) {
            fprintf(stderr, "hold: queue failed\n");
            return EXIT_FAILURE;
        }
        checksum += ev.time;
    }
    double seconds = now_seconds() - t0;

    uint64_t changes = 0;
    double width = as_queue_width(q, &changes);
    printf("structure: as_queue (4-ary heap, times apart%s)\n",
           heap_only ? "; heap only" : "; far buckets of automatic width");
    if (!heap_only) {
        printf("bucket_width: %.6g (after %" PRIu64 " changes)\n", width, changes);
    }
    printf("pending: %zu\n", pending);
    printf("events: %zu\n", events);
    printf("seed: %" PRIu64 "\n", seed);
    printf("increments: Exp(1), pre-drawn with gsl_ran_exponential from the Philox stream\n");
    printf("checksum: %.17g\n", checksum);
    printf("wall_seconds: %.6f\n", seconds);
    printf("events_per_second: %.6g\n", (double)events / seconds);
    as_queue_destroy(q);
    free(incr);
    free(init);
    gsl_rng_free(r);
    return EXIT_SUCCESS;
}
