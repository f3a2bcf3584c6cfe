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
    p->search_scale_days =
            V(AS_S_HOUSING_SEARCH_MEDIAN_MONTHS)->f * AS_DAYS_PER_MONTH / pow(log(2.0), 1.0 / 0.9);
    p->share_with_children = V(AS_S_ARRIVALS_SHARE_WITH_CHILDREN)->f;
    p->share_female_adult = V(AS_S_ARRIVALS_SHARE_FEMALE_ADULT)->f;
    p->share_post_soviet = V(AS_S_ARRIVALS_SHARE_POST_SOVIET)->f;
    p->share_bridge = V(AS_S_ARRIVALS_SHARE_BRIDGE_LANGUAGE)->f;
    p->share_latin = V(AS_S_ARRIVALS_SHARE_LATIN_LITERATE)->f;
    const as_value *probs = V(AS_S_ARRIVALS_HOUSEHOLD_SIZE_PROBS);
#undef V
    double multi = 1.0 - probs->vec[0];
    p->p_children_given_multi = multi > 0 ? fmin(1.0, p->share_with_children / multi) : 0.0;
    p->size_table = gsl_ran_discrete_preproc(probs->vec_n, probs->vec);
    if (!p->size_table) {
        return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    }
    return AS_OK;
}

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
    m->rng = as_rng_create();
    m->rng_seq = as_rng_create();
    if (!m->eng || !m->rng || !m->rng_seq) {
        as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        as_model_destroy(m);
        return NULL;
    }
    as_housing_setup(m);
    if (setup_par(m, AS_PHASE_BEFORE, err) != AS_OK || setup_par(m, AS_PHASE_AFTER, err) != AS_OK ||
        as_arrivals_setup(m, err) != AS_OK || as_procedure_setup(m, err) != AS_OK ||
        as_reception_setup(m, err) != AS_OK || as_movement_setup(m, err) != AS_OK ||
        as_benefits_setup(m, err) != AS_OK || as_budget_setup(m, err) != AS_OK) {
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
    as_budget_teardown(m);
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
    as_engine_reset(m->eng);
    m->pop.n = 0;
    m->hh.n = 0;
    memset(m->cnt, 0, sizeof m->cnt);
    memset(&m->qstats, 0, sizeof m->qstats);
    m->qstats_t = 0.0;
    m->initial_population = m->cum_arrivals = m->cum_transfers_back = 0;
    m->cum_left = m->cum_returned = m->cum_dublin_out = 0;
    memset(obs->v, 0, sizeof(double) * AS_N_INDICATORS * (size_t)obs->n_months);
    memset(obs->budget, 0, sizeof(double) * AS_N_BUDGET_ROWS * (size_t)obs->n_months);
}

/* Integrates the number waiting for a caseworker up to t (queue statistics). */
static void queue_area(as_model *m, double t)
{
    double from = fmax(m->qstats_t, m->warm_days);
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
            as_budget_accrue(m, ev.time);
            queue_area(m, ev.time);
            as_status st = handlers[ev.process](m, &ev);
            if (st != AS_OK) {
                return st;
            }
            m->events++;
            if (stop && (m->events % STOP_POLL_EVENTS) == 0 &&
                atomic_load_explicit(stop, memory_order_relaxed)) {
                return AS_ERR_INTERRUPTED;
            }
        }
        as_budget_accrue(m, tick);
        queue_area(m, tick);
        as_budget_book_accruals(m, prev);
        prev = tick;
        if (m->ticks.is_month_end[i]) {
            as_benefits_month_end(m, tick);
            as_observe_stocks(m);
            as_observe_check(m);
            if (stop && atomic_load_explicit(stop, memory_order_relaxed)) {
                return AS_ERR_INTERRUPTED;
            }
        }
    }
    return AS_OK;
}

as_status as_model_run(as_model *m,
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
    as_status st = as_engine_reserve(m->eng, 1);
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
        st = run_ticks(m, stop);
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

uint64_t as_model_events(const as_model *m)
{
    return m->events;
}

uint64_t as_model_persons(const as_model *m)
{
    return m->pop.n;
}
