/* Tests of the event queue (as_queue_*): random push/pop sequences with many equal times checked
 * against a naive reference (linear scan for the least (time, seq)), the sequence numbering and
 * its restart on clear, growth past the initial capacity, peek, and the O(n) filter the engine
 * uses to drop stale events. */
#include "asylsim/engine.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "asylsim/rng.h"
#include "sim/engine/heap.h"
#include "testutil.h"

static const uint64_t seeds[3] = {1, 2385, 0xfedcba9876543210ULL};

/* The reference: an unordered array; pop is a linear scan for the least (time, seq). */
typedef struct ref_queue {
    as_event *ev;
    size_t n;
    uint64_t seq;
} ref_queue;

static int ref_less(const as_event *a, const as_event *b)
{
    return a->time < b->time || (!(b->time < a->time) && a->seq < b->seq);
}

static void ref_push(ref_queue *r, double time, uint32_t entity, uint16_t process, uint16_t epoch)
{
    r->ev[r->n++] = (as_event){time, r->seq++, entity, process, epoch};
}

static int ref_pop(ref_queue *r, as_event *out)
{
    if (r->n == 0) {
        return 0;
    }
    size_t m = 0;
    for (size_t i = 1; i < r->n; i++) {
        if (ref_less(&r->ev[i], &r->ev[m])) {
            m = i;
        }
    }
    *out = r->ev[m];
    r->ev[m] = r->ev[--r->n];
    return 1;
}

static int same_event(const as_event *a, const as_event *b)
{
    return memcmp(&a->time, &b->time, sizeof a->time) == 0 && a->seq == b->seq &&
           a->entity == b->entity && a->process == b->process && a->epoch == b->epoch;
}

/* Random operations: pushes at times drawn from few values (ties are the rule), pops, peeks. */
static void test_random_against_reference(as_test_state *t)
{
    enum {
        OPS = 200000,
        MAX_N = OPS
    };
    gsl_rng *r = as_rng_create();
    ref_queue ref = {malloc(MAX_N * sizeof(as_event)), 0, 0};
    for (int s = 0; s < 3; s++) {
        as_rng_seek(r, seeds[s], 0, 0, 0, 0);
        as_queue *q = as_queue_create(1);
        ref.n = 0;
        ref.seq = 0;
        int bad = 0;
        /* Phases of mostly pushing, then mostly popping, so the size sweeps up and down. */
        for (size_t i = 0; i < OPS && !bad; i++) {
            double p_push = (i / 10000) % 2 ? 0.3 : 0.7;
            if (gsl_rng_uniform(r) < p_push) {
                /* 16 distinct times, offset 2.385: ties among many events. */
                double time = 2.385 + (double)gsl_rng_uniform_int(r, 16) * 0.25;
                uint32_t entity = (uint32_t)gsl_rng_get(r);
                uint16_t proc = (uint16_t)gsl_rng_uniform_int(r, 7);
                uint16_t epoch = (uint16_t)gsl_rng_uniform_int(r, 65536);
                bad |= as_queue_push(q, time, entity, proc, epoch) != AS_OK;
                ref_push(&ref, time, entity, proc, epoch);
            } else {
                /* Peek is borrowed until the pop, so copy it first. */
                as_event a, b, peeked = {0};
                const as_event *pk = as_queue_peek(q);
                if (pk) {
                    peeked = *pk;
                }
                int got = as_queue_pop(q, &a), want = ref_pop(&ref, &b);
                if (got != want ||
                    (got && (!same_event(&a, &b) || !pk || !same_event(&peeked, &a)))) {
                    bad = 1;
                }
                if (!got && pk) {
                    bad = 1;
                }
            }
            if (as_queue_size(q) != ref.n) {
                bad = 1;
            }
        }
        /* Drain. */
        as_event a, b;
        while (!bad && ref_pop(&ref, &b)) {
            bad |= !as_queue_pop(q, &a) || !same_event(&a, &b);
        }
        bad |= as_queue_pop(q, &a) != 0;
        AS_CHECK(t, !bad, "seed %d: the queue and the reference disagree", s);
        as_queue_destroy(q);
    }
    free(ref.ev);
    gsl_rng_free(r);
}

