/* One replication of the person pathway (include/asylsim/model.h): reads the scenario into
 * per-phase parameters, sets the processes up, and runs the engine tick by tick — events strictly
 * before each tick, then the accrued costs are booked and, at a month end, the benefit months
 * settled and the stocks observed. Events are dispatched through a const table of handlers
 * (style.md §6). */
#include "asylsim/model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "asylsim/rng.h"
#include "internal.h"

typedef as_status (*as_handler)(as_model *m, const as_event *ev);

/* A dated staff count, caseload or course capacity changed: fill the freed places. */
static as_status on_staff(as_model *m, const as_event *ev)
{
    (void)ev;
    as_status st = as_mentoring_on_staff(m);
    if (st == AS_OK) {
        st = as_language_on_staff(m);
    }
    m->staff_next++;
    if (st == AS_OK && m->staff_next < m->staff_n) {
        st = as_engine_schedule(m->eng, m->staff_t[m->staff_next], 0, AS_P_STAFF);
    }
    return st;
}

static const as_handler handlers[AS_P_N] = {
        [AS_P_ARRIVAL] = as_arrivals_on_arrival,
        [AS_P_RELOCATION] = as_arrivals_on_relocation,
        [AS_P_CASEWORKERS] = as_procedure_on_caseworkers,
        [AS_P_BEDS] = as_reception_on_beds,
        [AS_P_DECISION] = as_procedure_on_decision,
        [AS_P_APPEAL] = as_procedure_on_appeal,
        [AS_P_REMOVAL] = as_procedure_on_removal,
        [AS_P_DUBLIN] = as_procedure_on_dublin,
        [AS_P_ACCOUNT] = as_benefits_on_account,
        [AS_P_LEAVE] = as_movement_on_leave,
        [AS_P_TRANSFER_BACK] = as_movement_on_transfer_back,
        [AS_P_HOUSING] = as_housing_on_found,
        [AS_P_MAX_STAY] = as_housing_on_max_stay,
        [AS_P_STAFF] = on_staff,
        [AS_P_JOB] = as_employment_on_job,
        [AS_P_PERMIT] = as_employment_on_permit,
        [AS_P_COURSE] = as_language_on_course,
        [AS_P_DROPOUT] = as_language_on_dropout,
        [AS_P_COURSE_GAP] = as_language_on_gap,
        [AS_P_SCHOOL] = as_school_on_start,
        [AS_P_SCHOOL_STEP] = as_school_on_step,
        [AS_P_MENTOR_END] = as_mentoring_on_end,
        [AS_P_BENEFIT_STOP] = as_benefits_on_stop,
        [AS_P_TENANCY_LOSS] = as_housing_on_loss,
        [AS_P_PROGRAMME_END] = as_housing_on_programme_end,
        [AS_P_SETTLED] = as_school_on_settled,
};

/* How often the stop flag is polled, in events. */
#define STOP_POLL_EVENTS 4096u

as_phase as_model_phase(const as_model *m, double t)
{
    return t >= m->reform_t ? AS_PHASE_AFTER : AS_PHASE_BEFORE;
}

/* Median-parametrised service law: the derived parameter of each distribution. */
static double service_param(int dist, double median, double shape)
{
    switch (dist) {
    case AS_DIST_LOGNORMAL:
        return log(median); /* zeta; sigma = shape */
    case AS_DIST_GAMMA:
        return median / gsl_cdf_gamma_Pinv(0.5, shape, 1.0); /* scale */
    case AS_DIST_WEIBULL:
        return median / pow(log(2.0), 1.0 / shape); /* scale */
    case AS_DIST_EXPONENTIAL:
    default:
        return median / log(2.0); /* mean */
    }
}

