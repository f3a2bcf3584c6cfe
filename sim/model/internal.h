/* Private to sim/model: the workspace shared by the process files and the replication loop
 * (model.c). Each process file owns its part of the struct and its handlers; model.c dispatches
 * events through the const handler table.
 *
 * State changes of a person go through as_person_begin / as_person_end (population.c), which keep
 * every running count (stocks, accrual bases) equal to a recount of the population: the debug
 * checks recount and compare at every observation. */
#ifndef ASYLSIM_MODEL_INTERNAL_H
#define ASYLSIM_MODEL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "asylsim/engine.h"
#include "asylsim/ksum.h"
#include "asylsim/model.h"
#include "asylsim/scenario.h"

/* Days per month, used only to turn per-month parameters into per-day rates (model.md, Months). */
#define AS_DAYS_PER_MONTH 30.4375
#define AS_DAYS_PER_YEAR  365.25

/* Engine process numbers: what an event means and whose it is. */
enum {
    AS_P_ARRIVAL,       /* entity 0: the next spontaneous household arrives */
    AS_P_RELOCATION,    /* entity 0: the next relocation batch arrives */
    AS_P_CASEWORKERS,   /* entity 0: a dated caseworker count changes */
    AS_P_BEDS,          /* entity 0: a dated reception capacity changes */
    AS_P_DECISION,      /* person: the first-instance decision */
    AS_P_APPEAL,        /* person: the appeal decision */
    AS_P_REMOVAL,       /* person: return after a final negative */
    AS_P_DUBLIN,        /* person: Dublin transfer out */
    AS_P_ACCOUNT,       /* person: the bank account opens, the one-off is paid */
    AS_P_LEAVE,         /* household: departure from Latvia */
    AS_P_TRANSFER_BACK, /* household: transferred back to Latvia */
    AS_P_HOUSING,       /* household: finds housing and leaves the reception centre */
    AS_P_MAX_STAY,      /* household: the longest stay after status ends */
    AS_P_N
};

/* Random-stream process numbers (rng.h). Part of the reproducibility contract: renumbering one
 * changes every output. Each names one kind of draw, so a change to one process never shifts
 * another's draws; the substream separates repeated draws of the same kind. */
enum {
    AS_STREAM_ARRIVALS = 1,      /* entity 0: spontaneous arrival times, sequential */
    AS_STREAM_HOUSEHOLD = 2,     /* household: size, composition, origin, languages */
    AS_STREAM_SERVICE = 3,       /* person, substream = case spell: service time */
    AS_STREAM_OUTCOME = 4,       /* household, substream 0 first decision, 1 appeal yes/no, 2
                                    appeal outcome: one uniform each, shared by the members */
    AS_STREAM_APPEAL = 5,        /* person, substream = spell: appeal duration */
    AS_STREAM_REMOVAL = 6,       /* person, substream = spell: time to return or transfer */
    AS_STREAM_LEAVE = 7,         /* household, substream = departure spell: unit exponential */
    AS_STREAM_TRANSFER_BACK = 8, /* household, substream = departure number: yes/no, delay */
    AS_STREAM_DUBLIN = 9,        /* household: Dublin case or not */
    AS_STREAM_HOUSING = 10,      /* household, substream = search spell: unit exponential */
    AS_STREAM_BENEFIT = 11,      /* household: NVA registration (0), GMI take-up (1) */
};

typedef enum as_legal {
    AS_LEGAL_APPLICANT, /* pending, in appeal, or final negative awaiting return */
    AS_LEGAL_REFUGEE,
    AS_LEGAL_ALTERNATIVE,
} as_legal;

typedef enum as_place {
    AS_PLACE_RECEPTION,
    AS_PLACE_COMMUNITY,
    AS_PLACE_LEFT,     /* left Latvia (departure or Dublin transfer) */
    AS_PLACE_RETURNED, /* returned or removed: absorbing */
} as_place;

/* Where in the community: decides who pays for the roof. */
typedef enum as_lodging {
    AS_LODGING_NONE,      /* in the reception centre, or abroad */
    AS_LODGING_WAIT_LIST, /* applicant waiting for a reception bed */
    AS_LODGING_MUNICIPAL, /* applicant in municipal accommodation (overflow) */
    AS_LODGING_OWN,       /* housed: rent, host family, halfway flat, crisis centre */
} as_lodging;

