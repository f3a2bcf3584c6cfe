/* The person pathway model: one replication of one scenario at a time, from run.start to run.end,
 * writing monthly observations. The model never reads files and never prints (design.md): it
 * takes a loaded scenario, a seed and a replication number and fills an observation array.
 *
 * Indicators are declared once in AS_INDICATORS, with the kinds of model.md §4: a stock is the
 * state at 00:00 of the first day of the next month, a flow counts events in [first day, first day
 * of the next month), a cumulative count never falls. */
#ifndef ASYLSIM_MODEL_H
#define ASYLSIM_MODEL_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "asylsim/error.h"
#include "asylsim/scenario.h"

typedef enum as_ind_kind {
    AS_KIND_STOCK,
    AS_KIND_FLOW,
    AS_KIND_CUMULATIVE,
    AS_KIND_YTD, /* year to date: cumulative from 1 January */
} as_ind_kind;

/* X(ID, NAME, KIND, RULE) — the rules are model.md §4's, shortened. */
#define AS_INDICATORS(X)                                                                           \
    X(AS_IND_ARRIVALS, "arrivals", AS_KIND_FLOW,                                                   \
      "persons applying for asylum, spontaneous or relocated; not transfers back, not the "        \
      "initial population")                                                                        \
    X(AS_IND_DECISIONS_REFUGEE, "decisions_refugee", AS_KIND_FLOW,                                 \
      "first-instance decisions granting refugee status")                                          \
    X(AS_IND_DECISIONS_ALTERNATIVE, "decisions_alternative", AS_KIND_FLOW,                         \
      "first-instance decisions granting alternative status")                                      \
    X(AS_IND_DECISIONS_NEGATIVE, "decisions_negative", AS_KIND_FLOW,                               \
      "negative first-instance decisions")                                                         \
    X(AS_IND_APPEALS_GRANTED, "appeals_granted", AS_KIND_FLOW, "appeal decisions granting status") \
    X(AS_IND_APPEALS_REJECTED, "appeals_rejected", AS_KIND_FLOW,                                   \
      "appeal decisions ending in a final negative")                                               \
    X(AS_IND_PENDING, "pending", AS_KIND_STOCK,                                                    \
      "applicants present awaiting a first-instance decision (queued or in service)")              \
    X(AS_IND_IN_APPEAL, "in_appeal", AS_KIND_STOCK, "applicants present whose appeal is pending")  \
    X(AS_IND_LEFT_DURING_PROCEDURE, "left_during_procedure", AS_KIND_FLOW,                         \
      "departures of applicants awaiting a first-instance or appeal decision; also in "            \
      "left_latvia")                                                                               \
    X(AS_IND_IN_RECEPTION, "in_reception", AS_KIND_STOCK,                                          \
      "persons of any legal state whose place is the reception centre")                            \
    X(AS_IND_APPLICANTS_IN_COMMUNITY, "applicants_in_community", AS_KIND_STOCK,                    \
      "applicants (pending, in appeal or final negative) whose place is the community")            \
    X(AS_IND_PROTECTED_IN_LATVIA, "protected_in_latvia", AS_KIND_STOCK,                            \
      "refugee or alternative status, in the reception centre or the community; includes the "     \
      "initial stock")                                                                             \
    X(AS_IND_HOUSED, "housed", AS_KIND_STOCK,                                                      \
      "protected_in_latvia persons whose place is the community")                                  \
    X(AS_IND_IN_HOUSING_PROGRAMME, "in_housing_programme", AS_KIND_STOCK,                          \
      "housed persons in a host family, a halfway flat or a guaranteed or subsidised tenancy")     \
    X(AS_IND_EMPLOYED, "employed", AS_KIND_STOCK,                                                  \
      "adults present in paid work, formal or informal")                                           \
    X(AS_IND_LANGUAGE_A2_PLUS, "language_a2_plus", AS_KIND_STOCK,                                  \
      "adults present at CEFR A2 or above")                                                        \
    X(AS_IND_IN_COURSE, "in_course", AS_KIND_STOCK,                                                \
      "persons present attending a Latvian course (not waiting for a place)")                      \
    X(AS_IND_PMIC_COURSE_STARTS, "pmic_course_starts", AS_KIND_FLOW,                               \
      "persons starting the reception-centre Latvian course")                                      \
    X(AS_IND_MENTORED, "mentored", AS_KIND_STOCK,                                                  \
      "persons with an open social-work or mentoring case")                                        \
    X(AS_IND_MENTORING_CLIENTS_YEAR, "mentoring_clients_year", AS_KIND_YTD,                        \
      "distinct persons mentored since 1 January; the December value is the year's count")         \
    X(AS_IND_NVA_PLACEMENTS, "nva_placements", AS_KIND_FLOW,                                       \
      "jobs started by persons registered with NVA at the time")                                   \
    X(AS_IND_CHILDREN_IN_SCHOOL, "children_in_school", AS_KIND_STOCK,                              \
      "children present in a school, pre-school or the readiness class")                           \
    X(AS_IND_ADULTS_PROTECTED, "adults_protected", AS_KIND_STOCK,                                  \
      "adults present with refugee or alternative status (denominator of survey shares)")          \
    X(AS_IND_EMPLOYED_PROTECTED, "employed_protected", AS_KIND_STOCK,                              \
      "adults present with status in paid work")                                                   \
    X(AS_IND_ON_BENEFIT, "on_benefit", AS_KIND_STOCK,                                              \
      "persons in a household receiving the monthly refugee benefit (a paid month in progress)")   \
    X(AS_IND_ON_GMI, "on_gmi", AS_KIND_STOCK, "persons in a household receiving GMI")              \
    X(AS_IND_LEFT_LATVIA, "left_latvia", AS_KIND_CUMULATIVE,                                       \
      "departures, all legal states; not Dublin transfers out or returns")                         \
    X(AS_IND_RETURNED, "returned", AS_KIND_CUMULATIVE, "returns and removals")                     \
    X(AS_IND_DUBLIN_OUT, "dublin_out", AS_KIND_CUMULATIVE, "Dublin transfers out")                 \
    X(AS_IND_TRANSFERS_BACK, "transfers_back", AS_KIND_FLOW,                                       \
      "persons transferred back to Latvia (the same persons re-entering)")                         \
    X(AS_IND_PRESENT, "present", AS_KIND_STOCK,                                                    \
      "persons whose place is the reception centre or the community")