static as_status setup_par(as_model *m, as_phase ph, as_error *err)
{
    const as_scenario *s = m->scn;
    as_par *p = &m->par[ph];
#define V(id) as_scn_value(s, (id), ph)
    p->service_dist = V(AS_S_PROCEDURE_SERVICE_DIST)->e;
    p->service_median_days = V(AS_S_PROCEDURE_SERVICE_MEDIAN_DAYS)->f;
    p->service_shape = V(AS_S_PROCEDURE_SERVICE_SHAPE)->f;
    p->service_param = service_param(p->service_dist, p->service_median_days, p->service_shape);
    p->service_factor_post_soviet = V(AS_S_PROCEDURE_SERVICE_FACTOR_POST_SOVIET)->f;
    p->p_refugee = V(AS_S_PROCEDURE_P_REFUGEE)->f;
    p->p_alternative = V(AS_S_PROCEDURE_P_ALTERNATIVE)->f;
    p->p_refugee_relocated = V(AS_S_PROCEDURE_P_REFUGEE_RELOCATED)->f;
    p->p_alternative_relocated = V(AS_S_PROCEDURE_P_ALTERNATIVE_RELOCATED)->f;
    p->status_factor_post_soviet = V(AS_S_PROCEDURE_STATUS_FACTOR_POST_SOVIET)->f;
    p->priority_relocated = V(AS_S_PROCEDURE_PRIORITY_RELOCATED)->b;
    p->p_appeal = V(AS_S_PROCEDURE_P_APPEAL)->f;
    p->appeal_mean_days = V(AS_S_PROCEDURE_APPEAL_MEDIAN_DAYS)->f / log(2.0);
    p->p_appeal_granted = V(AS_S_PROCEDURE_P_APPEAL_GRANTED)->f;
    p->removal_mean_days = V(AS_S_PROCEDURE_REMOVAL_MEDIAN_DAYS)->f / log(2.0);
    p->p_dublin_out = V(AS_S_PROCEDURE_P_DUBLIN_OUT)->f;
    p->p_transfer_back = V(AS_S_MOVEMENT_P_TRANSFER_BACK)->f;
    p->hr_relocated_applicant = V(AS_S_MOVEMENT_HR_RELOCATED_APPLICANT)->f;
    p->transfer_back_mean_days =
            V(AS_S_MOVEMENT_TRANSFER_BACK_MEDIAN_MONTHS)->f * AS_DAYS_PER_MONTH / log(2.0);
    p->overflow_municipal = V(AS_S_RECEPTION_OVERFLOW)->e == 1;
    p->status_holders_may_stay = V(AS_S_RECEPTION_STATUS_HOLDERS_MAY_STAY)->b;
    p->max_stay_days = V(AS_S_RECEPTION_MAX_STAY_AFTER_STATUS_DAYS)->f;
    p->allowance_cpi = V(AS_S_ALLOWANCE_INDEXATION)->e == 1;
    p->one_off_move_in = V(AS_S_BENEFITS_ONE_OFF_RULE)->e == 1;
    p->bank_account_delay_days = V(AS_S_BENEFITS_BANK_ACCOUNT_DELAY_DAYS)->f;
    p->window_months = (int)V(AS_S_BENEFITS_WINDOW_MONTHS)->f;
    p->require_nva = V(AS_S_BENEFITS_REQUIRE_NVA)->b;
    p->benefit_index = V(AS_S_BENEFITS_INDEXATION)->e;
    p->gmi_takeup = V(AS_S_BENEFITS_GMI_TAKEUP)->f;
    p->nva_register_prob = V(AS_S_EMPLOYMENT_NVA_REGISTER_PROB)->f;
    p->deposit_months = V(AS_S_HOUSING_DEPOSIT_MONTHS)->f;
    p->cash_gate = V(AS_S_HOUSING_CASH_GATE)->b;
    p->savings_share = V(AS_S_HOUSING_SAVINGS_SHARE)->f;
    p->search_scale_days =
            V(AS_S_HOUSING_SEARCH_MEDIAN_MONTHS)->f * AS_DAYS_PER_MONTH / pow(log(2.0), 1.0 / 0.9);
    p->share_with_children = V(AS_S_ARRIVALS_SHARE_WITH_CHILDREN)->f;
    p->share_female_adult = V(AS_S_ARRIVALS_SHARE_FEMALE_ADULT)->f;
    p->share_post_soviet = V(AS_S_ARRIVALS_SHARE_POST_SOVIET)->f;
    p->share_bridge = V(AS_S_ARRIVALS_SHARE_BRIDGE_LANGUAGE)->f;
    p->share_latin = V(AS_S_ARRIVALS_SHARE_LATIN_LITERATE)->f;
    const as_value *probs = V(AS_S_ARRIVALS_HOUSEHOLD_SIZE_PROBS);
    /* mentoring */
    p->mentor_procedure_days = V(AS_S_MENTORING_MONTHS_PROCEDURE)->f * AS_DAYS_PER_MONTH;
    p->mentor_after_days = V(AS_S_MENTORING_MONTHS_AFTER_STATUS)->f * AS_DAYS_PER_MONTH;
    p->mentor_uptake = V(AS_S_MENTORING_UPTAKE)->f;
    p->pay_multiplier = V(AS_S_MENTORING_PAY_MULTIPLIER)->f;
    p->mentor_until_self_sufficient = V(AS_S_MENTORING_MODE)->e == 1;
    p->hr_mentor_job = V(AS_S_MENTORING_HR_JOB)->f;
    p->hr_mentor_housing = V(AS_S_MENTORING_HR_HOUSING)->f;
    p->hr_mentor_leave = V(AS_S_MENTORING_HR_LEAVE)->f;
    p->hr_mentor_course = V(AS_S_MENTORING_HR_COURSE)->f;
    p->mentoring_funded_until = V(AS_S_MENTORING_FUNDED_UNTIL)->date;
    p->language_funded_until = V(AS_S_LANGUAGE_FUNDED_UNTIL)->date;
    p->services_funded_until = V(AS_S_SERVICES_FUNDED_UNTIL)->date;
    /* language */
    p->pmic_max_level = V(AS_S_LANGUAGE_PMIC_MAX_LEVEL)->e + 1; /* A1 = 1 */
    p->pmic_enrol_prob = V(AS_S_LANGUAGE_PMIC_ENROL_PROB)->f;
    p->attention_pre_status = V(AS_S_LANGUAGE_ATTENTION_PRE_STATUS)->f;
    p->hours_to[0] = V(AS_S_LANGUAGE_HOURS_TO_A1)->f;
    p->hours_to[1] = V(AS_S_LANGUAGE_HOURS_TO_A2)->f;
    p->hours_to[2] = V(AS_S_LANGUAGE_HOURS_TO_B1)->f;
    p->literacy_factor = V(AS_S_LANGUAGE_LITERACY_FACTOR)->f;
    p->nva_requires_unemployed = V(AS_S_LANGUAGE_NVA_REQUIRES_UNEMPLOYED)->b;
    p->stop_when_employed = V(AS_S_LANGUAGE_STOP_WHEN_EMPLOYED)->b;
    p->gap_days = V(AS_S_LANGUAGE_GAP_BETWEEN_LEVELS_MONTHS)->f * AS_DAYS_PER_MONTH;
    p->decay_per_day = V(AS_S_LANGUAGE_DECAY_HOURS_MONTH)->f / AS_DAYS_PER_MONTH;
    /* housing */
    p->affordability_limit = V(AS_S_HOUSING_AFFORDABILITY_LIMIT)->f;
    p->hr_children = V(AS_S_HOUSING_HR_CHILDREN)->f;
    p->hr_extra_member = V(AS_S_HOUSING_HR_EXTRA_MEMBER)->f;
    p->hr_post_soviet_housing = V(AS_S_HOUSING_HR_POST_SOVIET)->f;
    p->hr_unaffordable = V(AS_S_HOUSING_HR_UNAFFORDABLE)->f;
    p->hr_level_housing = V(AS_S_HOUSING_HR_PER_LEVEL)->f;
    p->hr_arrears = V(AS_S_HOUSING_HR_ARREARS)->f;
    p->guarantee = V(AS_S_HOUSING_GUARANTEE)->b;
    for (int k = 0; k < 3; k++) {
        p->subsidy_taper[k] = V(AS_S_HOUSING_SUBSIDY_TAPER)->vec[k];
        p->utilities_cover[k] = V(AS_S_HOUSING_UTILITIES_COVER)->vec[k];
        p->halfway_cover[k] = V(AS_S_HOUSING_HALFWAY_COVER)->vec[k];
    }
    p->host_days = V(AS_S_HOUSING_HOST_MONTHS)->f * AS_DAYS_PER_MONTH;
    /* employment */
    p->hr_cash_only = V(AS_S_EMPLOYMENT_HR_CASH_ONLY)->f;
    p->hr_nva = V(AS_S_EMPLOYMENT_HR_NVA)->f;
    p->hr_level_job = V(AS_S_EMPLOYMENT_HR_PER_LEVEL)->f;
    p->hr_bridge = V(AS_S_EMPLOYMENT_HR_BRIDGE_LANGUAGE)->f;
    p->hr_mother = V(AS_S_EMPLOYMENT_HR_MOTHER_YOUNG_CHILD)->f;
    p->informal_share = V(AS_S_EMPLOYMENT_INFORMAL_SHARE)->f;
    /* education */
    p->school_deadline_days = V(AS_S_EDUCATION_SCHOOL_DEADLINE_DAYS)->f;
    p->support_days = V(AS_S_EDUCATION_MUNICIPAL_SUPPORT_YEARS)->f * AS_DAYS_PER_YEAR;
    p->settle_days = V(AS_S_EDUCATION_SETTLE_MONTHS)->f * AS_DAYS_PER_MONTH;
    p->hr_leave_settled = V(AS_S_EDUCATION_HR_LEAVE_SETTLED)->f;
    p->readiness_class = V(AS_S_EDUCATION_READINESS_CLASS)->b;
    /* movement */
    p->hr_housed = V(AS_S_MOVEMENT_HR_HOUSED)->f;
    p->hr_employed = V(AS_S_MOVEMENT_HR_EMPLOYED)->f;
    p->hr_inadequate = V(AS_S_MOVEMENT_HR_INADEQUATE)->f;
    p->hr_on_benefit = V(AS_S_MOVEMENT_HR_ON_BENEFIT)->f;
    p->hr_post_soviet_leave = V(AS_S_MOVEMENT_HR_POST_SOVIET)->f;
    p->benefit_lost_days = V(AS_S_MOVEMENT_BENEFIT_LOST_AFTER_MONTHS)->f * AS_DAYS_PER_MONTH;
    /* benefits and services */
    p->job_stop_rule = V(AS_S_BENEFITS_JOB_STOP_RULE)->b;
    p->keep_during_training = V(AS_S_BENEFITS_KEEP_DURING_TRAINING)->b;
    p->resume_after_job_loss = V(AS_S_BENEFITS_RESUME_AFTER_JOB_LOSS)->b;
    p->stop_after_job_days = V(AS_S_BENEFITS_STOP_AFTER_JOB_MONTHS)->f * AS_DAYS_PER_MONTH;
    p->interp_uses = V(AS_S_SERVICES_INTERP_USES_PER_CLIENT)->f;
    p->info_consults = V(AS_S_SERVICES_INFO_CONSULTS_PER_PERSON)->f;
    p->intro_prob = V(AS_S_SERVICES_INTRO_COURSE_PROB)->f;
#undef V
    for (unsigned k = 0; k < AS_POW_TABLE; k++) {
        p->pow_extra_member[k] = pow(p->hr_extra_member, (double)k);
        p->pow_level_housing[k] = pow(p->hr_level_housing, (double)k);
        p->pow_level_job[k] = pow(p->hr_level_job, (double)k);
    }
    double multi = 1.0 - probs->vec[0];
    p->p_children_given_multi = multi > 0 ? fmin(1.0, p->share_with_children / multi) : 0.0;
    p->size_table = gsl_ran_discrete_preproc(probs->vec_n, probs->vec);
    if (!p->size_table) {
        return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    }
    return AS_OK;
}

