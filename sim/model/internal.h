/* Private to sim/model: the workspace shared by the process files and the replication loop
 * (model.c). Each process file owns its part of the struct and its handlers; model.c dispatches
 * events through the const handler table.
 *
 * State changes of a person go through as_person_begin / as_person_end (population.c), which keep
 * every running count (stocks, accrual bases) equal to a recount of the population: the debug
 * checks recount and compare at every observation. */
#ifndef ASYLSIM_MODEL_INTERNAL_H
#define ASYLSIM_MODEL_INTERNAL_H

#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "asylsim/engine.h"
#include "asylsim/fp.h"
#include "asylsim/ksum.h"
#include "asylsim/model.h"
#include "asylsim/scenario.h"
#include "as_config.h"

/* Days per month, used only to turn per-month parameters into per-day rates (model.md, Months). */
#define AS_DAYS_PER_MONTH 30.4375
#define AS_DAYS_PER_YEAR  365.25

/* Engine process numbers: what an event means and whose it is (a new one also needs its owner in
 * population.c's process_owner, which decides when a slot may be reused). */
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
    AS_P_STAFF,         /* entity 0: a dated staff count, caseload or course capacity changes */
    AS_P_JOB,           /* person: a job is found, or (employed) lost */
    AS_P_PERMIT,        /* person: an applicant may start to work */
    AS_P_COURSE,        /* person: a course ends or reaches its next level */
    AS_P_DROPOUT,       /* person: drops out of the course */
    AS_P_COURSE_GAP,    /* person: the wait between levels is over */
    AS_P_SCHOOL,        /* person: a child starts school */
    AS_P_SCHOOL_STEP,   /* person: settled at school, or municipal support ends */
    AS_P_MENTOR_END,    /* household: the social-work or mentoring case ends */
    AS_P_BENEFIT_STOP,  /* household: the job-stop rule ends the benefit episode */
    AS_P_TENANCY_LOSS,  /* household: loses its tenancy (to a crisis centre) */
    AS_P_PROGRAMME_END, /* household: a host-family or halfway-flat placement ends */
    AS_P_SETTLED,       /* person: a child is settled at school */
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
    AS_STREAM_BENEFIT = 11,      /* household: GMI take-up */
    AS_STREAM_JOB = 12,          /* person, substream = job spell: the search or loss unit
                                    exponential, the wage, formal or not */
    AS_STREAM_NVA = 13,          /* person: NVA registration */
    AS_STREAM_COURSE = 14,       /* person, substream = course spell: enrolment, dropout */
    AS_STREAM_MENTOR = 15,       /* household: uptake */
    AS_STREAM_TENANCY = 16,      /* household, substream = tenancy spell: loss unit exponential */
    AS_STREAM_SERVICES = 17,     /* person: integration course attendance */
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
#define AS_PF_NVA               0x40u /* registered with NVA */
#define AS_PF_SETTLED           0x80u /* a child settled at school */
#define AS_PF_MAY_WORK          0x100u /* allowed to work (status, or an applicant past the permit) */
#define AS_PF_ACCOUNT           0x200u /* has a bank account (status holder past the delay) */

/* Household flags. */
#define AS_HF_POST_SOVIET 0x01u
#define AS_HF_RELOCATED   0x02u
#define AS_HF_INITIAL     0x04u /* part of the initial population */
#define AS_HF_NVA         0x08u /* registered with NVA (benefit condition) */
#define AS_HF_GMI_TAKEUP  0x10u /* claims GMI when eligible */
#define AS_HF_BENEFIT     0x20u /* a benefit episode is active */
#define AS_HF_ON_BENEFIT  0x40u /* receiving: episode active and eligible */
#define AS_HF_ON_GMI      0x80u
#define AS_HF_STOPPED     0x100u  /* the job-stop rule ended the episode (may resume on job loss) */
#define AS_HF_MENTOR_WAIT 0x200u  /* waiting for a mentoring place */
#define AS_HF_MENTORED    0x400u  /* a social-work or mentoring case is open */
#define AS_HF_MENTOR_OK   0x800u  /* accepted mentoring (uptake) */
#define AS_HF_CASH_WAIT   0x1000u /* its search waits for the up-front rent (housing.cash_gate) */
#define AS_HF_CASH_LISTED 0x2000u /* has an entry in m->cash_wait */