typedef enum as_indicator_id {
#define AS_X_ENUM(id, ...) id,
    AS_INDICATORS(AS_X_ENUM)
#undef AS_X_ENUM
    AS_N_INDICATORS
} as_indicator_id;

typedef struct as_indicator_def {
    const char *name;
    as_ind_kind kind;
    const char *rule;
} as_indicator_def;

extern const as_indicator_def as_indicators[AS_N_INDICATORS];

/* Budget rows (model.md §2.13): each (line, payer) pair the model books, with the column of the
 * draft-act annotation table it belongs to. Revenue lines are booked as negative euros.
 * X(ID, LINE, PAYER, ANNOTATION) */
#define AS_BUDGET_ROWS(X)                                                                          \
    X(AS_BR_RECEPTION_STATE, "reception", "state", "state_basic")                                  \
    X(AS_BR_RECEPTION_MUNICIPALITY, "reception", "municipality", "municipal")                      \
    X(AS_BR_ALLOWANCE_STATE, "allowance", "state", "state_basic")                                  \
    X(AS_BR_ONE_OFF_SUPPORT_STATE, "one_off_support", "state", "state_basic")                      \
    X(AS_BR_MONTHLY_BENEFIT_STATE, "monthly_benefit", "state", "state_basic")                      \
    X(AS_BR_GMI_MUNICIPALITY, "gmi", "municipality", "municipal")                                  \
    X(AS_BR_MUNICIPAL_ASSISTANCE_STATE, "municipal_assistance", "state", "state_basic")            \
    X(AS_BR_MENTORING_STATE, "mentoring", "state", "state_basic")                                  \
    X(AS_BR_MENTORING_ESF, "mentoring", "esf", "state_basic")                                      \
    X(AS_BR_LANGUAGE_AND_INTRO_STATE, "language_and_intro", "state", "state_basic")                \
    X(AS_BR_LANGUAGE_AND_INTRO_AMIF, "language_and_intro", "amif", "state_basic")                  \
    X(AS_BR_EDUCATION_MINORS_STATE, "education_minors", "state", "state_basic")                    \
    X(AS_BR_EDUCATION_MINORS_MUNICIPALITY, "education_minors", "municipality", "municipal")        \
    X(AS_BR_INTERPRETING_INFO_STATE, "interpreting_info", "state", "state_basic")                  \
    X(AS_BR_INTERPRETING_INFO_AMIF, "interpreting_info", "amif", "state_basic")                    \
    X(AS_BR_HOUSING_SUPPORT_STATE, "housing_support", "state", "state_basic")                      \
    X(AS_BR_PIT_REVENUE_STATE, "pit_revenue", "state", "state_basic")                              \
    X(AS_BR_PIT_REVENUE_MUNICIPALITY, "pit_revenue", "municipality", "municipal")                  \
    X(AS_BR_SSC_REVENUE_STATE, "ssc_revenue", "state", "state_special")