/* Persons beyond which the event loop prefetches the next event's fields (their arrays then take
 * tens of MiB). Always with debug_checks, so that the tests run that path too. */
#if AS_DEBUG_CHECKS
#define PREFETCH_PERSONS 0u
#else
#define PREFETCH_PERSONS 262144u
#endif

/* Width of the engine's far buckets (as_engine_set_far): most of the model's events are months
 * ahead (departure, job, tenancy loss, the end of a benefit) and many are re-timed before they
 * fire; events further ahead than about this wait outside the heap. Chosen by bench/instructions
 * and bench/baseline (docs/scaling.md: 4 days took 2.4% fewer instructions than 32 and 1 to 3%
 * less time; 1, 2 and 8 days were within 0.7% of 4); any width gives the same results. */
#ifndef FAR_DAYS
#define FAR_DAYS 4.0
#endif

static void setup_dated(as_model *m)
{
    const as_scenario *s = m->scn;
    m->d_caseworkers = as_scn_dated(s, AS_S_PROCEDURE_CASEWORKERS);
    m->d_beds = as_scn_dated(s, AS_S_RECEPTION_CAPACITY_PLACES);
    m->d_leave_procedure = as_scn_dated(s, AS_S_MOVEMENT_LEAVE_PROCEDURE_MONTH);
    m->d_leave_status = as_scn_dated(s, AS_S_MOVEMENT_LEAVE_STATUS_MONTH);
    m->d_bed_cost = as_scn_dated(s, AS_S_RECEPTION_BED_DAY_COST_EUR);
    m->d_allowance = as_scn_dated(s, AS_S_ALLOWANCE_DAILY_EUR);
    m->d_clothing = as_scn_dated(s, AS_S_ALLOWANCE_CLOTHING_CARD_EUR);
    m->d_in_kind = as_scn_dated(s, AS_S_ALLOWANCE_IN_KIND_EUR_DAY);
    m->d_one_off_adult = as_scn_dated(s, AS_S_BENEFITS_ONE_OFF_ADULT_EUR);
    m->d_one_off_next = as_scn_dated(s, AS_S_BENEFITS_ONE_OFF_NEXT_EUR);
    m->d_goods = as_scn_dated(s, AS_S_BENEFITS_START_UP_GOODS_EUR);
    m->d_pmic_deduction = as_scn_dated(s, AS_S_BENEFITS_PMIC_DEDUCTION_EUR_DAY);
    m->d_monthly_adult = as_scn_dated(s, AS_S_BENEFITS_MONTHLY_ADULT_EUR);
    m->d_monthly_next = as_scn_dated(s, AS_S_BENEFITS_MONTHLY_NEXT_EUR);
    m->d_months_refugee = as_scn_dated(s, AS_S_BENEFITS_MONTHS_REFUGEE);
    m->d_months_alternative = as_scn_dated(s, AS_S_BENEFITS_MONTHS_ALTERNATIVE);
    m->d_gmi_first = as_scn_dated(s, AS_S_BENEFITS_GMI_FIRST_EUR);
    m->d_gmi_next = as_scn_dated(s, AS_S_BENEFITS_GMI_NEXT_EUR);
    m->d_municipal = as_scn_dated(s, AS_S_BENEFITS_MUNICIPAL_EUR_PERSON_YEAR);
    m->d_cpi = as_scn_dated(s, AS_S_BUDGET_CPI_GROWTH);
    m->d_min_wage = as_scn_dated(s, AS_S_BUDGET_MIN_WAGE_EUR);
    m->d_rent_base = as_scn_dated(s, AS_S_HOUSING_RENT_BASE_EUR);
    m->d_rent_extra = as_scn_dated(s, AS_S_HOUSING_RENT_EXTRA_PERSON_EUR);
    m->d_work_permit = as_scn_dated(s, AS_S_EMPLOYMENT_WORK_PERMIT_DAYS);
    m->d_social_workers = as_scn_dated(s, AS_S_MENTORING_SOCIAL_WORKERS);
    m->d_mentors = as_scn_dated(s, AS_S_MENTORING_MENTORS);
    m->d_cap_sw = as_scn_dated(s, AS_S_MENTORING_MAX_CLIENTS_PER_SOCIAL_WORKER);
    m->d_cap_mentor = as_scn_dated(s, AS_S_MENTORING_MAX_CLIENTS_PER_MENTOR);
    m->d_worker_cost = as_scn_dated(s, AS_S_MENTORING_WORKER_COST_EUR_MONTH);
    m->d_mentor_cost = as_scn_dated(s, AS_S_MENTORING_MENTOR_COST_EUR_MONTH);
    m->d_vat = as_scn_dated(s, AS_S_BUDGET_VAT_RATE);
    m->d_eu_mentoring = as_scn_dated(s, AS_S_BUDGET_EU_SHARE_MENTORING);
    m->d_pmic_hours = as_scn_dated(s, AS_S_LANGUAGE_PMIC_COURSE_HOURS);
    m->d_post_hours = as_scn_dated(s, AS_S_LANGUAGE_POST_STATUS_HOURS_WEEK);
    m->d_course_places = as_scn_dated(s, AS_S_LANGUAGE_COURSE_PLACES);
    m->d_dropout = as_scn_dated(s, AS_S_LANGUAGE_DROPOUT_MONTH);
    m->d_course_cost = as_scn_dated(s, AS_S_LANGUAGE_COST_PER_PARTICIPANT_EUR);
    m->d_eu_language = as_scn_dated(s, AS_S_BUDGET_EU_SHARE_LANGUAGE_AND_INTRO);
    m->d_utilities = as_scn_dated(s, AS_S_HOUSING_UTILITIES_EUR_PERSON);
    m->d_tenancy_loss = as_scn_dated(s, AS_S_HOUSING_TENANCY_LOSS_MONTH);
    m->d_subsidy = as_scn_dated(s, AS_S_HOUSING_SUBSIDY_EUR_PERSON);
    m->d_host_places = as_scn_dated(s, AS_S_HOUSING_HOST_PLACES);
    m->d_host_pay = as_scn_dated(s, AS_S_HOUSING_HOST_PAY_EUR_MONTH);
    m->d_halfway_units = as_scn_dated(s, AS_S_HOUSING_HALFWAY_UNITS);
    m->d_insurance = as_scn_dated(s, AS_S_HOUSING_INSURANCE_EUR_YEAR);
    m->d_find = as_scn_dated(s, AS_S_EMPLOYMENT_FIND_MONTH);
    m->d_loss = as_scn_dated(s, AS_S_EMPLOYMENT_LOSS_MONTH);
    m->d_wage = as_scn_dated(s, AS_S_EMPLOYMENT_WAGE_MEDIAN_EUR);
    m->d_means_limit = as_scn_dated(s, AS_S_BENEFITS_MEANS_LIMIT_EUR_PERSON);
    m->d_school_cost = as_scn_dated(s, AS_S_EDUCATION_COST_CHILD_MONTH_EUR);
    m->d_pit = as_scn_dated(s, AS_S_BUDGET_PIT_RATE);
    m->d_ssc = as_scn_dated(s, AS_S_BUDGET_SSC_RATE);
    m->d_pit_muni = as_scn_dated(s, AS_S_BUDGET_PIT_MUNICIPAL_SHARE);
    m->d_interp_cost = as_scn_dated(s, AS_S_SERVICES_INTERP_COST_EUR);
    m->d_info_cost = as_scn_dated(s, AS_S_SERVICES_INFO_COST_EUR);
    m->d_intro_cost = as_scn_dated(s, AS_S_SERVICES_INTRO_COURSE_COST_EUR);
    m->d_eu_interp = as_scn_dated(s, AS_S_BUDGET_EU_SHARE_INTERPRETING_INFO);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The days on which a staff count, caseload, course capacity or funding end changes. */
static as_status setup_staff(as_model *m)
{
    int32_t lo = m->grid.bound[0], hi = m->grid.bound[m->grid.n_months];
    const as_dated *d[] = {m->d_social_workers, m->d_mentors, m->d_cap_sw, m->d_cap_mentor,
                           m->d_course_places};
    size_t cap = 6;
    for (size_t k = 0; k < sizeof d / sizeof d[0]; k++) {
        cap += d[k]->n;
    }
    m->staff_t = malloc(cap * sizeof *m->staff_t);
    if (!m->staff_t) {
        return AS_ERR_NOMEM;
    }
    size_t n = 0;
    for (size_t k = 0; k < sizeof d / sizeof d[0]; k++) {
        for (size_t i = 0; i < d[k]->n; i++) {
            if (d[k]->from_day[i] > lo && d[k]->from_day[i] < hi) {
                m->staff_t[n++] = (double)(d[k]->from_day[i] - lo);
            }
        }
    }
    for (int ph = 0; ph < 2; ph++) {
        int32_t fu[2] = {m->par[ph].mentoring_funded_until, m->par[ph].language_funded_until};
        for (int k = 0; k < 2; k++) {
            if (fu[k] != INT32_MIN && fu[k] + 1 > lo && fu[k] + 1 < hi) {
                m->staff_t[n++] = (double)(fu[k] + 1 - lo);
            }
        }
    }
    qsort(m->staff_t, n, sizeof *m->staff_t, cmp_double);
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (j == 0 || m->staff_t[i] > m->staff_t[j - 1]) {
            m->staff_t[j++] = m->staff_t[i];
        }
    }
    m->staff_n = j;
    return AS_OK;
}