static void test_ties_pop_in_insertion_order(as_test_state *t)
{
    as_queue *q = as_queue_create(4);
    /* Interleave two times; within each time the entities must come back in push order. */
    for (uint32_t i = 0; i < 1000; i++) {
        AS_CHECK(t, as_queue_push(q, (i % 2) ? 2.385 : 7.25, i, 0, 0) == AS_OK, "push");
    }
    as_event ev;
    uint32_t expect = 1;
    int bad = 0;
    for (int i = 0; i < 1000; i++) {
        int ok = as_queue_pop(q, &ev) == 1 && ev.entity == expect && ev.seq == expect;
        if (!ok && bad++ == 0) {
            fprintf(stderr, "  pop %d: entity %u seq %llu, expected %u\n", i, (unsigned)ev.entity,
                    (unsigned long long)ev.seq, (unsigned)expect);
        }
        expect = expect == 999 ? 0 : expect + 2;
    }
    AS_CHECK(t, bad == 0, "%d pops out of insertion order", bad);
    as_queue_destroy(q);
}

static void test_clear_restarts_sequence(as_test_state *t)
{
    as_queue *q = as_queue_create(2);
    for (uint32_t i = 0; i < 50; i++) {
        AS_CHECK(t, as_queue_push(q, 2.385 * i, i, 1, 2) == AS_OK, "push");
    }
    as_queue_clear(q);
    AS_CHECK(t, as_queue_size(q) == 0 && as_queue_peek(q) == NULL, "cleared queue is empty");
    as_event ev;
    AS_CHECK(t, as_queue_pop(q, &ev) == 0, "pop on a cleared queue");
    AS_CHECK(t, as_queue_push(q, 3.5, 7, 1, 2) == AS_OK, "push");
    AS_CHECK(t, as_queue_push(q, 3.5, 8, 1, 2) == AS_OK, "push");
    AS_CHECK(t, as_queue_pop(q, &ev) == 1 && ev.seq == 0 && ev.entity == 7, "first seq is 0");
    AS_CHECK(t, as_queue_pop(q, &ev) == 1 && ev.seq == 1 && ev.entity == 8, "second seq is 1");
    as_queue_destroy(q);
}

static void test_push_after_growth(as_test_state *t)
{
    /* Capacity 0 and 1 both grow; times decreasing so every push sifts to the root. */
    for (size_t cap = 0; cap < 2; cap++) {
        as_queue *q = as_queue_create(cap);
        AS_CHECK(t, q != NULL, "create(%zu)", cap);
        const uint32_t n = 100000;
        for (uint32_t i = 0; i < n; i++) {
            AS_CHECK(t, as_queue_push(q, 1e5 - 0.5 * i, i, 3, 4) == AS_OK, "push %u", (unsigned)i);
        }
        AS_CHECK(t, as_queue_size(q) == n, "size");
        as_event ev;
        int ordered = 1;
        for (uint32_t i = 0; i < n; i++) {
            ordered &= as_queue_pop(q, &ev) && ev.entity == n - 1 - i && ev.seq == n - 1 - i &&
                       ev.process == 3 && ev.epoch == 4;
        }
        AS_CHECK(t, ordered, "cap %zu: pops in time order after growth", cap);
        AS_CHECK(t, as_queue_size(q) == 0, "empty");
        as_queue_destroy(q);
    }
}

static void test_peek(as_test_state *t)
{
    as_queue *q = as_queue_create(8);
    AS_CHECK(t, as_queue_peek(q) == NULL, "peek on empty");
    AS_CHECK(t, as_queue_push(q, 5.5, 1, 0, 0) == AS_OK, "push");
    AS_CHECK(t, as_queue_push(q, 2.385, 2, 0, 0) == AS_OK, "push");
    AS_CHECK(t, as_queue_push(q, 2.385, 3, 0, 0) == AS_OK, "push");
    const as_event *p = as_queue_peek(q);
    AS_CHECK(t, p && p->entity == 2 && p->seq == 1, "peek gives the least (time, seq)");
    AS_CHECK(t, as_queue_size(q) == 3, "peek removes nothing");
    as_event ev;
    AS_CHECK(t, as_queue_pop(q, &ev) && ev.entity == 2, "pop after peek");
    p = as_queue_peek(q);
    AS_CHECK(t, p && p->entity == 3, "the tie is next");
    as_queue_destroy(q);
}

