/* Tests of the engine (as_engine_*): schedule, replace and cancel semantics, the clock, `before`,
 * ties, reset and reserve; random operation sequences checked against a naive reference model
 * (one live event per pair, the next event found by a linear scan); and the rebuild that drops
 * stale events (it keeps exactly the live ones, bounds the queue, and keeps epochs from wrapping
 * onto a queued stale event). */
#include "asylsim/engine.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "asylsim/rng.h"
#include "sim/engine/engine_internal.h"
#include "testutil.h"

static const uint64_t seeds[3] = {1, 2385, 0xfedcba9876543210ULL};

/* Exact comparison of times the test itself chose (no arithmetic between them). */
static int same_time(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

static void test_schedule_and_next(as_test_state *t)
{
    as_engine *e = as_engine_create(3, 10);
    AS_CHECK(t, e != NULL, "create");
    AS_CHECK(t, same_time(as_engine_now(e), 0.0), "clock starts at 0");
    AS_CHECK(t, as_engine_schedule(e, 7.5, 4, 2) == AS_OK, "schedule");
    AS_CHECK(t, as_engine_schedule(e, 2.385, 9, 0) == AS_OK, "schedule");
    AS_CHECK(t, as_engine_is_pending(e, 4, 2) && as_engine_is_pending(e, 9, 0), "pending");
    AS_CHECK(t, !as_engine_is_pending(e, 4, 1), "another process of the entity is not pending");
    as_event ev;
    AS_CHECK(t, as_engine_next(e, INFINITY, &ev) == 1, "next");
    AS_CHECK(t, ev.entity == 9 && ev.process == 0 && same_time(ev.time, 2.385), "earliest first");
    AS_CHECK(t, same_time(as_engine_now(e), 2.385), "clock advanced to the event");
    AS_CHECK(t, !as_engine_is_pending(e, 9, 0), "a returned event is no longer pending");
    /* Scheduling at the current time is allowed and pops next. */
    AS_CHECK(t, as_engine_schedule(e, 2.385, 1, 1) == AS_OK, "schedule at now");
    AS_CHECK(t, as_engine_next(e, INFINITY, &ev) == 1 && ev.entity == 1, "event at now");
    AS_CHECK(t, as_engine_next(e, INFINITY, &ev) == 1 && ev.entity == 4 && ev.process == 2,
             "then the later one");
    AS_CHECK(t, same_time(as_engine_now(e), 7.5), "clock at 7.5");
    AS_CHECK(t, as_engine_next(e, INFINITY, &ev) == 0, "nothing left");
    AS_CHECK(t, same_time(as_engine_now(e), 7.5), "clock unchanged when nothing pops");
    as_engine_destroy(e);
}

static void test_replace_drops_old(as_test_state *t)
{
    as_engine *e = as_engine_create(2, 4);
    as_event ev;
    AS_CHECK(t, as_engine_schedule(e, 3.0, 1, 1) == AS_OK, "schedule");
    AS_CHECK(t, as_engine_schedule(e, 5.25, 1, 1) == AS_OK, "replace later");
    AS_CHECK(t, as_engine_schedule(e, 4.0, 2, 0) == AS_OK, "other pair");
    AS_CHECK(t, as_engine_next(e, INFINITY, &ev) == 1 && ev.entity == 2, "old time dropped");
    AS_CHECK(t, as_engine_next(e, INFINITY, &ev) == 1 && ev.entity == 1 && same_time(ev.time, 5.25),
             "replacement fires at its time");
    AS_CHECK(t, as_engine_next(e, INFINITY, &ev) == 0, "fires once");
    /* Replace with an earlier time. */
    AS_CHECK(t, as_engine_schedule(e, 9.0, 3, 0) == AS_OK, "schedule");
    AS_CHECK(t, as_engine_schedule(e, 6.0, 3, 0) == AS_OK, "replace earlier");
    AS_CHECK(t, as_engine_next(e, INFINITY, &ev) == 1 && same_time(ev.time, 6.0), "earlier one");
    AS_CHECK(t, as_engine_next(e, INFINITY, &ev) == 0, "the 9.0 event is stale");
    as_engine_destroy(e);
}

static void test_cancel(as_test_state *t)
{
    as_engine *e = as_engine_create(2, 4);
    as_event ev;
    AS_CHECK(t, as_engine_schedule(e, 3.0, 0, 1) == AS_OK, "schedule");
    AS_CHECK(t, as_engine_schedule(e, 4.0, 1, 1) == AS_OK, "schedule");
    as_engine_cancel(e, 0, 1);
    AS_CHECK(t, !as_engine_is_pending(e, 0, 1), "not pending after cancel");
    as_engine_cancel(e, 0, 1); /* twice is harmless */
    as_engine_cancel(e, 3, 0); /* never scheduled: harmless */
    AS_CHECK(t, as_engine_next(e, INFINITY, &ev) == 1 && ev.entity == 1, "cancelled never fires");
    AS_CHECK(t, as_engine_next(e, INFINITY, &ev) == 0, "nothing else");
    /* Schedule again after cancel. */
    AS_CHECK(t, as_engine_schedule(e, 8.0, 0, 1) == AS_OK, "schedule again");
    AS_CHECK(t, as_engine_next(e, INFINITY, &ev) == 1 && ev.entity == 0 && same_time(ev.time, 8.0),
             "fires after re-scheduling");
    as_engine_destroy(e);
}

static void test_infinity_only_cancels(as_test_state *t)
{
    as_engine *e = as_engine_create(1, 4);
    as_event ev;
    AS_CHECK(t, as_engine_schedule(e, 3.0, 2, 0) == AS_OK, "schedule");
    AS_CHECK(t, as_engine_schedule(e, INFINITY, 2, 0) == AS_OK, "schedule at INFINITY");
    AS_CHECK(t, !as_engine_is_pending(e, 2, 0), "INFINITY cancels");
    AS_CHECK(t, as_engine_schedule(e, INFINITY, 3, 0) == AS_OK, "INFINITY on an idle pair");
    AS_CHECK(t, !as_engine_is_pending(e, 3, 0), "and queues nothing");
    AS_CHECK(t, as_engine_next(e, INFINITY, &ev) == 0, "nothing fires");
    AS_CHECK(t, as_engine_queued(e) == 0, "nothing queued");
    as_engine_destroy(e);
}

static void test_next_respects_before(as_test_state *t)
{
    as_engine *e = as_engine_create(1, 4);
    as_event ev;
    AS_CHECK(t, as_engine_schedule(e, 5.0, 1, 0) == AS_OK, "schedule");
    AS_CHECK(t, as_engine_next(e, 4.5, &ev) == 0, "not before 4.5");
    AS_CHECK(t, as_engine_next(e, 5.0, &ev) == 0, "before is strict");
    AS_CHECK(t, same_time(as_engine_now(e), 0.0), "clock unchanged");
    AS_CHECK(t, as_engine_is_pending(e, 1, 0), "event left queued");
    AS_CHECK(t, as_engine_next(e, nextafter(5.0, 6.0), &ev) == 1 && same_time(ev.time, 5.0),
             "pops just after");
    /* A stale event before `before` is dropped, the live one after it stays. */
    AS_CHECK(t, as_engine_schedule(e, 6.0, 1, 0) == AS_OK, "schedule");
    AS_CHECK(t, as_engine_schedule(e, 9.0, 1, 0) == AS_OK, "replace");
    AS_CHECK(t, as_engine_next(e, 8.0, &ev) == 0, "stale 6.0 not returned");
    AS_CHECK(t, as_engine_is_pending(e, 1, 0), "9.0 still pending");
    AS_CHECK(t, same_time(as_engine_now(e), 5.0), "clock unchanged by a stale pop");
    AS_CHECK(t, as_engine_next(e, 10.0, &ev) == 1 && same_time(ev.time, 9.0), "9.0 pops");
    as_engine_destroy(e);
}

static void test_ties_in_insertion_order(as_test_state *t)
{
    as_engine *e = as_engine_create(4, 100);
    /* 100 pairs at one time; then re-schedule a few at the same time: they move to the back. */
    for (uint32_t i = 0; i < 100; i++) {
        AS_CHECK(t, as_engine_schedule(e, 2.385, 99 - i, i % 4) == AS_OK, "schedule");
    }
    AS_CHECK(t, as_engine_schedule(e, 2.385, 99, 0) == AS_OK, "re-schedule the first");
    AS_CHECK(t, as_engine_schedule(e, 2.385, 50, 1) == AS_OK, "re-schedule another");
    as_event ev;
    int ok = 1;
    for (uint32_t i = 1; i < 100; i++) {
        if (i == 49) {
            continue; /* entity 50 was re-scheduled */
        }
        ok &= as_engine_next(e, INFINITY, &ev) == 1 && ev.entity == 99 - i && ev.process == i % 4;
    }
    ok &= as_engine_next(e, INFINITY, &ev) == 1 && ev.entity == 99 && ev.process == 0;
    ok &= as_engine_next(e, INFINITY, &ev) == 1 && ev.entity == 50 && ev.process == 1;
    ok &= as_engine_next(e, INFINITY, &ev) == 0;
    AS_CHECK(t, ok, "equal times pop in scheduling order");
    as_engine_destroy(e);
}

/* The reference model: one slot per pair; the next event is the least (time, order) by scan.
 * `order` counts pushes exactly as the queue's sequence does. */
typedef struct ref_pair {
    int pending;
    double time;
    uint64_t order;
} ref_pair;

typedef struct ref_engine {
    ref_pair *pair;
    size_t n_entities;
    unsigned n_proc;
    uint64_t order;
    double now;
} ref_engine;

static void ref_schedule(ref_engine *r, double time, uint32_t entity, unsigned proc)
{
    ref_pair *p = &r->pair[(size_t)entity * r->n_proc + proc];
    if (isinf(time)) {
        p->pending = 0;
        return;
    }
    p->pending = 1;
    p->time = time;
    p->order = r->order++;
}

static int ref_next(ref_engine *r, double before, size_t *which)
{
    size_t best = SIZE_MAX;
    for (size_t i = 0; i < r->n_entities * r->n_proc; i++) {
        const ref_pair *p = &r->pair[i];
        if (!p->pending || !(p->time < before)) {
            continue;
        }
        if (best == SIZE_MAX || p->time < r->pair[best].time ||
            (!(r->pair[best].time < p->time) && p->order < r->pair[best].order)) {
            best = i;
        }
    }
    if (best == SIZE_MAX) {
        return 0;
    }
    r->pair[best].pending = 0;
    r->now = r->pair[best].time;
    *which = best;
    return 1;
}

/* The engine against the reference, with the heap alone (far = 0) or with far buckets of width
 * `far` days (1: a few buckets ahead; 0.01: beyond the ring of 256 buckets too). */
static void random_against_reference(as_test_state *t, double far)
{
    enum {
        OPS = 300000,
        MAX_ENTITIES = 64,
        N_PROC = 3
    };
    gsl_rng *r = as_rng_create();
    for (int s = 0; s < 3; s++) {
        as_rng_seek(r, seeds[s], 0, 0, 0, 2);
        as_engine *e = as_engine_create(N_PROC, 8);
        if (far > 0 && as_engine_set_far(e, far) != AS_OK) {
            AS_CHECK(t, 0, "out of memory");
            return;
        }
        ref_engine ref = {calloc(MAX_ENTITIES * N_PROC, sizeof(ref_pair)), 8, N_PROC, 0, 0};
        int bad = 0, bound_ok = 1;
        uint64_t live_pops = 0, pushes = 0;
        for (size_t i = 0; i < OPS && !bad; i++) {
            double u = gsl_rng_uniform(r);
            uint32_t entity = (uint32_t)gsl_rng_uniform_int(r, ref.n_entities);
            unsigned proc = (unsigned)gsl_rng_uniform_int(r, N_PROC);
            size_t k = (size_t)entity * N_PROC + proc;
            size_t live = 0;
            for (size_t j = 0; j < ref.n_entities * N_PROC; j++) {
                live += (size_t)ref.pair[j].pending;
            }
            if (u < 0.45) {
                /* Times on a grid of 0.5 days from now: many ties. 5% never (INFINITY). */
                double time = gsl_rng_uniform(r) < 0.05
                                      ? INFINITY
                                      : ref.now + 0.5 * (double)gsl_rng_uniform_int(r, 8);
                int was = ref.pair[k].pending;
                bad |= as_engine_schedule(e, time, entity, proc) != AS_OK;
                ref_schedule(&ref, time, entity, proc);
                pushes += !isinf(time);
                if (was) {
                    size_t now_live = live - 1 + (size_t)ref.pair[k].pending;
                    bound_ok &= as_engine_queued(e) - now_live <= now_live;
                }
            } else if (u < 0.55) {
                int was = ref.pair[k].pending;
                as_engine_cancel(e, entity, proc);
                ref.pair[k].pending = 0;
                if (was) {
                    bound_ok &= as_engine_queued(e) - (live - 1) <= live - 1;
                }
            } else if (u < 0.95) {
                double before =
                        gsl_rng_uniform(r) < 0.2 ? INFINITY : ref.now + 3.0 * gsl_rng_uniform(r);
                as_event ev;
                size_t which = 0;
                int got = as_engine_next(e, before, &ev);
                int want = ref_next(&ref, before, &which);
                if (got != want) {
                    bad = 1;
                } else if (got) {
                    const ref_pair *p = &ref.pair[which];
                    bad |= (size_t)ev.entity * N_PROC + ev.process != which;
                    bad |= !same_time(ev.time, p->time) || ev.seq != p->order;
                    live_pops++;
                }
                bad |= !same_time(as_engine_now(e), ref.now);
            } else if (u < 0.999) {
                bad |= as_engine_is_pending(e, entity, proc) != ref.pair[k].pending;
            } else if (ref.n_entities < MAX_ENTITIES) {
                ref.n_entities += 1 + gsl_rng_uniform_int(r, 4);
                ref.n_entities = ref.n_entities > MAX_ENTITIES ? MAX_ENTITIES : ref.n_entities;
                bad |= as_engine_reserve(e, ref.n_entities) != AS_OK;
            }
        }
        AS_CHECK(t, !bad, "seed %d, far %g: engine and reference disagree", s, far);
        AS_CHECK(t, bound_ok, "seed %d: stale events outnumbered live ones after a re-time", s);
        for (size_t j = 0; j < ref.n_entities * N_PROC; j++) {
            bad |= as_engine_is_pending(e, (uint32_t)(j / N_PROC), (unsigned)(j % N_PROC)) !=
                   ref.pair[j].pending;
        }
        AS_CHECK(t, !bad, "seed %d: pending flags agree at the end", s);
        /* Every push is accounted for: returned, dropped when popped, purged, or still queued. */
        uint64_t stale = as_engine_events_stale(e);
        AS_CHECK(t, as_engine_events_popped(e) == live_pops + stale, "seed %d: popped count", s);
        AS_CHECK(t, pushes == live_pops + stale + as_engine_events_purged(e) + as_engine_queued(e),
                 "seed %d: pushes accounted for", s);
        AS_CHECK(t, as_engine_purges(e) > 0, "seed %d: the rebuild was exercised", s);
        free(ref.pair);
        as_engine_destroy(e);
    }
    gsl_rng_free(r);
}

static void test_random_against_reference(as_test_state *t)
{
    random_against_reference(t, 0.0);
    random_against_reference(t, 1.0);
    random_against_reference(t, 0.01);
}

static void test_purge_keeps_exactly_live(as_test_state *t)
{
    enum {
        N = 1000
    };
    as_engine *e = as_engine_create(2, N);
    /* N live events, one cancelled (1 stale, N - 1 live); then one pair re-timed until the
     * stale events outnumber the live ones, which must trigger exactly one rebuild. */
    for (uint32_t i = 0; i < N; i++) {
        AS_CHECK(t, as_engine_schedule(e, 10.0 + 0.25 * (i % 40), i, i % 2) == AS_OK, "schedule");
    }
    as_engine_cancel(e, 7, 1);
    size_t retimes = 0;
    while (as_engine_purges(e) == 0 && retimes < 10 * N) {
        AS_CHECK(t, as_engine_schedule(e, 3.0 + 0.5 * (double)(retimes % 3), 5, 1) == AS_OK,
                 "re-time");
        retimes++;
    }
    AS_CHECK(t, as_engine_purges(e) == 1, "a rebuild happened");
    /* After r re-times: 1 + r stale, N - 1 live; the first r with 1 + r > N - 1 is N - 1. */
    AS_CHECK(t, retimes == N - 1, "the rebuild came when stale events outnumbered live ones (%zu)",
             retimes);
    AS_CHECK(t, as_engine_events_purged(e) == N, "it dropped the %d stale events", N);
    AS_CHECK(t, as_engine_queued(e) == N - 1, "exactly the %d live events remain (%zu)", N - 1,
             as_engine_queued(e));
    /* Drain: N live events in (time, order) order, none stale. */
    as_event ev;
    size_t n = 0;
    double last = -1;
    int ordered = 1;
    while (as_engine_next(e, INFINITY, &ev)) {
        ordered &= !(ev.time < last);
        last = ev.time;
        n++;
    }
    AS_CHECK(t, n == N - 1 && ordered, "drained %zu events in order", n);
    AS_CHECK(t, as_engine_events_stale(e) == 0, "no stale event popped after the rebuild");
    as_engine_destroy(e);
}

static void test_epoch_wrap(as_test_state *t)
{
    /* Re-time one pair 3 * 2^15 times, at later and later times, while LIVE > 3 * 2^15 others
     * stay live, so the stale events never outnumber the live ones. Its 15-bit epoch wraps three
     * times; only the rebuilds when its epoch reaches a multiple of 2^14 keep its first event
     * (time 10, epoch 0) from passing for the live one when the epoch comes back to 0. */
    enum {
        LIVE = 100000,
        SCHEDULES = 3 * 32768 + 1
    };
    as_engine *e = as_engine_create(1, LIVE + 1);
    for (uint32_t i = 1; i <= LIVE; i++) {
        AS_CHECK(t, as_engine_schedule(e, 100.0, i, 0) == AS_OK, "schedule");
    }
    for (uint32_t k = 0; k < SCHEDULES; k++) {
        AS_CHECK(t, as_engine_schedule(e, 10.0 + 0.0001 * k, 0, 0) == AS_OK, "re-time");
    }
    as_event ev;
    AS_CHECK(t, as_engine_next(e, INFINITY, &ev) == 1 && ev.entity == 0, "the re-timed pair");
    AS_CHECK(t, same_time(ev.time, 10.0 + 0.0001 * (SCHEDULES - 1)), "at its last time, not %g",
             ev.time);
    AS_CHECK(t,
             as_engine_next(e, INFINITY, &ev) == 1 && ev.entity == 1 && same_time(ev.time, 100.0),
             "then the others");
    AS_CHECK(t, as_engine_purges(e) == (SCHEDULES - 1) / 16384,
             "rebuilds at every 2^14 re-times of the pair (%llu)",
             (unsigned long long)as_engine_purges(e));
    as_engine_destroy(e);
}

static void test_spread_retimes_need_no_rebuild(as_test_state *t)
{
    /* Re-timing each of LIVE > 2^15 pairs once leaves as many stale events as live ones: no pair
     * nears an epoch wrap and the stale events do not outnumber the live ones, so the queue is not
     * rescanned (it once was, every UINT16_MAX stale events: a quarter of scale-eu's run time). */
    enum {
        LIVE = 100000
    };
    as_engine *e = as_engine_create(1, LIVE);
    for (uint32_t i = 0; i < LIVE; i++) {
        AS_CHECK(t, as_engine_schedule(e, 100.0 + 0.001 * i, i, 0) == AS_OK, "schedule");
    }
    for (uint32_t i = 0; i < LIVE; i++) {
        AS_CHECK(t, as_engine_schedule(e, 50.0 + 0.001 * i, i, 0) == AS_OK, "re-time");
    }
    AS_CHECK(t, as_engine_purges(e) == 0, "no rebuild (%llu)",
             (unsigned long long)as_engine_purges(e));
    AS_CHECK(t, as_engine_queued(e) == 2 * LIVE, "every stale event still queued");
    as_event ev;
    size_t n = 0;
    int ordered = 1;
    while (as_engine_next(e, INFINITY, &ev)) {
        ordered &= ev.entity == n && same_time(ev.time, 50.0 + 0.001 * n);
        n++;
    }
    AS_CHECK(t, n == LIVE && ordered, "the re-timed events, each once, in order");
    AS_CHECK(t, as_engine_events_stale(e) == LIVE, "the old ones dropped as stale");
    as_engine_destroy(e);
}

/* Pops everything, hashing the records, so two engines can be compared. */
static uint64_t drain_hash(as_engine *e)
{
    uint64_t h = 1469598103934665603ULL;
    as_event ev;
    while (as_engine_next(e, INFINITY, &ev)) {
        unsigned char b[24];
        memcpy(b, &ev.time, 8);
        memcpy(b + 8, &ev.seq, 8);
        memcpy(b + 16, &ev.entity, 4);
        memcpy(b + 20, &ev.process, 2);
        memcpy(b + 22, &ev.epoch, 2);
        for (int i = 0; i < 24; i++) {
            h = (h ^ b[i]) * 1099511628211ULL;
        }
    }
    return h;
}

/* A fixed sequence of schedules, replacements and cancels; returns the number that failed. */
static int script(as_engine *e)
{
    int failed = 0;
    for (uint32_t i = 0; i < 200; i++) {
        failed += as_engine_schedule(e, 1.0 + (i % 7), i, i % 3) != AS_OK;
        if (i % 5 == 0) {
            failed += as_engine_schedule(e, 2.0 + (i % 3), i, i % 3) != AS_OK;
        }
        if (i % 11 == 0) {
            as_engine_cancel(e, i, i % 3);
        }
    }
    return failed;
}

static void test_reset_like_new(as_test_state *t)
{
    as_engine *a = as_engine_create(3, 200);
    as_engine *b = as_engine_create(3, 200);
    AS_CHECK(t, script(a) == 0, "script");
    as_event ev;
    for (int i = 0; i < 50; i++) {
        (void)as_engine_next(a, INFINITY, &ev);
    }
    as_engine_reset(a);
    AS_CHECK(t, same_time(as_engine_now(a), 0.0), "clock back to 0");
    AS_CHECK(t, as_engine_next(a, INFINITY, &ev) == 0, "no events after reset");
    AS_CHECK(t, !as_engine_is_pending(a, 3, 0), "nothing pending");
    AS_CHECK(t, as_engine_events_popped(a) == 0 && as_engine_events_stale(a) == 0, "counters");
    AS_CHECK(t, script(a) == 0 && script(b) == 0, "script");
    AS_CHECK(t, drain_hash(a) == drain_hash(b), "a reset engine replays a new one exactly");
    as_engine_destroy(a);
    as_engine_destroy(b);
}

static void test_reserve(as_test_state *t)
{
    as_engine *e = as_engine_create(5, 0);
    AS_CHECK(t, e != NULL, "create with no entities");
    AS_CHECK(t, as_engine_reserve(e, 3) == AS_OK, "reserve 3");
    AS_CHECK(t, as_engine_schedule(e, 1.5, 2, 4) == AS_OK, "schedule entity 2");
    for (size_t n = 4; n < 5000; n += 7) {
        AS_CHECK(t, as_engine_reserve(e, n) == AS_OK, "reserve %zu", n);
    }
    AS_CHECK(t, as_engine_is_pending(e, 2, 4), "growth keeps pending flags");
    AS_CHECK(t, !as_engine_is_pending(e, 4990, 4), "new entities are idle");
    AS_CHECK(t, as_engine_schedule(e, 0.5, 4990, 4) == AS_OK, "schedule a new entity");
    AS_CHECK(t, as_engine_reserve(e, 10) == AS_OK, "reserving fewer changes nothing");
    AS_CHECK(t, as_engine_reserve(e, SIZE_MAX) == AS_ERR_NOMEM, "impossible reserve fails");
    as_event ev;
    AS_CHECK(t, as_engine_next(e, INFINITY, &ev) == 1 && ev.entity == 4990, "still works");
    AS_CHECK(t, as_engine_next(e, INFINITY, &ev) == 1 && ev.entity == 2 && ev.process == 4,
             "old event kept");
    as_engine_destroy(e);
}

static void test_counters(as_test_state *t)
{
    as_engine *e = as_engine_create(1, 10);
    for (uint32_t i = 0; i < 10; i++) {
        AS_CHECK(t, as_engine_schedule(e, 1.0 + i, i, 0) == AS_OK, "schedule");
    }
    AS_CHECK(t, as_engine_schedule(e, 20.0, 3, 0) == AS_OK, "replace: 1 stale");
    as_engine_cancel(e, 4, 0); /* 2 stale, 9 live: no rebuild */
    as_event ev;
    while (as_engine_next(e, INFINITY, &ev)) {
    }
    AS_CHECK(t, as_engine_purges(e) == 0, "no rebuild");
    AS_CHECK(t, as_engine_events_popped(e) == 11, "popped %llu",
             (unsigned long long)as_engine_events_popped(e));
    AS_CHECK(t, as_engine_events_stale(e) == 2, "stale %llu",
             (unsigned long long)as_engine_events_stale(e));
    as_engine_destroy(e);
}

static void test_create_failure(as_test_state *t)
{
    AS_CHECK(t, as_engine_create(2, SIZE_MAX) == NULL, "impossible capacity gives NULL");
    AS_CHECK(t, as_engine_create(256, SIZE_MAX / 256) == NULL, "too many entities gives NULL");
    as_engine *e = as_engine_create(256, 2);
    AS_CHECK(t, e != NULL, "256 processes");
    AS_CHECK(t, as_engine_schedule(e, 1.0, 1, 255) == AS_OK, "process 255");
    as_engine_destroy(e);
    as_engine_destroy(NULL);
}

/* any_pending agrees with is_pending over random sets, for process counts whose entities'
 * bits straddle word boundaries (7, 17, 23) or fill words (32, 64). */
static void test_any_pending(as_test_state *t)
{
    static const unsigned n_procs[] = {1, 7, 17, 23, 32, 64};
    uint64_t x = 88172645463325252u; /* xorshift64 */
    long wrong = 0;
    for (size_t c = 0; c < sizeof n_procs / sizeof n_procs[0]; c++) {
        unsigned np = n_procs[c];
        const uint32_t n_ent = 50;
        as_engine *e = as_engine_create(np, n_ent);
        if (!e) {
            AS_CHECK(t, 0, "out of memory");
            return;
        }
        for (int round = 0; round < 2000; round++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            uint32_t ent = (uint32_t)(x % n_ent);
            unsigned k = (unsigned)((x >> 20) % np);
            if ((x >> 40) % 3 == 0) {
                as_engine_cancel(e, ent, k);
            } else if (as_engine_schedule(e, 1.0 + (double)round, ent, k) != AS_OK) {
                wrong++;
            }
            uint64_t all = np == 64 ? ~(uint64_t)0 : ((uint64_t)1 << np) - 1;
            uint64_t set = (x * 0x9E3779B97F4A7C15u) & all;
            for (uint32_t q = 0; q < n_ent; q++) {
                int want = 0;
                for (unsigned j = 0; j < np; j++) {
                    want |= ((set >> j) & 1u) && as_engine_is_pending(e, q, j);
                }
                wrong += want != as_engine_any_pending(e, q, set);
                wrong += as_engine_any_pending(e, q, 0) != 0;
            }
        }
        as_engine_destroy(e);
    }
    AS_CHECK(t, wrong == 0, "%ld answers differ from is_pending's", wrong);
}

/* A far bucket that the heap cannot make room for stops the engine with AS_ERR_NOMEM, instead of
 * popping events out of order; with room enough the same events come out in order. */
static void test_far_bucket_without_room(as_test_state *t)
{
    for (int room = 0; room < 2; room++) {
        as_engine *e = as_engine_create(1, 8); /* a heap with room for 16 */
        if (!e || as_engine_reserve(e, 64) != AS_OK || as_engine_set_far(e, 1.0) != AS_OK) {
            AS_CHECK(t, 0, "out of memory");
            as_engine_destroy(e);
            return;
        }
        as_engine_limit_room(e, room ? 0 : 16);
        int ok = as_engine_schedule(e, 0.5, 0, 0) == AS_OK; /* the heap's bucket */
        for (uint32_t k = 1; k < 41; k++) { /* 40 events of bucket 5, latest first */
            ok &= as_engine_schedule(e, 5.9 - 0.01 * (double)k, k, 0) == AS_OK;
        }
        AS_CHECK(t, ok, "scheduled");
        as_event ev;
        AS_CHECK(t, as_engine_next(e, INFINITY, &ev) == 1 && ev.entity == 0, "the near event");
        int got = 0;
        double last = 0;
        while (as_engine_next(e, INFINITY, &ev)) {
            ok &= ev.time > last;
            last = ev.time;
            got++;
        }
        if (room) {
            AS_CHECK(t, got == 40 && ok && as_engine_status(e) == AS_OK,
                     "with room: all 40, in order (%d)", got);
        } else {
            AS_CHECK(t, got == 0 && as_engine_status(e) == AS_ERR_NOMEM,
                     "without room: none, and the engine says out of memory (%d)", got);
            AS_CHECK(t, as_engine_schedule(e, 7.0, 50, 0) == AS_ERR_NOMEM, "nothing more is taken");
            as_engine_reset(e);
            AS_CHECK(t, as_engine_status(e) == AS_OK, "a reset clears it");
        }
        as_engine_destroy(e);
    }
}

int main(void)
{
    as_test_state t = {0};
    AS_RUN(&t, test_schedule_and_next);
    AS_RUN(&t, test_replace_drops_old);
    AS_RUN(&t, test_cancel);
    AS_RUN(&t, test_infinity_only_cancels);
    AS_RUN(&t, test_next_respects_before);
    AS_RUN(&t, test_ties_in_insertion_order);
    AS_RUN(&t, test_random_against_reference);
    AS_RUN(&t, test_purge_keeps_exactly_live);
    AS_RUN(&t, test_epoch_wrap);
    AS_RUN(&t, test_spread_retimes_need_no_rebuild);
    AS_RUN(&t, test_reset_like_new);
    AS_RUN(&t, test_reserve);
    AS_RUN(&t, test_counters);
    AS_RUN(&t, test_create_failure);
    AS_RUN(&t, test_any_pending);
    AS_RUN(&t, test_far_bucket_without_room);
    return as_test_finish(&t);
}