typedef enum as_case_state {
    AS_CASE_NONE,           /* no case: initial status holders */
    AS_CASE_QUEUED,         /* waiting for a caseworker */
    AS_CASE_IN_SERVICE,     /* a caseworker is deciding */
    AS_CASE_APPEAL,         /* negative, appeal pending */
    AS_CASE_FINAL_NEGATIVE, /* awaiting return */
    AS_CASE_DUBLIN,         /* awaiting a Dublin transfer out */
    AS_CASE_GRANTED,        /* status granted */
    AS_CASE_CLOSED,         /* returned or transferred out */
} as_case_state;

/* Person flags. */
#define AS_PF_ADULT             0x01u
#define AS_PF_FEMALE            0x02u
#define AS_PF_BRIDGE            0x04u /* speaks English or Russian */
#define AS_PF_LATIN             0x08u /* reads Latin script */
#define AS_PF_PAUSED            0x10u /* the case was interrupted by a departure; resumes on return */
#define AS_PF_IN_PMIC_AT_STATUS 0x20u

/* Household flags. */
#define AS_HF_POST_SOVIET 0x01u
#define AS_HF_RELOCATED   0x02u
#define AS_HF_INITIAL     0x04u /* part of the initial population */
#define AS_HF_NVA         0x08u /* registered with NVA (benefit condition) */
#define AS_HF_GMI_TAKEUP  0x10u /* claims GMI when eligible */
#define AS_HF_BENEFIT     0x20u /* a benefit episode is active */
#define AS_HF_ON_BENEFIT  0x40u /* receiving: episode active and eligible */
#define AS_HF_ON_GMI      0x80u

/* Running counts of persons, kept by as_person_begin/end; the stocks of §4 and the bases of the
 * daily accruals. */
enum {
    AS_C_PRESENT,
    AS_C_PENDING,
    AS_C_IN_APPEAL,
    AS_C_IN_RECEPTION,
    AS_C_APPLICANTS_IN_COMMUNITY,
    AS_C_PROTECTED,
    AS_C_HOUSED,
    AS_C_ON_BENEFIT,
    AS_C_ON_GMI,
    AS_C_MUNICIPAL_BEDS, /* applicants in municipal overflow accommodation */
    AS_C_ALLOWANCE,      /* applicants present and not housed: paid the daily cash */
    AS_C_IN_KIND,        /* applicants in the reception centre: goods in kind */
    AS_C_N
};

/* Persons, struct of arrays (no allocation per person once warm). */
typedef struct as_pop {
    size_t n, cap;
    uint8_t *legal;      /* as_legal */
    uint8_t *place;      /* as_place */
    uint8_t *lodging;    /* as_lodging */
    uint8_t *case_state; /* as_case_state */
    uint8_t *flags;      /* AS_PF_* */
    uint8_t *age;        /* years, at arrival */
    uint16_t *spell;     /* case spells: substream of the case draws */
    uint16_t *ticket;    /* procedure queue ticket: an entry is valid only with this ticket */
    uint16_t *wticket;   /* reception wait-list ticket, likewise */
    uint32_t *household;
    double *arrival_t;   /* days since start; -1 for the initial population */
    double *status_t;    /* when status was granted; -INFINITY for the initial stock */
    double *pmic_left_t; /* when the person last left the reception centre */
    double *queued_t;    /* when the person last joined the first-instance queue */
} as_pop;

/* Households, struct of arrays. Members are consecutive persons. */
typedef struct as_hh {
    size_t n, cap;
    uint32_t *first;
    uint8_t *size;
    uint8_t *flags;        /* AS_HF_* */
    uint16_t *leave_spell; /* departures so far: substream of the departure draws */
    uint16_t *search_spell;
    as_risk *leave;       /* departure risk (u = days since start) */
    as_risk *search;      /* housing search risk (u = days since the household's status) */
    double *status_t;     /* first status grant in the household; NAN if none */
    uint32_t *head;       /* first status-holding adult: paid the first-adult amounts */
    int32_t *ent_day;     /* benefit entitlement day (day number) */
    uint16_t *ent_months; /* paid months of the episode; 0 = no episode yet */
    uint16_t *paid;       /* months paid so far */
    uint16_t *next_k;     /* next anniversary to settle (1-based) */
} as_hh;