static void test_create_failure(as_test_state *t)
{
    /* An impossible capacity fails cleanly (the NULL path of the constructor). */
    AS_CHECK(t, as_queue_create(SIZE_MAX) == NULL, "create(SIZE_MAX) returns NULL");
    AS_CHECK(t, as_queue_create(SIZE_MAX / 2) == NULL, "create(SIZE_MAX / 2) returns NULL");
    as_queue_destroy(NULL);
}

static int keep_odd_entity(const as_event *ev, void *ctx)
{
    (void)ctx;
    return ev->entity % 2 == 1;
}

static void test_filter_keeps_order(as_test_state *t)
{
    gsl_rng *r = as_rng_create();
    enum {
        N = 20000
    };
    ref_queue ref = {malloc(N * sizeof(as_event)), 0, 0};
    for (int s = 0; s < 3; s++) {
        as_rng_seek(r, seeds[s], 0, 0, 0, 1);
        as_queue *q = as_queue_create(16);
        ref.n = 0;
        ref.seq = 0;
        for (uint32_t i = 0; i < N; i++) {
            double time = (double)gsl_rng_uniform_int(r, 50);
            AS_CHECK(t, as_queue_push(q, time, i, 0, 0) == AS_OK, "push");
            ref_push(&ref, time, i, 0, 0);
        }
        as_queue_filter(q, keep_odd_entity, NULL);
        size_t kept = 0;
        for (size_t i = 0; i < ref.n; i++) {
            if (keep_odd_entity(&ref.ev[i], NULL)) {
                ref.ev[kept++] = ref.ev[i];
            }
        }
        ref.n = kept;
        AS_CHECK(t, as_queue_size(q) == kept, "seed %d: size after filter", s);
        /* A push after the filter continues the sequence. */
        AS_CHECK(t, as_queue_push(q, 0.5, 1, 0, 0) == AS_OK, "push");
        ref_push(&ref, 0.5, 1, 0, 0);
        as_event a, b;
        int bad = 0;
        while (ref_pop(&ref, &b)) {
            bad |= !as_queue_pop(q, &a) || !same_event(&a, &b);
        }
        AS_CHECK(t, !bad && as_queue_size(q) == 0, "seed %d: filtered queue pops like reference",
                 s);
        as_queue_destroy(q);
    }
    free(ref.ev);
    gsl_rng_free(r);
}

/* Pops the next event that `keep` (NULL: any) accepts; 0 if none is left. */
static int pop_kept(as_queue *q, as_event *out, int (*keep)(const as_event *ev, void *ctx))
{
    while (as_queue_pop(q, out)) {
        if (!keep || keep(out, NULL)) {
            return 1;
        }
    }
    return 0;
}

/* Far buckets of automatic width against the heap alone, on one sequence of operations: the
 * queue size sweeps up past the 16,384 events at which buckets begin and down again, and the
 * scale of the increments jumps by factors up to 1e6 between phases, so the width is narrowed
 * and widened many times, in mid-run. Some pushes land at the time last popped (ties in the
 * heap's bucket), some on a coarse grid (ties among far events), some far beyond the ring. With
 * `keep`, the buckets drop refused events on their way in; both queues must then give the same
 * sequence of accepted events. A cleared queue learns its width again. */
