/* Runs over Open MPI ranks (include/asylsim/parallel.h), and the one-process stand-ins when asylsim
 * is built without it. This is the only file that tests AS_HAVE_MPI (style.md §2): the rest of
 * asylsim calls these functions and never includes mpi.h.
 *
 * Moving results: a set's per-replication blocks come from as_run_set_blocks(), one message per
 * (set, block, replication) from the rank that ran it (as_par_owner: items, not replications, are
 * shared out) to rank 0, straight from and into the replication's own slot (no packing). Rank 0
 * receives in (set, block, replication) order and each rank sends its own in the same order; the
 * owner is a function of (set, replication) that both sides compute alike, so MPI's in-order
 * delivery between two ranks matches every message without tags or probes, and no rank can wait
 * on another in a cycle. A run of 1000 replications of one scenario is a few thousand messages of
 * some tens of kB: noise next to the replications themselves. When every rank needs the results
 * (calibration, sensitivity), rank 0 then broadcasts each block of each set whole, in pieces of
 * at most INT_MAX doubles: a few large collectives per call rather than one per replication.
 * MPI's default error handler (errors are fatal, the job ends on all ranks) stays in force; the
 * return codes are checked all the same. */
#include "asylsim/parallel.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "as_config.h"

#if AS_HAVE_MPI
#include <mpi.h>

/* 1 between MPI_Init_thread and MPI_Finalize: without as_par_init (unit tests, benchmarks), or
 * after the end, everything acts as one process. MPI keeps that state; we keep none. */
static int mpi_active(void)
{
    int started = 0, ended = 0;
    MPI_Initialized(&started);
    MPI_Finalized(&ended);
    return started && !ended;
}

/* 1 if an MPI launcher started this process. Open MPI's mpirun sets OMPI_COMM_WORLD_SIZE, PMIx
 * launchers (srun --mpi=pmix, prterun) PMIX_RANK, PMI-1/2 launchers (MPICH's and Intel's mpiexec,
 * srun --mpi=pmi2, Cray's) PMI_RANK or PMI_SIZE; ASYLSIM_MPI=1 or 0 overrides. Started alone, an
 * MPI build then runs exactly as a build without MPI: Open MPI's singleton start costs 0.3 s and
 * fails under a small `ulimit -f` (PMIx cannot size its shared-memory files). */
static int launched_by_mpi(void)
{
    const char *force = getenv("ASYLSIM_MPI");
    if (force && *force) {
        return strcmp(force, "0") != 0;
    }
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMIX_RANK") || getenv("PMI_RANK") ||
           getenv("PMI_SIZE");
}

as_status as_par_init(int *argc, char ***argv, as_error *err)
{
    if (!launched_by_mpi()) {
        return AS_OK;
    }
    int provided = 0;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        return as_error_set(err, AS_ERR_RUNTIME, NULL, 0, NULL, "MPI_Init_thread failed");
    }
    if (provided < MPI_THREAD_FUNNELED) {
        MPI_Finalize();
        return as_error_set(err, AS_ERR_RUNTIME, NULL, 0, NULL,
                            "this MPI cannot run a threaded process (MPI_THREAD_FUNNELED)");
    }
    return AS_OK;
}

void as_par_finalize(void)
{
    if (mpi_active()) {
        MPI_Finalize();
    }
}

int as_par_rank(void)
{
    int rank = 0;
    if (mpi_active()) {
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    }
    return rank;
}

int as_par_size(void)
{
    int size = 1;
    if (mpi_active()) {
        MPI_Comm_size(MPI_COMM_WORLD, &size);
    }
    return size;
}

as_status as_par_agree(as_status st, as_error *err)
{
    if (!mpi_active()) {
        return st;
    }
    int rank = as_par_rank(), size = as_par_size();
    int mine = st != AS_OK ? rank : size, first = size;
    if (MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD) != MPI_SUCCESS) {
        return as_error_set(err, AS_ERR_RUNTIME, NULL, 0, NULL, "MPI_Allreduce failed");
    }
    if (first == size) {
        return AS_OK;
    }
    /* Every rank runs the same binary, so the record travels as bytes. */
    as_error e;
    if (rank == first) {
        e = *err;
        e.code = st;
        if (first > 0) { /* "rank K: msg", cut to fit */
            char prefix[32];
            size_t k = (size_t)snprintf(prefix, sizeof prefix, "rank %d: ", first);
            size_t len = strnlen(e.msg, sizeof e.msg - 1), room = sizeof e.msg - 1 - k;
            len = len < room ? len : room;
            memmove(e.msg + k, e.msg, len);
            memcpy(e.msg, prefix, k);
            e.msg[k + len] = '\0';
        }
    }
    if (MPI_Bcast(&e, (int)sizeof e, MPI_BYTE, first, MPI_COMM_WORLD) != MPI_SUCCESS) {
        return as_error_set(err, AS_ERR_RUNTIME, NULL, 0, NULL, "MPI_Bcast failed");
    }
    *err = e;
    return e.code;
}