/* Parameters that are not dated: one copy per phase (before/after run.reform_start). */
typedef struct as_par {
    int service_dist;
    double service_median_days, service_shape, service_factor_post_soviet;
    double service_param; /* derived: exponential mean, lognormal zeta, gamma or Weibull scale */
    double p_refugee, p_alternative, p_refugee_relocated, p_alternative_relocated;
    double status_factor_post_soviet;
    int priority_relocated;
    double p_appeal, appeal_mean_days, p_appeal_granted, removal_mean_days, p_dublin_out;
    double p_transfer_back, transfer_back_mean_days, hr_relocated_applicant;
    int overflow_municipal;
    int status_holders_may_stay;
    double max_stay_days;
    int allowance_cpi;
    int one_off_move_in;
    double bank_account_delay_days;
    int window_months;
    int require_nva;
    int benefit_index; /* 0 none, 1 cpi, 2 min_wage */
    double gmi_takeup, nva_register_prob;
    double deposit_months;
    double search_scale_days; /* Weibull scale of the housing search */
    double share_with_children, share_female_adult, share_post_soviet, share_bridge, share_latin;
    gsl_ran_discrete_t *size_table; /* household sizes */
    double p_children_given_multi;  /* P(children | size >= 2) */
} as_par;

typedef enum {
    AS_DIST_EXPONENTIAL,
    AS_DIST_LOGNORMAL,
    AS_DIST_GAMMA,
    AS_DIST_WEIBULL
} as_dist;

/* A FIFO of (person, ticket) entries; entries whose ticket is stale are skipped. */
typedef struct as_fifo {
    uint64_t *e;
    size_t head, len, cap;
} as_fifo;

/* Accrual ticks: the days at which accrued person-days are priced and booked (month starts and
 * the steps of every dated price), in days since start. */
typedef struct as_ticks {
    size_t n;
    double *t;
    uint8_t *is_month_end; /* 1 if tick i closes observation period month_of[i] */
    int *month_of;         /* the period a tick's interval belongs to */
} as_ticks;

struct as_model {
    const as_scenario *scn;
    as_grid grid;
    int32_t start_day; /* day number of run.start */
    double horizon;    /* days from run.start to the end of run.end */
    double reform_t;   /* run.reform_start in days since run.start */
    as_par par[2];     /* by phase */
    as_engine *eng;
    gsl_rng *rng;     /* re-pointed at a stream before each use */
    gsl_rng *rng_seq; /* the sequential arrival-time stream */
    uint64_t seed;
    uint32_t rep;

    /* Dated settings used at run time (borrowed from the scenario). */
    const as_dated *d_caseworkers, *d_beds, *d_leave_procedure, *d_leave_status;
    const as_dated *d_bed_cost, *d_allowance, *d_clothing, *d_in_kind;
    const as_dated *d_one_off_adult, *d_one_off_next, *d_goods, *d_pmic_deduction;
    const as_dated *d_monthly_adult, *d_monthly_next, *d_months_refugee, *d_months_alternative;
    const as_dated *d_gmi_first, *d_gmi_next, *d_municipal, *d_cpi, *d_min_wage;
    const as_dated *d_rent_base, *d_rent_extra, *d_work_permit;

    /* arrivals.c */
    size_t arr_n;       /* pieces of the spontaneous household intensity */
    double *arr_breaks; /* days since start */
    double *arr_rates;  /* households per day */
    as_hazard arr_hazard;
    size_t reloc_n;      /* relocation batches inside the horizon */
    double *reloc_t;     /* days since start */
    int64_t *reloc_size; /* persons */
    size_t reloc_next;

    /* procedure.c */
    size_t cw_n; /* caseworker steps inside the horizon (step 0 = run.start) */
    double *cw_t;
    int64_t *cw_value;
    size_t cw_next;
    int64_t caseworkers, busy;
    as_fifo queue;    /* spontaneous applicants */
    as_fifo queue_hi; /* relocated applicants, served first with procedure.priority_relocated */

    /* reception.c */
    size_t beds_n;
    double *beds_t;
    int64_t *beds_value;
    size_t beds_next;
    int64_t beds;
    as_fifo wait;

    /* movement.c: departure hazards in scenario time (days since start), by legal phase */
    double *leave_breaks[2], *leave_rates[2];
    as_hazard leave_hazard[2]; /* 0 applicants, 1 households with a status holder */
    as_hazard search_hazard;   /* housing search: Weibull since status */

    /* budget.c */
    as_ticks ticks;
    double accrue_t; /* time up to which person-days are accrued */
    double person_days[AS_C_N];
    double gmi_first_days, gmi_next_days; /* household-days on GMI, first and further persons */
    int64_t gmi_households, gmi_next_persons;
    double *cpi_index; /* by year from the start year; 1 before indexation starts */
    int cpi_year0, cpi_years;
    int32_t allowance_index_base, benefit_index_base; /* day numbers; INT32_MAX = never */