/* How a household with status in the community is housed (model.md §2.8). */
typedef enum as_tenancy {
    AS_TEN_NONE,       /* not yet (reception centre, or waiting in the community as applicants) */
    AS_TEN_PRIVATE,    /* a private tenancy */
    AS_TEN_GUARANTEED, /* a private tenancy with the state guarantee or the housing subsidy */
    AS_TEN_HOST,       /* a host family */
    AS_TEN_HALFWAY,    /* a halfway / social flat */
    AS_TEN_CRISIS,     /* a crisis centre after losing a tenancy */
} as_tenancy;

/* Course state of a person. */
typedef enum as_course {
    AS_COURSE_NONE,
    AS_COURSE_WAIT, /* on the post-status course wait list */
    AS_COURSE_PMIC, /* the reception-centre course */
    AS_COURSE_POST, /* a post-status course */
} as_course;

/* School state of a child. */
typedef enum as_school {
    AS_SCHOOL_NONE,
    AS_SCHOOL_WAIT,      /* waiting for the start (deadline) */
    AS_SCHOOL_BASE,      /* base school (IZM) or the readiness class, before status */
    AS_SCHOOL_LOCAL_SUP, /* local school with municipal Latvian support */
    AS_SCHOOL_LOCAL,     /* local school, support over */
} as_school;

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
    AS_C_EMPLOYED,       /* adults present in paid work */
    AS_C_A2_PLUS,        /* adults present at A2 or above */
    AS_C_IN_COURSE,      /* persons present attending a course */
    AS_C_MENTORED,       /* persons present with an open case */
    AS_C_SOCIAL_WORK,    /* of them, in the procedure phase (social workers) */
    AS_C_IN_SCHOOL,      /* children present at school */
    AS_C_SCHOOL_IZM,     /* of them, in a base school or the readiness class (state pays) */
    AS_C_SCHOOL_MUNI,    /* of them, with municipal Latvian support */
    AS_C_IN_PROGRAMME,   /* housed persons in a housing programme */
    AS_C_ADULTS_PROTECTED,
    AS_C_EMPLOYED_PROTECTED,
    AS_C_N
};

/* Marks "no slot" in the slot lists below, and a free household slot's id. */
#define AS_NO_SLOT UINT32_MAX
/* A household slot's link in a list it is not on (the sweep list, the re-timing list). */
#define AS_NOT_LISTED (UINT32_MAX - 1)

/* Persons, struct of arrays (no allocation per person once warm). A person's index here is its
 * slot, which a later person reuses once the whole household has left the model for good (see
 * as_population_sweep); what must not depend on the storage (random streams, anything output)
 * uses `id`, the creation number, instead. Engine events of person processes name the slot. */
typedef struct as_pop {
    size_t n, cap;       /* slots in use or free (the high-water mark), slots allocated */
    uint32_t *id;        /* creation number in the replication: the random-stream entity */
    uint16_t *refs;      /* entries naming this slot in the FIFOs (queue, wait, course_wait) */
    uint32_t *cohort_at; /* absolute index of the person's entry in m->cohort; AS_NO_SLOT if none */
    uint8_t *legal;      /* as_legal */
    uint8_t *place;      /* as_place */
    uint8_t *lodging;    /* as_lodging */
    uint8_t *case_state; /* as_case_state */
    uint16_t *flags;     /* AS_PF_* */
    uint32_t *mask;      /* the running counts the person is in (bit k: count k), as_person_end */
    uint8_t *age;        /* years, at arrival */
    uint16_t *spell;     /* case spells: substream of the case draws */
    uint16_t *ticket;    /* procedure queue ticket: an entry is valid only with this ticket */
    uint16_t *wticket;   /* reception wait-list ticket, likewise */
    uint32_t *household;
    double *arrival_t;   /* days since start; -1 for the initial population */
    double *status_t;    /* when status was granted; -INFINITY for the initial stock */
    double *pmic_left_t; /* when the person last left the reception centre */
    double *queued_t;    /* when the person last joined the first-instance queue */
    uint8_t *level;      /* CEFR: 0 pre-A1, 1 A1, 2 A2, 3 B1, 4 B2+ */
    uint8_t *course;     /* as_course */
    uint8_t *school;     /* as_school */
    uint8_t *job;        /* 0 none, 1 formal, 2 informal */
    uint16_t *job_spell;
    uint16_t *course_spell;
    uint16_t *mentor_year; /* last calendar year counted in mentoring_clients_year */
    float *hours;          /* effective course hours at hours_t */
    double *hours_t;
    float *wage;         /* monthly EUR while employed */
    double *first_job_t; /* first job start; INFINITY if none */
    as_risk *job_risk;   /* job search (unemployed) or job loss (employed) */
    as_risk *drop_risk;  /* course dropout */
} as_pop;