typedef enum as_budget_row_id {
#define AS_X_ENUM(id, ...) id,
    AS_BUDGET_ROWS(AS_X_ENUM)
#undef AS_X_ENUM
    AS_N_BUDGET_ROWS
} as_budget_row_id;

typedef struct as_budget_row_def {
    const char *line;
    const char *payer;
    const char *annotation; /* state_basic, state_special or municipal */
} as_budget_row_def;

extern const as_budget_row_def as_budget_rows[AS_N_BUDGET_ROWS];

/* Cohorts (model.md §4): persons first granted status inside the horizon, followed for
 * AS_COHORT_MONTHS calendar months after the month of the grant. A replication writes, per month
 * since status m, the sums below; a share is a ratio of two of them (AS_COHORT_SHARES). */
#define AS_COHORT_MONTHS 60
/* Cohort groups: 0 every person first granted status inside the horizon (model.md §4); 1 those of
 * them granted from the month of run.reform_start on (the persons a reform reaches from their
 * status; the comparison's headline uses it). */
#define AS_COHORT_GROUPS 2
/* Doubles of cohort sums per replication. */
#define AS_COHORT_CELLS ((size_t)AS_COHORT_GROUPS * AS_COHORT_N * (AS_COHORT_MONTHS + 1))
typedef enum as_cohort_sum {
    AS_CS_MEMBERS,        /* members granted at least m months before the horizon end */
    AS_CS_PRESENT,        /* of them, present */
    AS_CS_HOUSED,         /* present and housed */
    AS_CS_ADULTS_PRESENT, /* adult members present */
    AS_CS_EMPLOYED,       /* adult members present in work */
    AS_CS_A2_PLUS,        /* adult members present at A2+ */
    AS_COHORT_N
} as_cohort_sum;

/* X(ID, NAME, NUMERATOR, DENOMINATOR) */
#define AS_COHORT_SHARES(X)                                                                        \
    X(AS_SH_HOUSED, "share_housed", AS_CS_HOUSED, AS_CS_PRESENT)                                   \
    X(AS_SH_EMPLOYED, "share_employed", AS_CS_EMPLOYED, AS_CS_ADULTS_PRESENT)                      \
    X(AS_SH_A2_PLUS, "share_a2_plus", AS_CS_A2_PLUS, AS_CS_ADULTS_PRESENT)                         \
    X(AS_SH_IN_LATVIA, "share_in_latvia", AS_CS_PRESENT, AS_CS_MEMBERS)

typedef enum as_cohort_share_id {
#define AS_X_ENUM(id, ...) id,
    AS_COHORT_SHARES(AS_X_ENUM)
#undef AS_X_ENUM
    AS_N_COHORT_SHARES
} as_cohort_share_id;

typedef struct as_cohort_share_def {
    const char *name;
    as_cohort_sum num, den;
} as_cohort_share_def;

extern const as_cohort_share_def as_cohort_shares[AS_N_COHORT_SHARES];

