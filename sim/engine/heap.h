/* What the engine needs from the event queue beyond include/asylsim/engine.h: dropping many
 * events at once. Private to sim/engine (and its tests). */
#ifndef ASYLSIM_ENGINE_HEAP_H
#define ASYLSIM_ENGINE_HEAP_H

#include "asylsim/engine.h"

/* Keeps the events for which keep(event, ctx) is non-zero and drops the others, in O(size)
 * (Floyd's heap construction). Kept events keep their sequence numbers, so the order in which
 * they pop is unchanged; the sequence counter is not reset. Never allocates. */
void as_queue_filter(as_queue *q, int (*keep)(const as_event *ev, void *ctx), void *ctx);

#endif