as_model *as_model_create(const as_scenario *s, as_error *err)
{
    as_model *m = calloc(1, sizeof *m);
    if (!m) {
        as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        return NULL;
    }
    m->scn = s;
    if (as_grid_init(&m->grid, s) != AS_OK) {
        as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        free(m);
        return NULL;
    }
    m->start_day = m->grid.bound[0];
    m->horizon = (double)(m->grid.bound[m->grid.n_months] - m->start_day);
    m->reform_t = (double)(as_scn_date(s, AS_S_RUN_REFORM_START) - m->start_day);
    setup_dated(m);
    m->eng = as_engine_create(AS_P_N, 1024);
    as_population_init(m);
    m->rng = as_rng_create();
    m->rng_seq = as_rng_create();
    if (!m->eng || !m->rng || !m->rng_seq || as_engine_set_far(m->eng, FAR_DAYS) != AS_OK) {
        as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        as_model_destroy(m);
        return NULL;
    }
    if (setup_par(m, AS_PHASE_BEFORE, err) != AS_OK || setup_par(m, AS_PHASE_AFTER, err) != AS_OK ||
        as_arrivals_setup(m, err) != AS_OK || as_procedure_setup(m, err) != AS_OK ||
        as_reception_setup(m, err) != AS_OK || as_movement_setup(m, err) != AS_OK ||
        as_benefits_setup(m, err) != AS_OK || as_housing_setup(m, err) != AS_OK ||
        as_employment_setup(m, err) != AS_OK || as_language_setup(m, err) != AS_OK ||
        as_cohorts_setup(m, err) != AS_OK || as_budget_setup(m, err) != AS_OK) {
        as_model_destroy(m);
        return NULL;
    }
    if (setup_staff(m) != AS_OK) {
        as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        as_model_destroy(m);
        return NULL;
    }
    return m;
}

