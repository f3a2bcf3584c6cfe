/* The discrete-event engine: an event queue ordered by (time, insertion sequence), a clock in
 * days, stale-event dropping by per-entity, per-process epochs, and proportional hazards sampled
 * by integrated-hazard inversion. It knows nothing about asylum: entities are numbers, processes
 * are small integers, and the caller's dispatch table gives them meaning.
 *
 * Determinism: two events at the same time pop in the order they were scheduled, so a
 * replication is a pure function of its inputs and random streams. */
#ifndef ASYLSIM_ENGINE_H
#define ASYLSIM_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "asylsim/error.h"

/* ---------------------------------------------------------------------------------------------
 * Event queue: a min-queue of (time, sequence). The sequence is assigned at push, so ties pop in
 * insertion order. No allocation once it has grown to its working size.
 */

typedef struct as_event {
    double time;      /* days since the scenario start */
    uint64_t seq;     /* insertion sequence (assigned by the queue) */
    uint32_t entity;  /* the person, household or other numbered thing it concerns */
    uint16_t process; /* the caller's process number */
    uint16_t epoch;   /* the (entity, process) epoch it was scheduled under */
} as_event;

typedef struct as_queue as_queue;

/* New, empty queue with room for `capacity` events (it grows past that); NULL if out of memory. */
as_queue *as_queue_create(size_t capacity);
void as_queue_destroy(as_queue *q); /* NULL is fine */

/* Empties the queue and restarts the sequence at 0; keeps its memory. */
void as_queue_clear(as_queue *q);

/* Adds an event; returns AS_ERR_NOMEM (queue unchanged) if it cannot grow. `time` must not be
 * NaN (asserted). */
as_status as_queue_push(as_queue *q, double time, uint32_t entity, uint16_t process, uint16_t epoch)
        AS_MUST_CHECK;

/* Removes the least (time, seq) event into *out; returns 0 if the queue was empty. */
int as_queue_pop(as_queue *q, as_event *out);

/* The least event, or NULL if empty. Borrowed: valid until the next push or pop. */
const as_event *as_queue_peek(const as_queue *q);

size_t as_queue_size(const as_queue *q);

/* Far events: from now on (the queue must be empty), an event whose bucket floor(time / width)
 * is later than the heap's goes to an unordered bucket instead, and a bucket moves into the heap
 * when the heap runs empty; `keep` (may be NULL) is asked about each event on its way in and
 * drops those it refuses. Width 0: the queue chooses the width itself from how densely its
 * events lie, and changes it as they change (heap only while it holds fewer than 16,384 events).
 * The order in which events pop is the same as without buckets, for any width (every far event
 * is later than every event in the heap). AS_ERR_NOMEM if the buckets cannot be made. */
as_status as_queue_set_far(as_queue *q,
                           double width,
                           int (*keep)(const as_event *ev, void *ctx),
                           void *ctx) AS_MUST_CHECK;

/* The bucket width in use (0: heap only), and in *changes (if not NULL) how many times an
 * automatic width changed since the last clear. */
double as_queue_width(const as_queue *q, uint64_t *changes);

/* ---------------------------------------------------------------------------------------------
 * Engine: the queue plus a clock and the epochs. At most one live event per (entity, process):
 * scheduling again replaces the pending one, cancelling bumps the epoch, and a popped event whose
 * epoch is not current is dropped silently (it was replaced or cancelled).
 */

typedef struct as_engine as_engine;

/* New engine for `n_processes` processes (1..256) and room for `entity_capacity` entities (it
 * grows); NULL if out of memory. The clock starts at 0. */
as_engine *as_engine_create(unsigned n_processes, size_t entity_capacity);
void as_engine_destroy(as_engine *e); /* NULL is fine */

/* Back to time 0, no events, all epochs 0; keeps memory (one engine serves many replications). */
void as_engine_reset(as_engine *e);

/* Makes entities 0..n-1 usable; AS_ERR_NOMEM if it cannot grow (nothing changed). */
as_status as_engine_reserve(as_engine *e, size_t n_entities) AS_MUST_CHECK;

/* The clock: the time of the last event returned by as_engine_next (0 at the start), or of the
 * last as_engine_advance. */
double as_engine_now(const as_engine *e);

/* Moves the clock forward to t (no-op if t is not later), e.g. to an observation time with no
 * event, so that what the caller does there happens at t. Pending events before t stay queued
 * and would then be in the past: call it only when none is pending before t. */
void as_engine_advance(as_engine *e, double t);

/* Schedules process `process` of `entity` at `time` (>= now, asserted; INFINITY means never and
 * only cancels), replacing any pending event of that pair. AS_ERR_NOMEM if the queue cannot grow.
 */
