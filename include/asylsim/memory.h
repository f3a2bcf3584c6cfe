/* Memory a run will need, estimated from the scenarios before anything runs, the memory this
 * process may use, and the resident memory it uses, so that `asylsim run` refuses a run that
 * cannot fit and stops one that outgrows its memory (issue #9) instead of being killed by the
 * kernel's out-of-memory killer.
 *
 * The estimate has two parts. Results: every replication keeps its series (run.h), so each
 * scenario holds replications x (the doubles of every result block of as_run_set_blocks: the
 * indicators, the budget rows, ...) x 8 bytes; that part is exact. Model workspaces: each worker
 * thread keeps one workspace per scenario. A workspace stores the persons in the model and reuses
 * the storage of households that have left it for good (sim/model/population.c), so it holds
 * about the persons present at the peak, which depends on how fast persons leave: the model's
 * outcome, not something to read off the scenario. The estimate therefore gives two figures:
 * - at least: the persons of a scenario's busiest 30 days of arrivals plus the initial population,
 *   AS_MEMORY_MIN_BYTES_PER_PERSON each, without growth room. With the departure and removal
 *   rates of the shipped scenarios (a few percent a month; removal a median of two months after
 *   a final negative) most of a month's arrivals are still in the model a month on; only extreme
 *   settings (everyone gone within days) make this more than the need. A run whose least exceeds
 *   the memory it may use is refused before it starts.
 * - at most: every person created, (expected persons) x AS_MEMORY_BYTES_PER_PERSON x
 *   AS_MEMORY_GROWTH (arrays grow by doubling), as if nobody left. It holds with
 *   as_model_keep_departed, but is far above the need on long horizons (35 times over a century of
 *   the baseline; 4.8 times for scenarios/scale-eu.cfg).
 * Between the two, the run starts and as_run_opts.max_rss watches its resident memory: past the
 * limit the run stops with a message and leaves no output (run.h). Expected persons come from the
 * arrivals series (arrivals.applicants_per_year, then arrivals.projection from
 * arrivals.projection_from) summed over the run's days. tools/soak measures the real peak RSS per
 * person created and present, to keep AS_MEMORY_BYTES_PER_PERSON an upper bound and
 * AS_MEMORY_MIN_BYTES_PER_PERSON a lower one as the model grows. */
#ifndef ASYLSIM_MEMORY_H
#define ASYLSIM_MEMORY_H

#include <stddef.h>
#include <stdint.h>

#include "asylsim/error.h"
#include "asylsim/scenario.h"

/* Bytes a model workspace uses per person created, an upper bound of what tools/soak measures
 * (person and household arrays, engine epochs and pending events, queues). */
#define AS_MEMORY_BYTES_PER_PERSON 256u

/* Bytes a model workspace uses per person present at least: below the 96 to 108 bytes per person
 * created that bench/scale measures on scenarios/scale-eu.cfg, where most persons stay. */
#define AS_MEMORY_MIN_BYTES_PER_PERSON 64u

/* Days of the busiest arrivals whose persons the least estimate charges. */
#define AS_MEMORY_LEAST_DAYS 30

/* Growth by doubling: an array holds up to twice what it needs. */
#define AS_MEMORY_GROWTH 2u

/* Memory besides results and workspaces: program, libraries, thread stacks, output buffers. */
#define AS_MEMORY_BASE_BYTES ((uint64_t)32 << 20)

typedef struct as_memory_estimate {
    uint64_t results_bytes;         /* replication results of every scenario */
    uint64_t workspace_bytes;       /* model workspaces of every thread, at most */
    uint64_t total_bytes;           /* at most: results + workspaces + AS_MEMORY_BASE_BYTES */
    uint64_t least_workspace_bytes; /* model workspaces of every thread, at least */
    uint64_t least_bytes; /* at least: results + least workspaces + AS_MEMORY_BASE_BYTES */
    double persons;       /* expected persons of one replication, summed over the scenarios */
    double max_persons;   /* expected persons of one replication of the largest scenario */
    double least_persons; /* its least persons (as_memory_least_persons) */
    const char *path;     /* that scenario's path (borrowed; NULL if there is none) */
    unsigned threads;     /* worker threads that will run: min(threads, jobs) */
    uint32_t reps;
} as_memory_estimate;

/* Expected persons created in one replication of s: the arrivals series integrated over the days
 * from run.start to run.end, each day weighing 1/(days in its year), plus the initial population
 * (arrivals.initial_pending and arrivals.initial_protected). */
double as_memory_expected_persons(const as_scenario *s);

/* Persons a workspace of s holds at least: the expected arrivals of the busiest
 * AS_MEMORY_LEAST_DAYS consecutive days from run.start to run.end (all of them on a shorter run)
 * plus the initial population. */
double as_memory_least_persons(const as_scenario *s);

/* Estimates the memory of running n scenarios (borrowed) for reps replications on `threads`
 * threads. Saturates instead of overflowing. Never fails. */
void as_memory_estimate_run(const as_scenario *const *scn,
                            size_t n,
                            uint32_t reps,
                            unsigned threads,
                            as_memory_estimate *out);

/* Memory this process may still take, in bytes: MemAvailable of `meminfo` (normally
 * "/proc/meminfo"), lowered to the room left under the cgroup v2 memory limit of `cgroup_dir`
 * (normally "/sys/fs/cgroup" joined with the path of /proc/self/cgroup; NULL to skip). 0 if
 * neither can be read (not Linux). */
uint64_t as_memory_available_from(const char *meminfo, const char *cgroup_dir);

/* as_memory_available_from for this process, with the system's files. */
uint64_t as_memory_available(void);

/* Parses a size: a number of bytes, optionally with a fraction and a binary unit K, M, G or T
 * (KiB, MiB, GiB, TiB; case-insensitive, an optional trailing "B" or "iB"), e.g. "500M", "4G",
 * "1.5g", "1048576". 0 and *bytes set on success; -1 for anything else, zero, or past 2^63. */
int as_memory_parse_size(const char *text, uint64_t *bytes);

/* Writes bytes as "512 B", "1.5 KiB", "500 MiB", "2.3 GiB" (two significant digits past 10). */
void as_memory_format(uint64_t bytes, char *buf, size_t n);

/* The resident memory of this process in bytes (/proc/self/statm); 0 if it cannot be read. */
uint64_t as_memory_rss(void);

/* The resident memory past which a run should stop: the smaller of `limit` (0 = none) and what
 * the process holds now plus what is still available (`rss` + `available`; either 0 = unknown).
 * 0 when neither is known: no guard. */
uint64_t as_memory_guard(uint64_t limit, uint64_t available, uint64_t rss);

/* Compares est's least with the limit given as `limit_name` (e.g. "--max-memory"; limit 0 =
 * none), then with `available` (0 = unknown): AS_ERR_INPUT with a message that gives both sizes
 * and what to lower when the run cannot fit, naming est->path as the file; AS_OK otherwise (the
 * run may still need more than its least: as_memory_guard). Also refuses a
 * scenario whose expected persons exceed what a workspace can index (2^32 - 1). */
as_status as_memory_check(const as_memory_estimate *est,
                          uint64_t limit,
                          const char *limit_name,
                          uint64_t available,
                          as_error *err) AS_MUST_CHECK;

#endif