void as_model_destroy(as_model *m)
{
    if (!m) {
        return;
    }
    as_arrivals_teardown(m);
    as_procedure_teardown(m);
    as_reception_teardown(m);
    as_movement_teardown(m);
    as_benefits_teardown(m);
    as_housing_teardown(m);
    as_employment_teardown(m);
    as_language_teardown(m);
    as_mentoring_teardown(m);
    as_cohorts_teardown(m);
    as_budget_teardown(m);
    free(m->staff_t);
    for (int ph = 0; ph < 2; ph++) {
        if (m->par[ph].size_table) {
            gsl_ran_discrete_free(m->par[ph].size_table);
        }
    }
    as_engine_destroy(m->eng);
    if (m->rng) {
        gsl_rng_free(m->rng);
    }
    if (m->rng_seq) {
        gsl_rng_free(m->rng_seq);
    }
    as_pop_finish(&m->pop);
    as_hh_finish(&m->hh);
    as_grid_finish(&m->grid);
    free(m);
}

static void reset(as_model *m, uint64_t seed, uint32_t rep, as_obs *obs)
{
    m->seed = seed;
    m->rep = rep;
    m->obs = obs;
    m->month = 0;
    m->events = 0;
    m->pending_sum = 0;
    as_engine_reset(m->eng);
    as_population_reset(m);
    memset(m->cnt, 0, sizeof m->cnt);
    memset(m->cnt_d, 0, sizeof m->cnt_d);
    memset(&m->qstats, 0, sizeof m->qstats);
    m->qstats_t = 0.0;
    m->initial_population = m->cum_arrivals = m->cum_transfers_back = 0;
    m->cum_left = m->cum_returned = m->cum_dublin_out = 0;
    memset(obs->v, 0, sizeof(double) * AS_N_INDICATORS * (size_t)obs->n_months);
    memset(obs->budget, 0, sizeof(double) * AS_N_BUDGET_ROWS * (size_t)obs->n_months);
    if (obs->cohort) {
        memset(obs->cohort, 0, sizeof(double) * AS_COHORT_CELLS);
    }
}