/* Households, struct of arrays. Members are consecutive persons: slots first..first+size-1 of a
 * block of `block` person slots that stays with the household slot when it is freed and reused
 * (free lists by block length). Like persons, a household has a slot and a creation number. */
typedef struct as_hh {
    size_t n, cap; /* slots in use or free (the high-water mark), slots allocated */
    uint32_t *id; /* creation number: the random-stream entity; AS_NO_SLOT while the slot is free */
    uint16_t *refs; /* entries naming this slot in sw_wait, mentor_wait, episodes, programme and
                     * cash_wait */
    uint32_t *next,
            *prev;  /* live households in creation order; a free slot's next: its free list */
    uint8_t *block; /* person slots of the block at first (size <= block) */
    uint32_t live_head, live_tail; /* oldest and newest live household; AS_NO_SLOT if none */
    /* Households the month-end sweep looks at: new ones and those whose last member present left
     * (singly linked through sweep_next, AS_NO_SLOT ends it; AS_NOT_LISTED: not on the list). */
    uint32_t *sweep_next;
    uint32_t sweep_head;
    /* Households whose risks await re-timing (as_covariates_flush), first marked first: linked
     * through dirty_next, AS_NO_SLOT ends it; AS_NOT_LISTED: not on the list. */
    uint32_t *dirty_next;
    uint32_t dirty_head, dirty_tail;
    uint32_t free_head[256]; /* free household slots by block length; AS_NO_SLOT if none */
    size_t n_live;           /* live households */
    size_t persons_live;     /* members of live households */
    uint32_t *first;
    uint8_t *size;
    uint8_t *n_present;   /* members present (AS_C_PRESENT in their mask) */
    uint8_t *n_protected; /* members present with status (AS_C_PROTECTED in their mask) */
    uint16_t *flags;      /* AS_HF_* */
    uint8_t *tenancy;     /* as_tenancy */
    uint16_t *tenancy_spell;
    double *tenancy_t;       /* start of the current tenancy or placement */
    double *first_tenancy_t; /* first housing after status; INFINITY if none */
    double *mentor_t;        /* start of the open case */
    double *arrival_t;       /* when the household arrived (or run.start) */
    double *left_t;          /* when it last left Latvia */
    double *search_t;        /* start of the current housing search */
    double *housing_paid_t;  /* housing support settled up to here */
    double *cash;            /* EUR put aside towards the up-front rent (housing.cash_gate) */
    as_risk *loss;           /* tenancy loss risk (u = days since start) */
    uint16_t *mentor_slots;  /* persons the open case takes from the capacity */
    uint8_t *mentor_phase;   /* 1 social work (procedure), 2 mentoring (after status) */
    uint16_t *leave_spell;   /* departures so far: substream of the departure draws */
    uint16_t *search_spell;
    as_risk *leave;       /* departure risk (u = days since start) */
    as_risk *search;      /* housing search risk (u = days since the household's status) */
    double *status_t;     /* first status grant in the household; NAN if none */
    uint32_t *head;       /* first status-holding adult: paid the first-adult amounts */
    int32_t *ent_day;     /* benefit entitlement day (day number) */
    uint16_t *ent_months; /* paid months of the episode; 0 = no episode yet */
    uint16_t *paid;       /* months paid so far */
    uint16_t *next_k;     /* next anniversary to settle (1-based) */
    int32_t *next_day;    /* its day number: as_add_months(ent_day, next_k) */
} as_hh;

