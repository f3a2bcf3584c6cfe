/* Private to sim/model: the workspace shared by the process files (arrivals.c, procedure.c,
 * observe.c, population.c) and the replication loop (model.c). Each process file owns its part
 * of the struct and its handlers; model.c dispatches events through the const handler table. */
#ifndef ASYLSIM_MODEL_INTERNAL_H
#define ASYLSIM_MODEL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "asylsim/engine.h"
#include "asylsim/model.h"
#include "asylsim/scenario.h"

/* Engine process numbers: what an event means. */
enum {
    AS_P_ARRIVAL,  /* entity 0: the next household arrives */
    AS_P_CAPACITY, /* entity 0: a dated caseworker count changes */
    AS_P_DECISION, /* entity = person: the first-instance decision is taken */
    AS_P_N
};

/* Random-stream process numbers (rng.h). They are part of the reproducibility contract: renumbering
 * one changes every output. Each names the stream of one kind of draw, so a change to one process
 * never shifts another's draws. */
enum {
    AS_STREAM_ARRIVALS = 1,  /* entity 0: the arrival times, one sequential stream */
    AS_STREAM_HOUSEHOLD = 2, /* entity = household: its size (and later its composition) */
    AS_STREAM_SERVICE = 3,   /* entity = person: the service time of its first-instance case */
    AS_STREAM_OUTCOME = 4,   /* entity = person: the outcome of its first decision */
};

typedef enum as_legal {
    AS_LEGAL_APPLICANT,
    AS_LEGAL_REFUGEE,
    AS_LEGAL_ALTERNATIVE,
    AS_LEGAL_NEGATIVE,
} as_legal;

typedef enum as_place {
    AS_PLACE_RECEPTION,
    AS_PLACE_COMMUNITY,
    AS_PLACE_LEFT,
    AS_PLACE_RETURNED,
} as_place;

typedef enum as_case_state {
    AS_CASE_NONE,
    AS_CASE_QUEUED,
    AS_CASE_IN_SERVICE,
    AS_CASE_DECIDED,
} as_case_state;

/* Persons and households, struct of arrays (no allocation per person once warm). */
typedef struct as_pop {
    size_t n, cap;       /* persons */
    uint8_t *legal;      /* as_legal */
    uint8_t *place;      /* as_place */
    uint8_t *case_state; /* as_case_state */
    uint32_t *household; /* household of each person */
    size_t n_hh, cap_hh; /* households */
    uint32_t *hh_first;  /* first person of each household (members are consecutive) */
    uint8_t *hh_size;
} as_pop;

/* Service-time law of the first-instance procedure in one phase. */
typedef struct as_service_law {
    int dist; /* index into procedure.service_dist's choices */
    double median_days;
    double shape;
    double param; /* derived: exponential mean, lognormal zeta, gamma scale or Weibull scale */
} as_service_law;

typedef enum {
    AS_DIST_EXPONENTIAL,
    AS_DIST_LOGNORMAL,
    AS_DIST_GAMMA,
    AS_DIST_WEIBULL
} as_dist;

struct as_model {
    const as_scenario *scn;
    as_grid grid;
    int32_t start_day; /* day number of run.start */
    double horizon;    /* days from run.start to the end of run.end */
    double reform_t;   /* run.reform_start in days since run.start */
    as_engine *eng;
    gsl_rng *rng;     /* re-pointed at a (person, process) stream before each use */
    gsl_rng *rng_seq; /* the sequential arrival-time stream */
    uint64_t seed;
    uint32_t rep;

    /* arrivals.c */
    size_t arr_n;       /* pieces of the household arrival intensity */
    double *arr_breaks; /* days since start */
    double *arr_rates;  /* households per day */
    as_hazard arr_hazard;
    gsl_ran_discrete_t *hh_size_table[2]; /* by phase */
    double next_arrival_t;

    /* procedure.c */
    as_service_law law[2]; /* by phase */
    double p_refugee[2], p_alternative[2];
    size_t cap_n;  /* dated caseworker steps inside the horizon */
    double *cap_t; /* days since start */
    int64_t *cap_value;
    size_t cap_next;     /* next step to apply */
    int64_t caseworkers; /* current servers */
    int64_t busy;        /* servers in service */
    uint32_t *fifo;      /* waiting persons, ring buffer */
    size_t fifo_head, fifo_len, fifo_cap;

    /* observe.c: running stocks and cumulative counts (model.md §1 accounting) */
    int64_t n_present, n_pending;
    int64_t initial_population, cum_arrivals, cum_transfers_back;
    int64_t cum_left, cum_returned, cum_dublin_out;
    as_obs *obs;
    int month; /* period being simulated */

    uint64_t events;
    as_pop pop;
};

/* population.c */
as_status as_pop_init(as_pop *p);
void as_pop_finish(as_pop *p);
void as_pop_clear(as_pop *p);
/* Appends a household of `size` persons (applicants, in reception, no case yet); returns its
 * index and the first person's number through *first. */
as_status
as_pop_add_household(as_pop *p, unsigned size, uint32_t *hh, uint32_t *first) AS_MUST_CHECK;

/* arrivals.c */
as_status as_arrivals_setup(as_model *m, as_error *err) AS_MUST_CHECK;
void as_arrivals_teardown(as_model *m);
as_status as_arrivals_start(as_model *m) AS_MUST_CHECK;
as_status as_arrivals_on_arrival(as_model *m, const as_event *ev) AS_MUST_CHECK;

/* procedure.c */
as_status as_procedure_setup(as_model *m, as_error *err) AS_MUST_CHECK;
void as_procedure_teardown(as_model *m);
as_status as_procedure_start(as_model *m) AS_MUST_CHECK;
/* Puts person p at the back of the first-instance queue (and into service if a server is free). */
as_status as_procedure_enqueue(as_model *m, uint32_t p) AS_MUST_CHECK;
as_status as_procedure_on_capacity(as_model *m, const as_event *ev) AS_MUST_CHECK;
as_status as_procedure_on_decision(as_model *m, const as_event *ev) AS_MUST_CHECK;

/* observe.c */
void as_observe_count(as_model *m, as_indicator_id id, double n);
void as_observe_stocks(as_model *m);
void as_observe_check(const as_model *m);

/* model.c */
as_phase as_model_phase(const as_model *m, double t);

#endif