/* Integrates the number waiting for a caseworker up to t (queue statistics). */
static void queue_area(as_model *m, double t)
{
    double from = as_fmax(m->qstats_t, m->warm_days);
    if (t > from) {
        m->qstats.area_waiting += (double)(m->cnt[AS_C_PENDING] - m->busy) * (t - from);
    }
    m->qstats_t = t;
}

void as_model_queue_stats(const as_model *m, as_queue_stats *out)
{
    *out = m->qstats;
    out->span_days = m->horizon - m->warm_days;
}

void as_model_set_warmup(as_model *m, double warm_days)
{
    m->warm_days = warm_days;
}

static as_status run_ticks(as_model *m, const atomic_int *stop)
{
    double prev = 0.0;
    for (size_t i = 0; i < m->ticks.n; i++) {
        double tick = m->ticks.t[i];
        m->month = m->ticks.month_of[i];
        as_event ev;
        while (as_engine_next(m->eng, tick, &ev)) {
            /* With a population too large for the caches, ask for the next event's fields now,
             * while this one's handler runs, and for this event's household or members, whose
             * slot the fields fetched one event ago give (docs/scaling.md: 6.5% less time in the
             * median of interleaved runs of a 2-year scale-eu; a small population's fields are in
             * cache anyway). */
            const as_event *next = m->pop.n > PREFETCH_PERSONS ? as_engine_peek(m->eng) : NULL;
            if (next) {
                as_prefetch(m, &ev, next);
            }
            as_budget_accrue(m, ev.time);
            queue_area(m, ev.time);
            as_status st = handlers[ev.process](m, &ev);
            if (st == AS_OK) {
                st = as_covariates_flush(m);
            }
            if (st != AS_OK) {
                return st;
            }
            m->events++;
            if (stop && (m->events % STOP_POLL_EVENTS) == 0 &&
                atomic_load_explicit(stop, memory_order_relaxed)) {
                return AS_ERR_INTERRUPTED;
            }
        }
        if (as_engine_status(m->eng) != AS_OK) {
            return AS_ERR_NOMEM; /* the queue could not take in its far events */
        }
        /* Everything done at the tick (settling, month-end rules, re-timing) happens at the
         * tick's own time, whatever the last event before it was. */
        as_engine_advance(m->eng, tick);
        as_budget_accrue(m, tick);
        queue_area(m, tick);
        as_budget_book_accruals(m, prev);
        prev = tick;
        if (m->ticks.is_month_end[i]) {
            /* Each step re-times what it changed before the next reads it (as between events). */
            as_status st = as_benefits_month_end(m, tick);
            if (st == AS_OK) {
                st = as_covariates_flush(m);
            }
            if (st == AS_OK) {
                st = as_mentoring_month_end(m, tick);
            }
            if (st == AS_OK) {
                st = as_covariates_flush(m);
            }
            if (st != AS_OK) {
                return st;
            }
            as_housing_month_end(m, tick);
            st = as_covariates_flush(m);
            if (st == AS_OK) {
                st = as_housing_cash_month_end(m, tick);
            }
            if (st == AS_OK) {
                st = as_covariates_flush(m);
            }
            if (st != AS_OK) {
                return st;
            }
            as_observe_stocks(m);
            m->pending_sum += as_engine_pending(m->eng);
            as_cohorts_observe(m);
            as_observe_check(m);
            as_mentoring_new_year(m, tick);
            as_population_sweep(m);
            if (stop && atomic_load_explicit(stop, memory_order_relaxed)) {
                return AS_ERR_INTERRUPTED;
            }
        }
    }
    return AS_OK;
}

