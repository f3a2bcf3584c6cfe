/* What the engine needs from the event queue beyond include/asylsim/engine.h: dropping many
 * events at once. Private to sim/engine (and its tests). */
#ifndef ASYLSIM_ENGINE_HEAP_H
#define ASYLSIM_ENGINE_HEAP_H

#include "asylsim/engine.h"

/* Keeps the events for which keep(event, ctx) is non-zero and drops the others, in O(size)
 * (Floyd's heap construction). Kept events keep their sequence numbers, so the order in which
 * they pop is unchanged; the sequence counter is not reset. Never allocates. */
void as_queue_filter(as_queue *q, int (*keep)(const as_event *ev, void *ctx), void *ctx);

/* Events `keep` dropped on their way into the heap since the last clear. */
uint64_t as_queue_dropped(const as_queue *q);

/* 1 if the heap could not grow to take in a far bucket: the queue pops nothing and takes nothing
 * more until cleared (the events are kept, out of order). */
int as_queue_failed(const as_queue *q);

/* Tests: the heap's room stops growing at max_cap events (0: no limit), as if out of memory. */
void as_queue_limit_room(as_queue *q, size_t max_cap);

#endif