/* Entries of the tables of small powers in as_par. */
#define AS_POW_TABLE 16

/* pow(x, k) from `table` (pow(x, j) for j < AS_POW_TABLE), the same number either way. */
static inline double as_pow_small(const double *table, double x, unsigned k)
{
    return k < AS_POW_TABLE ? table[k] : pow(x, (double)k);
}

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
    int cash_gate;
    double savings_share;
    double search_scale_days; /* Weibull scale of the housing search */
    /* mentoring */
    double mentor_procedure_days, mentor_after_days, mentor_uptake, pay_multiplier;
    int mentor_until_self_sufficient;
    double hr_mentor_job, hr_mentor_housing, hr_mentor_leave, hr_mentor_course;
    int32_t mentoring_funded_until, language_funded_until, services_funded_until;
    /* language */
    int pmic_max_level;
    double pmic_enrol_prob, attention_pre_status, hours_to[3], literacy_factor;
    int nva_requires_unemployed, stop_when_employed;
    double gap_days, decay_per_day;
    /* housing */
    double affordability_limit, hr_children, hr_extra_member, hr_post_soviet_housing,
            hr_unaffordable, hr_level_housing, hr_arrears;
    int guarantee;
    double subsidy_taper[3], utilities_cover[3], halfway_cover[3], host_days;
    /* employment */
    double hr_cash_only, hr_nva, hr_level_job, hr_bridge, hr_mother, informal_share;
    /* pow(hr_extra_member, k), pow(hr_level_housing, k), pow(hr_level_job, k) for small k: the
     * multipliers are recomputed at every change of a household (as_pow_small). */
    double pow_extra_member[AS_POW_TABLE], pow_level_housing[AS_POW_TABLE],
            pow_level_job[AS_POW_TABLE];
    /* education */
    double school_deadline_days, support_days, settle_days, hr_leave_settled;
    int readiness_class;
    /* movement */
    double hr_housed, hr_employed, hr_inadequate, hr_on_benefit, hr_post_soviet_leave;
    double benefit_lost_days;
    /* benefits and services */
    int job_stop_rule, keep_during_training, resume_after_job_loss;
    double stop_after_job_days;
    double interp_uses, info_consults, intro_prob;
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
    const as_dated *d_social_workers, *d_mentors, *d_cap_sw, *d_cap_mentor, *d_worker_cost,
            *d_mentor_cost, *d_vat, *d_eu_mentoring;
    const as_dated *d_pmic_hours, *d_post_hours, *d_course_places, *d_dropout, *d_course_cost,
            *d_eu_language;
    const as_dated *d_utilities, *d_tenancy_loss, *d_subsidy, *d_host_places, *d_host_pay,
            *d_halfway_units, *d_insurance;
    const as_dated *d_find, *d_loss, *d_wage, *d_means_limit;
    const as_dated *d_school_cost;
    const as_dated *d_pit, *d_ssc, *d_pit_muni;
    const as_dated *d_interp_cost, *d_info_cost, *d_intro_cost, *d_eu_interp;

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
    as_hazard search_hazard;   /* housing search: Weibull since the search started */
    as_hazard tenancy_hazard;  /* tenancy loss, scenario time */
    double *tenancy_breaks, *tenancy_rates;
    uint32_t *programme; /* households in a housing programme (costs settled monthly) */
    size_t n_programme, cap_programme;
    uint32_t *cash_wait; /* households whose search the cash gate blocks (saving monthly) */
    size_t n_cash_wait, cap_cash_wait;
    int64_t host_used, halfway_used;

    /* employment.c */
    as_hazard find_hazard, loss_hazard; /* scenario time */
    double *find_breaks, *find_rates, *loss_breaks, *loss_rates;

    /* language.c */
    as_hazard drop_hazard;
    double *drop_breaks, *drop_rates;
    as_fifo course_wait;
    int64_t in_post_course;

    /* mentoring.c */
    as_fifo sw_wait, mentor_wait; /* households; the ticket holds the phase */
    int64_t sw_used, mentor_used; /* places taken, persons */
    int64_t clients_year;         /* mentoring_clients_year */
    int clients_year_of;

    /* cohorts.c: persons first granted status inside the horizon, by the month of the grant. Grant
     * k (0-based, absolute) is cohort[k - cohort_base]; grants older than the cohort window are
     * dropped from the front. An entry is AS_NO_SLOT once its person's slot was freed. */
    uint32_t *cohort; /* person slots, in grant order */
    size_t n_cohort, cap_cohort, cohort_base;
    size_t *cohort_month_start; /* index into cohort of the first grant of each month */
    int cohort_filled;          /* months whose start is set */
    double *cohort_acc;         /* AS_COHORT_N x (AS_COHORT_MONTHS + 1) sums of this replication */

    /* staff and capacity steps (model.c) */
    double *staff_t;
    size_t staff_n, staff_next;

    /* budget.c */
    as_ticks ticks;
    double accrue_t; /* time up to which person-days are accrued */
    double person_days[AS_C_N];
    double gmi_first_days, gmi_next_days; /* household-days on GMI, first and further persons */
    int64_t gmi_households, gmi_next_persons;
    double gmi_wages; /* monthly wages of households on GMI (deducted from GMI) */
    double gmi_wage_days;
    double wages_formal; /* monthly formal wages of all employed present: taxes */
    double wage_days;
    double *cpi_index; /* by year from the start year; 1 before indexation starts */
    int cpi_year0, cpi_years;
    int32_t allowance_index_base, benefit_index_base; /* day numbers; INT32_MAX = never */

    /* benefits.c: households with an active benefit episode */
    uint32_t *episodes;
    size_t n_episodes, cap_episodes;

    /* population.c / observe.c */
    int64_t cnt[AS_C_N];
    double cnt_d[AS_C_N]; /* the same as doubles, for the accruals at every event */
    int64_t initial_population, cum_arrivals, cum_transfers_back;
    int64_t cum_left, cum_returned, cum_dublin_out;
    as_obs *obs;
    int month; /* period being simulated */

    as_queue_stats qstats;
    double warm_days;
    double qstats_t; /* time up to which area_waiting is integrated */

    uint64_t events;
    uint64_t pending_sum; /* live events pending at each month end, summed */
    as_pop pop;
    as_hh hh;
    uint32_t persons_created, households_created; /* the next creation numbers */
    int keep_departed; /* 1: never reuse slots (slot = creation number), as_model_keep_departed */
    uint64_t person_processes, household_processes; /* engine processes by owner (bit sets) */
    uint32_t mask_base[256]; /* as_person_mask's counts by place, legal, case state, lodging */
};