/* Kept out of line (a link-time-optimised build would inline it into its one caller) so that
 * bench/instructions can count the instructions inside it. One call per replication. */
__attribute__((noinline)) as_status as_model_run(as_model *m,
                                                 uint64_t seed,
                                                 uint32_t rep,
                                                 as_obs *obs,
                                                 const atomic_int *stop,
                                                 as_error *err)
{
    if (obs->n_months != m->grid.n_months) {
        return as_error_set(err, AS_ERR_RUNTIME, NULL, 0, NULL,
                            "observation array has %d months, the scenario %d", obs->n_months,
                            m->grid.n_months);
    }
    reset(m, seed, rep, obs);
    as_budget_start(m);
    as_benefits_start(m);
    as_housing_start(m);
    as_language_start(m);
    as_mentoring_start(m);
    as_cohorts_start(m);
    m->staff_next = 0;
    as_status st = as_engine_reserve(m->eng, 1);
    if (st == AS_OK && m->staff_n > 0) {
        st = as_engine_schedule(m->eng, m->staff_t[0], 0, AS_P_STAFF);
    }
    if (st == AS_OK) {
        st = as_procedure_start(m);
    }
    if (st == AS_OK) {
        st = as_reception_start(m);
    }
    if (st == AS_OK) {
        st = as_arrivals_start(m);
    }
    if (st == AS_OK) {
        st = as_covariates_flush(m);
    }
    if (st == AS_OK) {
        st = run_ticks(m, stop);
    }
    if (st == AS_OK) {
        m->month = m->grid.n_months - 1;
        as_cohorts_finish(m);
    }
    m->month = 0;
    switch (st) {
    case AS_OK:
        return AS_OK;
    case AS_ERR_INTERRUPTED:
        return as_error_set(err, st, NULL, 0, NULL, "interrupted");
    case AS_ERR_NOMEM:
        return as_error_set(err, st, NULL, 0, NULL, "out of memory in replication %u of %s",
                            (unsigned)rep, as_scn_name(m->scn));
    default:
        return as_error_set(err, st, NULL, 0, NULL, "replication %u of %s failed", (unsigned)rep,
                            as_scn_name(m->scn));
    }
}

void as_model_keep_departed(as_model *m, int keep)
{
    m->keep_departed = keep != 0;
}

const double *as_model_first_jobs(const as_model *m, size_t *n_persons)
{
    /* Without reuse, slot = creation number (asserted by the debug checks). */
    *n_persons = m->keep_departed ? m->pop.n : 0;
    return m->keep_departed ? m->pop.first_job_t : NULL;
}

const double *as_model_first_tenancies(const as_model *m, size_t *n_households)
{
    *n_households = m->keep_departed ? m->hh.n : 0;
    return m->keep_departed ? m->hh.first_tenancy_t : NULL;
}

uint64_t as_model_events(const as_model *m)
{
    return m->events;
}

uint64_t as_model_pending_sum(const as_model *m)
{
    return m->pending_sum;
}

uint64_t as_model_persons(const as_model *m)
{
    return m->persons_created;
}

size_t as_model_slots(const as_model *m, size_t *household_slots)
{
    *household_slots = m->hh.n;
    return m->pop.n;
}
