/* The engine (include/asylsim/engine.h): the event queue, the clock, and the bookkeeping that
 * keeps at most one live event per (entity, process). Replacing or cancelling an event does not
 * search the queue: it bumps the pair's 15-bit epoch, and the old event, still queued, is dropped
 * when it pops because its epoch is no longer current. The pair's 16-bit state word holds the
 * epoch and, in its top bit, whether the pair has a live event, so the number of stale events
 * queued is always size - live; one word, so that checking a popped or scheduled event touches
 * one place in memory, not two (in scenarios/scale-eu.cfg the loads from a separate bit array and
 * epoch array, mostly waits for memory, took about a fifth of the run). When the stale events
 * outnumber the live ones the queue is rebuilt in O(size) with the live ones only, which bounds
 * its memory by about twice the live events however often the model re-times. What events mean,
 * and their random draws, belong to the caller.
 *
 * Epochs wrap at 2^15. A stale event could pass for live only if its pair's epoch came back to
 * the stale event's value while it stayed queued, that is after 2^15 bumps of that pair. So the
 * rebuild also runs whenever a pair's epoch reaches a multiple of 2^14 (EPOCH_GUARD): a stale
 * event made at epoch count B meets such a multiple M with B < M <= B + 2^14 before any wrap, and
 * since M differs from B modulo 2^15 the rebuild drops it. Only pairs re-timed 2^14 times pay for
 * this; it replaced a rebuild every UINT16_MAX stale events in all, which in a queue of millions of
 * live events (scenarios/scale-eu.cfg) rescanned the whole queue every 65535 re-times and took a
 * quarter of the run. */
#include "asylsim/engine.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "as_config.h"
#include "asylsim/fp.h"
#include "sim/engine/engine_internal.h"
#include "sim/engine/heap.h"

/* Most processes an engine serves (the process number is a uint16 but streams name 8 bits). */
#define MAX_PROCESSES 256u
/* A pair's epoch reaching a multiple of this forces a rebuild (see the note on epoch wrap above);
 * at most half the epoch range, so a rebuild comes before any wrap. */
#define EPOCH_GUARD 0x4000u
/* Entities beyond which as_engine_next prefetches the next event's state word (their states
 * then take more than 3 MiB, beyond a core's share of a cache). Always with debug_checks, so that
 * the tests run that path too. */
#if AS_DEBUG_CHECKS
#define PREFETCH_ENTITIES 0u
#else
#define PREFETCH_ENTITIES 65536u
#endif
/* A pair's state word: PENDING | epoch. */
#define PENDING    0x8000u
#define EPOCH_MASK 0x7FFFu

struct as_engine {
    as_queue *q;
    double now;          /* days: time of the last event returned by next */
    unsigned n_proc;     /* processes per entity */
    size_t n_entities;   /* entities 0..n_entities-1 are usable */
    size_t cap_entities; /* room in state, in entities */
    uint16_t *state;     /* per pair, index entity * n_proc + process: PENDING | epoch */
    size_t n_live;       /* pairs with a live queued event */
    uint64_t n_popped;   /* events popped by next, live and stale */
    uint64_t n_stale;    /* of which stale */
    uint64_t n_purges;   /* queue rebuilds */
    uint64_t n_purged;   /* stale events dropped by rebuilds */
};

static inline size_t pair_index(const as_engine *e, uint32_t entity, unsigned process)
{
    assert(process < e->n_proc);
    assert(entity < e->n_entities);
    return (size_t)entity * e->n_proc + process;
}

static inline int is_live(const as_engine *e, size_t i)
{
    return e->state[i] >> 15;
}

/* Sets the room for `cap` entities (>= the current room), zeroing the new states. -1 if out of
 * memory or too large; the room is then unchanged. */
