/* Runs spread over processes: Open MPI when built with -Dmpi=enabled, otherwise one process and
 * functions that do nothing. as_run_scenarios numbers the work items of a call, (scenario k,
 * replication r), as g = k * reps + r, and rank q of K runs the items with g % K == q, so ranks
 * stay busy when a call has many scenarios and few replications (a calibration batch);
 * as_par_gather then brings every replication's result blocks to rank 0, which alone writes
 * outputs, and, when asked, sends them on from rank 0 to every rank. A replication is a pure
 * function of (scenario, seed, r), so rank 0 ends with the same arrays, and the same output bytes,
 * as a single process.
 *
 * Calibration and sensitivity (sim/calib) run their algorithm on every rank with the same seed;
 * each of its as_run_scenarios calls ends with every replication on every rank (as_run_opts
 * everywhere), so every rank takes the same decisions and builds the same next candidates, and
 * rank 0 alone prints and writes. Their failures are the same on every rank (the same inputs and
 * results), except for running out of memory outside the runs, which one rank could meet alone:
 * so each simulation call (and the fit run) is preceded by as_par_agree.
 *
 * Every function but as_par_rank/as_par_size is collective: all ranks call it, in the same order.
 * MPI is called from the calling (main) thread only; the worker threads never touch it. Without
 * as_par_init (unit tests, benchmarks) everything behaves as one process. All MPI code lives in
 * sim/run/mpi.c (style.md §2). */
#ifndef ASYLSIM_PARALLEL_H
#define ASYLSIM_PARALLEL_H

#include <stddef.h>
#include <stdint.h>

#include "asylsim/error.h"
#include "asylsim/run.h"

/* Starts MPI (thread level "funneled") if built with it and an MPI launcher started this process
 * (mpirun, mpiexec, srun: see sim/run/mpi.c; ASYLSIM_MPI=1 forces it, ASYLSIM_MPI=0 skips it);
 * started alone, an MPI build runs as one process without touching MPI. May read and change
 * argc/argv. Returns AS_ERR_RUNTIME with err filled if MPI cannot start. Call once, first. */
as_status as_par_init(int *argc, char ***argv, as_error *err) AS_MUST_CHECK;

/* Ends MPI if as_par_init started it. Call once, after the last collective. */
void as_par_finalize(void);

/* This process's rank (0 without MPI) and the number of ranks (1 without MPI). */
int as_par_rank(void);
int as_par_size(void);

/* 1 if this is the process that prints and writes outputs (rank 0). */
int as_par_is_root(void);

/* Collective agreement on a status: every rank passes its own (st, err) and every rank gets back
 * the status of the lowest-numbered rank that failed, its error copied into *err (err is left
 * alone if that is this rank, or if all passed AS_OK). Returns AS_OK only if all ranks passed
 * AS_OK. Use it wherever one rank could fail alone, so the others do not wait for it for ever. */
as_status as_par_agree(as_status st, as_error *err) AS_MUST_CHECK;

/* The rank that runs item g = k * reps + r (scenario k, replication r) of an as_run_scenarios call
 * of `reps` replications over `size` ranks. */
static inline int as_par_owner(size_t k, uint32_t reps, uint32_t r, int size)
{
    return (int)(((uint64_t)k * reps + r) % (uint64_t)size);
}

/* Collective, after each rank has filled its own items (as_par_owner) of sets[0..n-1]: first
 * agrees on `st` (as as_par_agree); if all succeeded, sends every replication's blocks
 * (as_run_set_blocks) to rank 0 and sums the sets' event and person counts there. On rank 0 the
 * sets then hold every replication; with `everywhere` rank 0 then sends them, and the counts, to
 * every rank, otherwise the other ranks' contents are unspecified (only rank 0 writes). `sets`
 * may be NULL when st != AS_OK. Returns the agreed status, or AS_ERR_RUNTIME with err filled if a
 * transfer fails. Without MPI it returns st and touches nothing. */
as_status as_par_gather(as_run_set *sets, size_t n, int everywhere, as_status st, as_error *err)
        AS_MUST_CHECK;

#endif