as_status
as_engine_schedule(as_engine *e, double time, uint32_t entity, unsigned process) AS_MUST_CHECK;

/* Cancels the pending event of (entity, process), if any. */
void as_engine_cancel(as_engine *e, uint32_t entity, unsigned process);

/* 1 if (entity, process) has a live pending event. */
int as_engine_is_pending(const as_engine *e, uint32_t entity, unsigned process);

/* 1 if (entity, k) has a live pending event for some process k whose bit is set in `processes`
 * (bit k for process k; processes >= 64 cannot be named). */
int as_engine_any_pending(const as_engine *e, uint32_t entity, uint64_t processes);

/* From now on (the engine must be empty: new or reset), events more than about `width_days`
 * ahead wait in unordered buckets of that width and enter the heap when it runs empty, and
 * stale ones are dropped on the way in: a model whose events are mostly far ahead and often
 * re-timed keeps a small heap. Events come out in exactly the same order. Width 0: the queue
 * chooses and adapts the width (as_queue_set_far). AS_ERR_NOMEM if the buckets cannot be made
 * (nothing changed). */
as_status as_engine_set_far(as_engine *e, double width_days) AS_MUST_CHECK;

/* AS_ERR_NOMEM once the queue could not make room to take in far events (next then returns 0
 * for good: the caller must stop), else AS_OK. */
as_status as_engine_status(const as_engine *e);

/* Pops the next live event with time < `before` into *ev, advances the clock to it and returns 1;
 * returns 0 (clock unchanged, event left queued) if there is none before `before`. */
int as_engine_next(as_engine *e, double before, as_event *ev);

/* The least queued event, live or stale (NULL if none): what as_engine_next will look at first.
 * Only a hint, for fetching the memory its handler will read ahead of time. */
const as_event *as_engine_peek(const as_engine *e);

/* Live events pending (at most one per (entity, process)). */
size_t as_engine_pending(const as_engine *e);

/* Events popped so far (live and stale), for benchmarks. */
uint64_t as_engine_events_popped(const as_engine *e);
uint64_t as_engine_events_stale(const as_engine *e);

/* ---------------------------------------------------------------------------------------------
 * Hazards. A baseline hazard h(u) of the time u (days) since an anchor the caller chooses
 * (arrival, status, job start, the scenario start...), times a covariate multiplier m >= 0.
 * H(u) = integral of h from 0 to u. Parameters are borrowed and must outlive the hazard.
 */

typedef enum as_hazard_kind {
    AS_HAZARD_CONSTANT,  /* h(u) = rate_per_day */
    AS_HAZARD_PIECEWISE, /* h(u) = rates_per_day[i] on [breaks_days[i], breaks_days[i+1]) */
    AS_HAZARD_WEIBULL,   /* H(u) = (u / scale_days)^shape */
} as_hazard_kind;

typedef struct as_hazard {
    as_hazard_kind kind;
    double rate_per_day;         /* CONSTANT: >= 0 */
    size_t n_pieces;             /* PIECEWISE: >= 1 */
    const double *breaks_days;   /* PIECEWISE: n_pieces starts, breaks_days[0] = 0, increasing */
    const double *rates_per_day; /* PIECEWISE: n_pieces rates >= 0; the last holds for ever */
    double shape;                /* WEIBULL: > 0 */
    double scale_days;           /* WEIBULL: > 0 */
} as_hazard;

/* H(u) for u >= 0; may be INFINITY only for u = INFINITY. */
double as_hazard_cumulative(const as_hazard *h, double u_days);

/* The u >= u0 at which m * (H(u) - H(u0)) first reaches `budget` (>= 0); INFINITY if never
 * (m = 0, or the hazard ends at rate 0 before the budget is spent). */
double as_hazard_time_to(const as_hazard *h, double m, double u0_days, double budget);

/* Integrated-hazard sampling state of one (entity, process): a unit exponential budget E drawn
 * once when the process starts; the event fires when m * integrated hazard reaches E. When the
 * multiplier changes, the budget used so far is kept (re-timing). */
typedef struct as_risk {
    double budget; /* what is left of E at u_last */
    double u_last; /* time since the anchor of the last update, days */
    double mult;   /* current covariate multiplier */
} as_risk;

/* Starts a risk at time-since-anchor u_now with unit exponential E (> 0) and multiplier m. */
void as_risk_start(as_risk *r, double E, double u_now, double m);

/* Time since the anchor at which the event fires under the current multiplier (INFINITY: never). */
double as_risk_fire_u(const as_risk *r, const as_hazard *h);

/* Changes the multiplier at u_now (>= u_last): spends the budget used since u_last at the old
 * multiplier, then continues with `m`. The new firing time is as_risk_fire_u(). */
void as_risk_retime(as_risk *r, const as_hazard *h, double u_now, double m);

#endif