/* ---- population.c ---- */
void as_pop_finish(as_pop *p);
void as_hh_finish(as_hh *h);
/* Sets what the population needs once per model (the process sets by owner). */
void as_population_init(as_model *m);
/* Empties the population for a new replication (keeps the memory). */
void as_population_reset(as_model *m);
/* Adds a household of `size` persons with no state yet (the caller fills it), returning its slot
 * and its first person's slot: a free slot whose block has `size` persons if there is one, else
 * new slots at the end. Creation numbers are m->households_created and m->persons_created, which
 * it advances. Grows the engine's entities too. */
as_status as_add_household(as_model *m, unsigned size, uint32_t *hh, uint32_t *first) AS_MUST_CHECK;
/* Cuts the household just added to its first `size` members (size <= its size): the persons cut
 * are never created. */
void as_household_cut(as_model *m, uint32_t h, unsigned size);
/* Frees the slots of every household whose members have all left the model for good and that
 * nothing refers to any more: no member present, no pending event of the household's or its
 * members' processes (a pending transfer back keeps it), no FIFO or list entry, no mentoring or
 * benefit flag that the month-end loops read. Does nothing with keep_departed. Draws nothing,
 * schedules nothing: the results do not depend on when or whether it runs. */
void as_population_sweep(as_model *m);

/* Appends household h to a list of household slots (*list, *n of *cap, grown by doubling) and
 * counts the entry in hh.refs (the list must drop the reference when it drops the entry). */
as_status
as_hh_list_push(as_model *m, uint32_t **list, size_t *n, size_t *cap, uint32_t h) AS_MUST_CHECK;
/* For the debug checks: the first free household slot that has a pending event of its own or
 * its members' processes, a reference, or a live creation number; -1 if none. */