/* The observation grid of a scenario: calendar months from the month of run.start to the month of
 * run.end. Period m covers days [bound[m], bound[m+1]) (day numbers); bound[0] = run.start and
 * bound[n] = run.end + 1, so the first and last periods may be partial months. */
typedef struct as_grid {
    int n_months;
    int32_t *bound; /* n_months + 1 day numbers, new */
} as_grid;

/* Fills *g for scenario s; AS_ERR_NOMEM on failure. Free with as_grid_finish. */
as_status as_grid_init(as_grid *g, const as_scenario *s) AS_MUST_CHECK;
void as_grid_finish(as_grid *g);

/* "YYYY-MM" of period m. */
void as_grid_label(const as_grid *g, int m, char out[8]);

/* A replication's observations: v[ind * n_months + m] and budget[row * n_months + m] (EUR booked
 * in month m). */
typedef struct as_obs {
    int n_months;
    double *v;      /* AS_N_INDICATORS * n_months values, owned by whoever allocated them */
    double *budget; /* AS_N_BUDGET_ROWS * n_months values, likewise */
    double *cohort; /* AS_COHORT_CELLS sums [group][sum][month], likewise (may be NULL) */
} as_obs;

/* The model's workspace for one scenario: parameter tables, population storage, the engine. One
 * workspace runs many replications in turn (no allocation once warm); use one per thread. */
typedef struct as_model as_model;

/* New workspace for `s` (borrowed: must outlive the workspace); NULL with err set on failure. */
as_model *as_model_create(const as_scenario *s, as_error *err);
void as_model_destroy(as_model *m); /* NULL is fine */

/* Runs replication `rep` (<= AS_RNG_MAX_REPLICATION) with `seed` and fills obs (n_months from the
 * scenario's grid; obs->v and obs->budget must hold AS_N_INDICATORS and AS_N_BUDGET_ROWS times
 * n_months doubles). Polls *stop (may be NULL)
 * every few thousand events and at each month, and returns AS_ERR_INTERRUPTED once it is non-zero.
 * Draws only from the streams of (seed, rep, entity, process): the result is a pure function of its
 * arguments. */
as_status as_model_run(as_model *m,
                       uint64_t seed,
                       uint32_t rep,
                       as_obs *obs,
                       const atomic_int *stop,
                       as_error *err) AS_MUST_CHECK;

/* First-instance queue statistics of the last replication after time `warm_days`, for checking
 * the queue against queueing theory: the time-average number waiting (queued, not in service) and
 * the mean wait of the cases that started service. */
typedef struct as_queue_stats {
    double area_waiting; /* integral of the number waiting over [warm, horizon], person-days */
    double span_days;    /* horizon - warm */
    double sum_wait;     /* waits of cases that started service after warm, days */
    uint64_t n_started;
} as_queue_stats;

void as_model_queue_stats(const as_model *m, as_queue_stats *out);

/* Sets the warm-up time of as_model_queue_stats (default 0); call before as_model_run. */
void as_model_set_warmup(as_model *m, double warm_days);

/* Keeps every person and household a replication creates (keep = 1) instead of reusing the
 * storage of households that have left the model for good (keep = 0, the default), so that the
 * two functions below and tests reading the population see everyone, in creation order. Memory
 * then grows with the persons created rather than those present. The results are the same
 * either way, bit for bit. Call before as_model_run. */
void as_model_keep_departed(as_model *m, int keep);

/* Per-person and per-household first times of the last replication, for coupling checks:
 * first job start of each person and first housing after status of each household (INFINITY when
 * none), in creation order. Only with as_model_keep_departed(m, 1); otherwise NULL and *n = 0.
 * Borrowed: valid until the next run or destroy. */
const double *as_model_first_jobs(const as_model *m, size_t *n_persons);
const double *as_model_first_tenancies(const as_model *m, size_t *n_households);

/* Events handled (live) in the last replication, and persons created, for benchmarks. */
uint64_t as_model_events(const as_model *m);
uint64_t as_model_persons(const as_model *m);
/* The live events pending at the month ends of the last replication, summed over them. With the
 * number of months, the mean size of the queue a benchmark of the queue alone should use. */
uint64_t as_model_pending_sum(const as_model *m);

#endif