/* Moves set k's (s's) replications owned by other ranks to rank 0 and sums the counts there, or
 * on every rank with `everywhere`; 0 or an MPI error code. */
static int gather_set(as_run_set *s, size_t k, int everywhere, int rank, int size)
{
    double *base[AS_RUN_MAX_BLOCKS];
    size_t per_rep[AS_RUN_MAX_BLOCKS];
    size_t nb = as_run_set_blocks(s, base, per_rep);
    for (size_t b = 0; b < nb; b++) {
        for (uint32_t r = 0; r < s->reps; r++) {
            int owner = as_par_owner(k, s->reps, r, size), rc = MPI_SUCCESS;
            double *slot = base[b] + (size_t)r * per_rep[b];
            if (owner == 0 || per_rep[b] == 0) {
                continue;
            }
            if (rank == 0) {
                rc = MPI_Recv(slot, (int)per_rep[b], MPI_DOUBLE, owner, 0, MPI_COMM_WORLD,
                              MPI_STATUS_IGNORE);
            } else if (rank == owner) {
                rc = MPI_Send(slot, (int)per_rep[b], MPI_DOUBLE, 0, 0, MPI_COMM_WORLD);
            }
            if (rc != MPI_SUCCESS) {
                return rc;
            }
        }
    }
    uint64_t mine[3] = {s->events, s->persons, s->pending}, sum[3] = {0, 0, 0};
    int rc = everywhere ? MPI_Allreduce(mine, sum, 3, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD)
                        : MPI_Reduce(mine, sum, 3, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
    if (rc == MPI_SUCCESS && (rank == 0 || everywhere)) {
        s->events = sum[0];
        s->persons = sum[1];
        s->pending = sum[2];
    }
    return rc;
}

/* Sends every block of s, all replications, from rank 0 to every rank; 0 or an MPI error code. */
static int broadcast_set(as_run_set *s)
{
    double *base[AS_RUN_MAX_BLOCKS];
    size_t per_rep[AS_RUN_MAX_BLOCKS];
    size_t nb = as_run_set_blocks(s, base, per_rep);
    for (size_t b = 0; b < nb; b++) {
        size_t left = per_rep[b] * s->reps;
        for (double *p = base[b]; left > 0;) {
            int count = left > (size_t)INT_MAX ? INT_MAX : (int)left;
            int rc = MPI_Bcast(p, count, MPI_DOUBLE, 0, MPI_COMM_WORLD);
            if (rc != MPI_SUCCESS) {
                return rc;
            }
            p += count;
            left -= (size_t)count;
        }
    }
    return MPI_SUCCESS;
}

as_status as_par_gather(as_run_set *sets, size_t n, int everywhere, as_status st, as_error *err)
{
    st = as_par_agree(st, err);
    if (st != AS_OK || !mpi_active() || as_par_size() == 1) {
        return st;
    }
    int rank = as_par_rank(), size = as_par_size();
    /* Every rank sees the same block sizes, so all refuse together. */
    for (size_t i = 0; i < n; i++) {
        double *base[AS_RUN_MAX_BLOCKS];
        size_t per_rep[AS_RUN_MAX_BLOCKS];
        size_t nb = as_run_set_blocks(&sets[i], base, per_rep);
        for (size_t b = 0; b < nb; b++) {
            if (per_rep[b] > INT_MAX) {
                return as_error_set(err, AS_ERR_RUNTIME, NULL, 0, NULL,
                                    "a replication's results are too large for one MPI message");
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (gather_set(&sets[i], i, everywhere, rank, size) != MPI_SUCCESS) {
            return as_error_set(err, AS_ERR_RUNTIME, NULL, 0, NULL,
                                "MPI transfer of the results to rank 0 failed");
        }
    }
    for (size_t i = 0; everywhere && i < n; i++) {
        if (broadcast_set(&sets[i]) != MPI_SUCCESS) {
            return as_error_set(err, AS_ERR_RUNTIME, NULL, 0, NULL,
                                "MPI transfer of the results from rank 0 to every rank failed");
        }
    }
    return AS_OK;
}

#else /* one process */

as_status as_par_init(int *argc, char ***argv, as_error *err)
{
    (void)argc;
    (void)argv;
    (void)err;
    return AS_OK;
}

void as_par_finalize(void)
{
}

int as_par_rank(void)
{
    return 0;
}

int as_par_size(void)
{
    return 1;
}

as_status as_par_agree(as_status st, as_error *err)
{
    (void)err;
    return st;
}

as_status as_par_gather(as_run_set *sets, size_t n, int everywhere, as_status st, as_error *err)
{
    (void)sets;
    (void)n;
    (void)everywhere;
    (void)err;
    return st;
}

#endif

int as_par_is_root(void)
{
    return as_par_rank() == 0;
}