long long as_population_check_free(const as_model *m);
/* The random-stream entity (creation number) of person slot p / household slot h. */
static inline uint32_t as_pid(const as_model *m, uint32_t p)
{
    return m->pop.id[p];
}
static inline uint32_t as_hid(const as_model *m, uint32_t h)
{
    return m->hh.id[h];
}
/* Bracket every change of a person's legal state, place, lodging or case state, and of its
 * household's benefit flags. The person's contribution to the running counts is kept as a bit
 * mask (pop.mask); end recomputes it and moves the counts whose bit changed, and the household's
 * numbers present and present with status with them. Begin only checks (with debug_checks) that
 * the mask is up to date; the counts and those numbers change at end, so between the two they
 * still show the person's state before the change. */
void as_person_begin(as_model *m, uint32_t p);
void as_person_end(as_model *m, uint32_t p);
/* The same for every member of a household (household flags that change the counts). */
void as_household_begin(as_model *m, uint32_t h);
void as_household_end(as_model *m, uint32_t h);
/* as_household_end after a change of the household's own fields only (its flags, mentoring
 * phase, tenancy), not of any member's: recomputes only the household's part of the members'
 * masks (with debug_checks, asserts that this equals the whole recomputation). */
void as_household_end_shared(as_model *m, uint32_t h);
/* Asks the memory system (a hint: no effect on results) for the fields that the handler of the
 * event `next` reads first (its person's or household's), and one step further for `cur`, whose
 * own fields were asked for one event earlier: a person's event its household's fields, a
 * household's event its first member's. */
void as_prefetch(const as_model *m, const as_event *cur, const as_event *next);
/* The running counts person p is in, from its state now: bit k for count k. */
uint32_t as_person_mask(const as_model *m, uint32_t p);
/* Adds `sign` x the person's contribution to counts `c` (AS_C_N values), from its state now. */
void as_person_contrib(const as_model *m, uint32_t p, int64_t sign, int64_t *c);
static inline int as_is_present(const as_model *m, uint32_t p)
{
    return m->pop.place[p] == AS_PLACE_RECEPTION || m->pop.place[p] == AS_PLACE_COMMUNITY;
}
static inline int as_is_protected(const as_model *m, uint32_t p)
{
    return m->pop.legal[p] != AS_LEGAL_APPLICANT;
}
/* Members of h present / present with status, counted from their state now. */
unsigned as_hh_count_present(const as_model *m, uint32_t h, int protected_only);
/* The same as kept by as_person_end. With debug_checks, asserts that they equal the count from
 * the state now, which they do except inside a bracket; so a call inside a bracket that would
 * read a different number than before the numbers were kept stops the tests. */
static inline unsigned as_hh_present(const as_model *m, uint32_t h)
{
#if AS_DEBUG_CHECKS
    assert(m->hh.n_present[h] == as_hh_count_present(m, h, 0));
#endif
    return m->hh.n_present[h];
}
static inline unsigned as_hh_protected_present(const as_model *m, uint32_t h)
{
#if AS_DEBUG_CHECKS
    assert(m->hh.n_protected[h] == as_hh_count_present(m, h, 1));
#endif
    return m->hh.n_protected[h];
}

/* FIFOs of slots; `refs` is the slots' reference counts (m->pop.refs or m->hh.refs), which push
 * raises and pop lowers, so that a slot named in a FIFO, even by a stale entry, is never reused. */
as_status as_fifo_push(as_fifo *q, uint16_t *refs, uint32_t p, uint16_t ticket) AS_MUST_CHECK;
int as_fifo_pop(as_fifo *q, uint16_t *refs, uint32_t *p, uint16_t *ticket);
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
/* Re-times h's departure risk if its multiplier changed. */
as_status as_movement_update(as_model *m, uint32_t h) AS_MUST_CHECK;