    /* benefits.c: households with an active benefit episode */
    uint32_t *episodes;
    size_t n_episodes, cap_episodes;

    /* population.c / observe.c */
    int64_t cnt[AS_C_N];
    int64_t initial_population, cum_arrivals, cum_transfers_back;
    int64_t cum_left, cum_returned, cum_dublin_out;
    as_obs *obs;
    int month; /* period being simulated */

    as_queue_stats qstats;
    double warm_days;
    double qstats_t; /* time up to which area_waiting is integrated */

    uint64_t events;
    as_pop pop;
    as_hh hh;
};

/* ---- population.c ---- */
void as_pop_finish(as_pop *p);
void as_hh_finish(as_hh *h);
/* Appends a household of `size` persons with no state yet (the caller fills it), returning its
 * index and its first person. Grows the engine's entities too. */
as_status as_add_household(as_model *m, unsigned size, uint32_t *hh, uint32_t *first) AS_MUST_CHECK;
/* Bracket every change of a person's legal state, place, lodging or case state, and of its
 * household's benefit flags: begin removes the person's contribution to the running counts, end
 * adds it back. */
void as_person_begin(as_model *m, uint32_t p);
void as_person_end(as_model *m, uint32_t p);
/* The same for every member of a household (household flags that change the counts). */
void as_household_begin(as_model *m, uint32_t h);
void as_household_end(as_model *m, uint32_t h);
/* Adds `sign` x the person's contribution to counts `c` (AS_C_N values). */
void as_person_contrib(const as_model *m, uint32_t p, int64_t sign, int64_t *c);
static inline int as_is_present(const as_model *m, uint32_t p)
{
    return m->pop.place[p] == AS_PLACE_RECEPTION || m->pop.place[p] == AS_PLACE_COMMUNITY;
}
static inline int as_is_protected(const as_model *m, uint32_t p)
{
    return m->pop.legal[p] != AS_LEGAL_APPLICANT;
}
/* Members of h present / present with status. */
unsigned as_hh_present(const as_model *m, uint32_t h);
unsigned as_hh_protected_present(const as_model *m, uint32_t h);

/* FIFOs */
as_status as_fifo_push(as_fifo *q, uint32_t p, uint16_t ticket) AS_MUST_CHECK;
int as_fifo_pop(as_fifo *q, uint32_t *p, uint16_t *ticket);
void as_fifo_free(as_fifo *q);

/* ---- arrivals.c ---- */
as_status as_arrivals_setup(as_model *m, as_error *err) AS_MUST_CHECK;
void as_arrivals_teardown(as_model *m);
as_status as_arrivals_start(as_model *m) AS_MUST_CHECK;
as_status as_arrivals_on_arrival(as_model *m, const as_event *ev) AS_MUST_CHECK;
as_status as_arrivals_on_relocation(as_model *m, const as_event *ev) AS_MUST_CHECK;
/* Draws a household of `size` (0 = draw the size) with its composition and origin; it has no
 * place or legal state yet. */
as_status
as_arrivals_new_household(as_model *m, unsigned size, unsigned flags, uint32_t *hh) AS_MUST_CHECK;

/* ---- procedure.c ---- */
as_status as_procedure_setup(as_model *m, as_error *err) AS_MUST_CHECK;
void as_procedure_teardown(as_model *m);
as_status as_procedure_start(as_model *m) AS_MUST_CHECK;
/* Opens the case of applicant p (new, or resumed after a transfer back): Dublin, queue, appeal
 * or removal as its case state says. */
as_status as_procedure_open(as_model *m, uint32_t p) AS_MUST_CHECK;
/* Interrupts p's case because p leaves Latvia (frees a caseworker, cancels timers). */
as_status as_procedure_pause(as_model *m, uint32_t p) AS_MUST_CHECK;
as_status as_procedure_on_caseworkers(as_model *m, const as_event *ev) AS_MUST_CHECK;
as_status as_procedure_on_decision(as_model *m, const as_event *ev) AS_MUST_CHECK;
as_status as_procedure_on_appeal(as_model *m, const as_event *ev) AS_MUST_CHECK;
as_status as_procedure_on_removal(as_model *m, const as_event *ev) AS_MUST_CHECK;
as_status as_procedure_on_dublin(as_model *m, const as_event *ev) AS_MUST_CHECK;