static void auto_width_against_heap(as_test_state *t, int (*keep)(const as_event *ev, void *ctx))
{
    static const double scale[] = {1.0, 1e-3, 50.0, 1e3, 0.02, 1.0, 1e-3, 1e3, 5.0, 1e-2};
    enum {
        PHASE_OPS = 60000
    };
    const size_t n_phases = sizeof scale / sizeof scale[0];
    gsl_rng *r = as_rng_create();
    as_queue *b = as_queue_create(16);
    int set_ok = b && as_queue_set_far(b, 0.0, keep, NULL) == AS_OK;
    AS_CHECK(t, set_ok, "automatic far buckets made");
    for (int s = 0; set_ok && s < 3; s++) {
        as_rng_seek(r, seeds[s], 0, 0, 0, 5);
        as_queue *a = as_queue_create(16);
        as_queue_clear(b);
        double now = 0;
        int bad = 0;
        uint64_t pops = 0, changes_mid = 0;
        for (size_t ph = 0; ph < n_phases && !bad; ph++) {
            double p_push = ph % 2 == 0 ? 0.8 : 0.35, sc = scale[ph];
            for (size_t i = 0; i < PHASE_OPS && !bad; i++) {
                if (gsl_rng_uniform(r) < p_push) {
                    double u = gsl_rng_uniform(r), time;
                    if (u < 0.05) {
                        time = now; /* a tie with the least */
                    } else if (u < 0.15) {
                        time = now + sc * (double)gsl_rng_uniform_int(r, 4); /* coarse grid */
                    } else if (u < 0.17) {
                        time = now + sc * 1e4 * gsl_rng_uniform(r); /* beyond the ring */
                    } else {
                        time = now + sc * -log1p(-gsl_rng_uniform(r));
                    }
                    uint32_t entity = (uint32_t)gsl_rng_get(r);
                    uint16_t epoch = (uint16_t)gsl_rng_uniform_int(r, 65536);
                    bad |= as_queue_push(a, time, entity, 1, epoch) != AS_OK;
                    bad |= as_queue_push(b, time, entity, 1, epoch) != AS_OK;
                } else {
                    as_event x, y;
                    int got_a = pop_kept(a, &x, keep), got_b = pop_kept(b, &y, keep);
                    bad |= got_a != got_b || (got_a && !same_event(&x, &y));
                    if (got_a) {
                        now = x.time;
                        pops++;
                    }
                    const as_event *pa = as_queue_peek(a), *pb = as_queue_peek(b);
                    bad |= !keep && ((pa == NULL) != (pb == NULL) || (pa && !same_event(pa, pb)));
                }
                bad |= !keep && as_queue_size(a) != as_queue_size(b);
            }
            if (ph == n_phases / 2) {
                (void)as_queue_width(b, &changes_mid);
            }
        }
        as_event x, y;
        while (!bad && pop_kept(a, &x, keep)) {
            bad |= !pop_kept(b, &y, keep) || !same_event(&x, &y);
        }
        bad |= pop_kept(b, &y, keep) != 0;
        uint64_t changes = 0;
        (void)as_queue_width(b, &changes);
        AS_CHECK(t, !bad, "seed %d%s: automatic width pops like the heap (%llu pops)", s,
                 keep ? " with keep" : "", (unsigned long long)pops);
        AS_CHECK(t, changes_mid >= 2 && changes > changes_mid + 1,
                 "seed %d: the width changed in both halves (%llu, then %llu)", s,
                 (unsigned long long)changes_mid, (unsigned long long)changes);
        AS_CHECK(t, !as_queue_failed(b), "seed %d: never failed", s);
        as_queue_destroy(a);
    }
    as_queue_destroy(b);
    gsl_rng_free(r);
}

static void test_auto_width_against_heap(as_test_state *t)
{
    auto_width_against_heap(t, NULL);
    auto_width_against_heap(t, keep_odd_entity);
}

int main(void)
{
    as_test_state t = {0};
    AS_RUN(&t, test_random_against_reference);
    AS_RUN(&t, test_ties_pop_in_insertion_order);
    AS_RUN(&t, test_clear_restarts_sequence);
    AS_RUN(&t, test_push_after_growth);
    AS_RUN(&t, test_peek);
    AS_RUN(&t, test_create_failure);
    AS_RUN(&t, test_filter_keeps_order);
    AS_RUN(&t, test_auto_width_against_heap);
    return as_test_finish(&t);
}