/* ---- housing.c ---- */
as_status as_housing_setup(as_model *m, as_error *err) AS_MUST_CHECK;
/* Called when a member of h is granted status: starts the search, or moves status holders out. */
as_status as_housing_on_status(as_model *m, uint32_t h) AS_MUST_CHECK;
as_status as_housing_on_found(as_model *m, const as_event *ev) AS_MUST_CHECK;
as_status as_housing_on_max_stay(as_model *m, const as_event *ev) AS_MUST_CHECK;

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
/* Recomputes h's on_benefit / on_gmi flags from its current state (after settling); re-times
 * the household's risks when they changed (income is a covariate). */
as_status as_benefits_update(as_model *m, uint32_t h) AS_MUST_CHECK;
/* A formal job started in h (the job-stop rule), or a job ended (resumption). */
as_status as_benefits_on_formal_job(as_model *m, uint32_t h) AS_MUST_CHECK;
as_status as_benefits_on_job_loss(as_model *m, uint32_t h) AS_MUST_CHECK;
as_status as_benefits_on_stop(as_model *m, const as_event *ev) AS_MUST_CHECK;
/* h comes back after `days_abroad`: the entitlement ends after benefit_lost_after_months. */
void as_benefits_on_return(as_model *m, uint32_t h, double days_abroad);
/* Settles every active episode up to the month boundary `t`. */
as_status as_benefits_month_end(as_model *m, double t) AS_MUST_CHECK;
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

/* ---- covariates.c ---- */
as_status as_dated_hazard(const as_model *m,
                          const as_dated *d,
                          double per_day,
                          as_hazard *h,
                          double **breaks,
                          double **rates) AS_MUST_CHECK;
double as_household_wages(const as_model *m, uint32_t h);
double as_household_rent(const as_model *m, unsigned n, double day);
double as_household_income(const as_model *m, uint32_t h);
int as_household_unaffordable(const as_model *m, uint32_t h);
double as_search_multiplier(const as_model *m, uint32_t h);
double as_leave_multiplier(const as_model *m, uint32_t h);
double as_job_multiplier(const as_model *m, uint32_t p);
/* Household h's covariates changed: every risk of h (departure, search, tenancy loss, its
 * adults' job search) whose multiplier changed is re-timed by the next as_covariates_flush, at
 * the same time, once however many changes the event made (a re-time at the same instant spends
 * nothing, so once at the end gives the very times that each change in turn gave). Never fails;
 * AS_MUST_CHECK kept for the callers' chains. */
as_status as_covariates_changed(as_model *m, uint32_t h) AS_MUST_CHECK;
/* Re-times the households marked since the last flush, in the order they were first marked
 * (those marked while flushing included). The run loop calls it after every event and every
 * month-end step, before anything reads the timing of a later event. */
as_status as_covariates_flush(as_model *m) AS_MUST_CHECK;

/* ---- employment.c ---- */
as_status as_employment_setup(as_model *m, as_error *err) AS_MUST_CHECK;
void as_employment_teardown(as_model *m);
as_status as_employment_update(as_model *m, uint32_t p) AS_MUST_CHECK;
void as_employment_pause(as_model *m, uint32_t p);
as_status as_employment_end_job(as_model *m, uint32_t p) AS_MUST_CHECK;
as_status as_employment_on_job(as_model *m, const as_event *ev) AS_MUST_CHECK;
as_status as_employment_on_permit(as_model *m, const as_event *ev) AS_MUST_CHECK;
as_status as_employment_on_arrival(as_model *m, uint32_t p) AS_MUST_CHECK;
as_status as_employment_on_status(as_model *m, uint32_t p) AS_MUST_CHECK;
as_status as_employment_allow(as_model *m, uint32_t p, int allowed) AS_MUST_CHECK;

/* ---- language.c ---- */
as_status as_language_setup(as_model *m, as_error *err) AS_MUST_CHECK;
void as_language_teardown(as_model *m);
void as_language_start(as_model *m);
as_status as_language_fill(as_model *m) AS_MUST_CHECK;
as_status as_language_on_bed(as_model *m, uint32_t p) AS_MUST_CHECK;
as_status as_language_on_course(as_model *m, const as_event *ev) AS_MUST_CHECK;
as_status as_language_on_dropout(as_model *m, const as_event *ev) AS_MUST_CHECK;
as_status as_language_on_gap(as_model *m, const as_event *ev) AS_MUST_CHECK;
as_status as_language_on_status(as_model *m, uint32_t p) AS_MUST_CHECK;
as_status as_language_leave(as_model *m, uint32_t p, int leaves_latvia) AS_MUST_CHECK;
as_status as_language_on_job(as_model *m, uint32_t p) AS_MUST_CHECK;
as_status as_language_on_job_loss(as_model *m, uint32_t p) AS_MUST_CHECK;
as_status as_language_on_return(as_model *m, uint32_t p) AS_MUST_CHECK;
as_status as_language_on_staff(as_model *m) AS_MUST_CHECK;