static int set_room(as_engine *e, size_t cap)
{
    if (cap > (size_t)UINT32_MAX + 1 || cap > SIZE_MAX / e->n_proc / sizeof *e->state) {
        return -1;
    }
    size_t old_pairs = e->cap_entities * e->n_proc, pairs = cap * e->n_proc;
    if (pairs == 0) {
        return 0;
    }
    uint16_t *state = realloc(e->state, pairs * sizeof *state);
    if (!state) {
        return -1;
    }
    e->state = state;
    memset(state + old_pairs, 0, (pairs - old_pairs) * sizeof *state);
    e->cap_entities = cap;
    return 0;
}

as_engine *as_engine_create(unsigned n_processes, size_t entity_capacity)
{
    assert(n_processes >= 1 && n_processes <= MAX_PROCESSES);
    if (entity_capacity > (size_t)UINT32_MAX + 1) {
        return NULL; /* entities are uint32 numbers */
    }
    as_engine *e = calloc(1, sizeof *e);
    if (!e) {
        return NULL;
    }
    e->n_proc = n_processes;
    e->q = as_queue_create(entity_capacity < 16 ? 16 : entity_capacity);
    if (!e->q || set_room(e, entity_capacity) != 0) {
        as_engine_destroy(e);
        return NULL;
    }
    e->n_entities = entity_capacity;
    return e;
}

void as_engine_destroy(as_engine *e)
{
    if (!e) {
        return;
    }
    as_queue_destroy(e->q);
    free(e->state);
    free(e);
}

void as_engine_reset(as_engine *e)
{
    as_queue_clear(e->q);
    size_t pairs = e->cap_entities * e->n_proc;
    if (pairs > 0) {
        memset(e->state, 0, pairs * sizeof *e->state);
    }
    e->now = 0;
    e->n_live = 0;
    e->n_popped = 0;
    e->n_stale = 0;
    e->n_purges = 0;
    e->n_purged = 0;
}

as_status as_engine_reserve(as_engine *e, size_t n_entities)
{
    if (n_entities <= e->n_entities) {
        return AS_OK;
    }
    if (n_entities > e->cap_entities) {
        /* Doubling keeps a run of reserve(n + 1) calls linear in all. */
        size_t cap = e->cap_entities <= SIZE_MAX / 2 ? 2 * e->cap_entities : SIZE_MAX;
        if (cap < n_entities || cap > (size_t)UINT32_MAX + 1) {
            cap = n_entities;
        }
        if (set_room(e, cap) != 0) {
            return AS_ERR_NOMEM;
        }
    }
    e->n_entities = n_entities;
    return AS_OK;
}

double as_engine_now(const as_engine *e)
{
    return e->now;
}

void as_engine_advance(as_engine *e, double t)
{
    assert(!isnan(t));
    if (t > e->now) {
        e->now = t;
    }
}

static int keep_live(const as_event *ev, void *ctx)
{
    const as_engine *e = ctx;
    size_t i = (size_t)ev->entity * e->n_proc + ev->process;
    return e->state[i] == (PENDING | ev->epoch);
}

/* Called after an event of pair i went stale (its epoch was bumped): rebuilds the queue when the
 * stale events outnumber the live ones (amortised O(1) per stale event, since a rebuild costs
 * O(live + stale) and follows at least live + 1 new stale events) or when the pair's epoch reached
 * a multiple of EPOCH_GUARD. */
static void purge_if_due(as_engine *e, size_t i)
{
    size_t size = as_queue_size(e->q), stale = size - e->n_live;
    if (stale > e->n_live || (e->state[i] & EPOCH_MASK) % EPOCH_GUARD == 0) {
        as_queue_filter(e->q, keep_live, e);
        assert(as_queue_size(e->q) == e->n_live);
        e->n_purges++;
        e->n_purged += stale;
    }
}