/* ---- reception.c ---- */
as_status as_reception_setup(as_model *m, as_error *err) AS_MUST_CHECK;
void as_reception_teardown(as_model *m);
as_status as_reception_start(as_model *m) AS_MUST_CHECK;
/* Gives applicant p (present, no roof yet) a bed, or the overflow. */
as_status as_reception_admit(as_model *m, uint32_t p) AS_MUST_CHECK;
/* Moves p out of the centre to `lodging` in the community (or abroad with AS_PLACE_LEFT...). The
 * caller brackets with as_person_begin/end; this frees the bed and fills it from the wait list
 * after the caller's end (call as_reception_fill). */
as_status as_reception_fill(as_model *m) AS_MUST_CHECK;
as_status as_reception_on_beds(as_model *m, const as_event *ev) AS_MUST_CHECK;

/* ---- movement.c ---- */
as_status as_movement_setup(as_model *m, as_error *err) AS_MUST_CHECK;
void as_movement_teardown(as_model *m);
/* (Re)starts household h's departure risk with a fresh unit exponential. */
as_status as_movement_start(as_model *m, uint32_t h) AS_MUST_CHECK;
/* Re-times h's departure after its legal phase changed (first status): the spent budget counts. */
as_status as_movement_retime(as_model *m, uint32_t h, int old_phase) AS_MUST_CHECK;
int as_movement_phase(const as_model *m, uint32_t h);
as_status as_movement_on_leave(as_model *m, const as_event *ev) AS_MUST_CHECK;
as_status as_movement_on_transfer_back(as_model *m, const as_event *ev) AS_MUST_CHECK;

/* ---- housing.c ---- */
void as_housing_setup(as_model *m);
/* Called when a member of h is granted status: starts the search, or moves status holders out. */
as_status as_housing_on_status(as_model *m, uint32_t h) AS_MUST_CHECK;
as_status as_housing_on_found(as_model *m, const as_event *ev) AS_MUST_CHECK;
as_status as_housing_on_max_stay(as_model *m, const as_event *ev) AS_MUST_CHECK;
/* Moves every member of h in the reception centre to the community (housed). */
as_status as_housing_move_out(as_model *m, uint32_t h) AS_MUST_CHECK;

/* ---- benefits.c ---- */
as_status as_benefits_setup(as_model *m, as_error *err) AS_MUST_CHECK;
void as_benefits_teardown(as_model *m);
void as_benefits_start(as_model *m);
/* Person p (in household h) was granted status at the current time. */
as_status as_benefits_on_status(as_model *m, uint32_t p) AS_MUST_CHECK;
as_status as_benefits_on_account(as_model *m, const as_event *ev) AS_MUST_CHECK;
/* Pays h's benefit months falling strictly before `t` (settle before any change of eligibility,
 * and at each month end). */
void as_benefits_settle(as_model *m, uint32_t h, double t, int strictly_before);
/* Recomputes h's on_benefit / on_gmi flags from its current state (after settling). */
void as_benefits_update(as_model *m, uint32_t h);
/* Settles every active episode up to the month boundary `t`. */
void as_benefits_month_end(as_model *m, double t);
/* A day number's benefit index (indexation of benefits.*). */
double as_benefit_index(const as_model *m, int32_t day);

/* ---- budget.c ---- */
as_status as_budget_setup(as_model *m, as_error *err) AS_MUST_CHECK;
void as_budget_teardown(as_model *m);
void as_budget_start(as_model *m);
/* Accrues person-days of the running counts up to t (call before counts change at t). */
void as_budget_accrue(as_model *m, double t);
/* Prices and books the person-days accrued since the last tick, as of tick interval start. */
void as_budget_book_accruals(as_model *m, double interval_start);
/* Books `eur` to budget row r in the current month. */
void as_budget_book(as_model *m, as_budget_row_id r, double eur);
/* The allowance's price index at a day number. */
double as_allowance_index(const as_model *m, int32_t day);

/* ---- observe.c ---- */
void as_observe_count(as_model *m, as_indicator_id id, double n);
void as_observe_stocks(as_model *m);
void as_observe_check(const as_model *m);

/* ---- model.c ---- */
as_phase as_model_phase(const as_model *m, double t);
static inline const as_par *as_model_par(const as_model *m, double t)
{
    return &m->par[t >= m->reform_t];
}
/* The day number containing time t (days since start). */
static inline double as_model_day(const as_model *m, double t)
{
    return (double)m->start_day + t;
}

#endif