/* ---- mentoring.c ---- */
void as_mentoring_teardown(as_model *m);
void as_mentoring_start(as_model *m);
as_status as_mentoring_on_arrival(as_model *m, uint32_t h) AS_MUST_CHECK;
as_status as_mentoring_on_status(as_model *m, uint32_t h) AS_MUST_CHECK;
as_status as_mentoring_close(as_model *m, uint32_t h) AS_MUST_CHECK;
as_status as_mentoring_on_end(as_model *m, const as_event *ev) AS_MUST_CHECK;
as_status as_mentoring_on_staff(as_model *m) AS_MUST_CHECK;
as_status as_mentoring_month_end(as_model *m, double t) AS_MUST_CHECK;
void as_mentoring_new_year(as_model *m, double t);

/* ---- housing.c (beyond the above) ---- */
double as_tenancy_share(const double *vec3, const as_model *m, uint32_t h, double t);
double as_housing_subsidy(const as_model *m, uint32_t h, double t);
void as_housing_settle(as_model *m, uint32_t h, double t);
void as_housing_month_end(as_model *m, double t);
/* Month end of the cash gate: blocked households save, and those with enough cash search on. */
as_status as_housing_cash_month_end(as_model *m, double t) AS_MUST_CHECK;
void as_housing_start(as_model *m);
void as_housing_teardown(as_model *m);
as_status as_housing_update(as_model *m, uint32_t h) AS_MUST_CHECK;
as_status as_housing_on_loss(as_model *m, const as_event *ev) AS_MUST_CHECK;
as_status as_housing_on_programme_end(as_model *m, const as_event *ev) AS_MUST_CHECK;
as_status as_housing_on_departure(as_model *m, uint32_t h) AS_MUST_CHECK;
as_status as_housing_on_return(as_model *m, uint32_t h) AS_MUST_CHECK;

/* ---- education.c ---- */
as_status as_school_on_entry(as_model *m, uint32_t p) AS_MUST_CHECK;
as_status as_school_on_start(as_model *m, const as_event *ev) AS_MUST_CHECK;
as_status as_school_on_step(as_model *m, const as_event *ev) AS_MUST_CHECK;
as_status as_school_on_settled(as_model *m, const as_event *ev) AS_MUST_CHECK;
as_status as_school_on_housed(as_model *m, uint32_t h) AS_MUST_CHECK;
as_status as_school_on_departure(as_model *m, uint32_t p) AS_MUST_CHECK;

/* ---- services.c ---- */
as_status as_services_on_arrival(as_model *m, uint32_t p) AS_MUST_CHECK;

/* ---- cohorts.c ---- */
as_status as_cohorts_setup(as_model *m, as_error *err) AS_MUST_CHECK;
void as_cohorts_teardown(as_model *m);
void as_cohorts_start(as_model *m);
/* Person p was first granted status now. */
as_status as_cohorts_on_status(as_model *m, uint32_t p) AS_MUST_CHECK;
/* Adds the cohort stocks of month end `month` (period index). */
void as_cohorts_observe(as_model *m);
/* Writes the replication's cohort sums into obs->cohort. */
void as_cohorts_finish(as_model *m);

/* ---- observe.c ---- */
void as_observe_count(as_model *m, as_indicator_id id, double n);
void as_observe_stocks(as_model *m);
void as_observe_check(const as_model *m);

/* ---- model.c ---- */
as_phase as_model_phase(const as_model *m, double t);
/* Person slots of the last replication (the high-water mark of the storage, free ones included),
 * and household slots in *household_slots: for tests of slot reuse. */
size_t as_model_slots(const as_model *m, size_t *household_slots);
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