as_status as_engine_schedule(as_engine *e, double time, uint32_t entity, unsigned process)
{
    assert(!isnan(time) && time >= e->now);
    size_t i = pair_index(e, entity, process);
    if (as_is_pos_inf(time)) {
        as_engine_cancel(e, entity, process);
        return AS_OK;
    }
    unsigned s = e->state[i], was_pending = s >> 15;
    /* The epoch moves only when an event goes stale, so each bump stands for one stale event. */
    uint16_t epoch = (uint16_t)((s + was_pending) & EPOCH_MASK);
    as_status st = as_queue_push(e->q, time, entity, (uint16_t)process, epoch);
    if (st != AS_OK) {
        return st; /* nothing changed: the old event, if any, is still live */
    }
    e->state[i] = (uint16_t)(PENDING | epoch);
    if (was_pending) {
        purge_if_due(e, i);
    } else {
        e->n_live++;
    }
    return AS_OK;
}

void as_engine_cancel(as_engine *e, uint32_t entity, unsigned process)
{
    size_t i = pair_index(e, entity, process);
    if (!is_live(e, i)) {
        return;
    }
    e->state[i] = (uint16_t)((e->state[i] + 1u) & EPOCH_MASK); /* not pending, next epoch */
    e->n_live--;
    purge_if_due(e, i);
}

int as_engine_is_pending(const as_engine *e, uint32_t entity, unsigned process)
{
    return is_live(e, pair_index(e, entity, process));
}

int as_engine_any_pending(const as_engine *e, uint32_t entity, uint64_t processes)
{
    assert(entity < e->n_entities);
    assert(e->n_proc >= 64 || processes >> e->n_proc == 0);
    /* The entity's states are consecutive (one or two cache lines). */
    const uint16_t *st = e->state + (size_t)entity * e->n_proc;
    for (uint64_t k = processes; k; k &= k - 1) {
        if (st[__builtin_ctzll(k)] & PENDING) {
            return 1;
        }
    }
    return 0;
}

int as_engine_next(as_engine *e, double before, as_event *ev)
{
    assert(!isnan(before));
    for (;;) {
        const as_event *top = as_queue_peek(e->q);
        if (!top || !(top->time < before)) {
            return 0;
        }
        as_event x;
        as_queue_pop(e->q, &x);
        e->n_popped++;
        /* The next event is known now: fetch its pair's state word while this one's handler
         * runs, so that its check below need not wait for memory (a large population's states
         * are far out of cache: scenarios/scale-eu.cfg; a small one's are in cache anyway). */
        const as_event *next = e->n_entities > PREFETCH_ENTITIES ? as_queue_peek(e->q) : NULL;
        if (next) {
            __builtin_prefetch(&e->state[(size_t)next->entity * e->n_proc + next->process]);
        }
        size_t i = (size_t)x.entity * e->n_proc + x.process;
        if (e->state[i] == (PENDING | x.epoch)) {
            e->state[i] = x.epoch; /* not pending, same epoch */
            e->n_live--;
            e->now = x.time;
            *ev = x;
            return 1;
        }
        e->n_stale++;
    }
}

const as_event *as_engine_peek(const as_engine *e)
{
    return as_queue_peek(e->q);
}

as_status as_engine_status(const as_engine *e)
{
    return as_queue_failed(e->q) ? AS_ERR_NOMEM : AS_OK;
}

void as_engine_limit_room(as_engine *e, size_t max_events)
{
    as_queue_limit_room(e->q, max_events);
}

uint64_t as_engine_events_popped(const as_engine *e)
{
    return e->n_popped;
}

uint64_t as_engine_events_stale(const as_engine *e)
{
    return e->n_stale;
}

size_t as_engine_pending(const as_engine *e)
{
    return e->n_live;
}

size_t as_engine_queued(const as_engine *e)
{
    return as_queue_size(e->q);
}

uint64_t as_engine_purges(const as_engine *e)
{
    return e->n_purges;
}

uint64_t as_engine_events_purged(const as_engine *e)
{
    return e->n_purged + as_queue_dropped(e->q);
}

as_status as_engine_set_far(as_engine *e, double width_days)
{
    return as_queue_set_far(e->q, width_days, keep_live, e);
}
