/* Engine internals that tests and benchmarks look at but the model must not depend on. Private to
 * sim/engine, tests/ and bench/. */
#ifndef ASYLSIM_ENGINE_INTERNAL_H
#define ASYLSIM_ENGINE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "asylsim/engine.h"

/* Events held in the queue, live and stale. */
size_t as_engine_queued(const as_engine *e);

/* Times the queue was rebuilt to drop its stale events, and the stale events dropped so or on
 * their way from a far bucket into the heap. */
uint64_t as_engine_purges(const as_engine *e);
uint64_t as_engine_events_purged(const as_engine *e);

/* Tests: the heap never makes room for more than max_events (0: no limit), as if out of memory. */
void as_engine_limit_room(as_engine *e, size_t max_events);

#endif
