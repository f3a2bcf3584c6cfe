/* Arrivals and households (model.md §2.1).
 *
 * Spontaneous households arrive as a Poisson process whose intensity is the persons series
 * (arrivals.applicants_per_year x arrivals.surge_multiplier, then arrivals.projection from
 * arrivals.projection_from) minus the relocation rate inside the relocation window, divided by the
 * mean household size and spread over the months of each year by arrivals.month_weights. The
 * intensity is piecewise constant, so arrival times come from integrated-hazard inversion on one
 * sequential stream: a higher rate moves every arrival earlier and never reshuffles them.
 *
 * Relocated persons (arrivals.relocation_persons) arrive in monthly batches on the first of each
 * month from relocation_from to relocation_to; they are part of the applications series (carved
 * out of it, not added). The initial population of run.start (arrivals.initial_pending applicants
 * and arrivals.initial_protected status holders) is drawn in households like arrivals but counted
 * neither as arrivals nor in cohorts.
 *
 * Composition (an assumption; the report has only an interview sample): a household of size s has
 * children with probability min(1, share_with_children / P(s >= 2)) when s >= 2; then it has one
 * adult if s = 2 and two otherwise, the rest children aged 0-17; without children everyone is an
 * adult aged 20-45. Each household's draws come from its own stream in a fixed order. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "asylsim/calendar.h"
#include "asylsim/rng.h"

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* Mean household size under P(size = i + 1) = probs[i]. */
static double mean_size(const double *probs, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) {
        s += (double)(i + 1) * probs[i];
    }
    return s;
}

/* Sum over the months of `year` of weight x days: the denominator that makes a constant yearly
 * rate give exactly that many persons in the year. */
static double weighted_days(const double *w, int year)
{
    double s = 0;
    for (int mo = 1; mo <= 12; mo++) {
        int32_t a = as_days_from_civil(year, mo, 1);
        s += w[mo - 1] * (double)(as_next_month_start(a) - a);
    }
    return s;
}

static void add_steps(const as_dated *d, int32_t lo, int32_t hi, int32_t *days, size_t *n)
{
    for (size_t i = 0; i < d->n; i++) {
        if (d->from_day[i] > lo && d->from_day[i] < hi) {
            days[(*n)++] = d->from_day[i];
        }
    }
}

static void add_day(int32_t d, int32_t lo, int32_t hi, int32_t *days, size_t *n)
{
    if (d > lo && d < hi) {
        days[(*n)++] = d;
    }
}

/* The relocation batches: one on the first of each month from relocation_from (the first batch
 * on relocation_from itself) while <= relocation_to; persons split as evenly as whole numbers
 * allow. */
static as_status setup_relocation(as_model *m, int32_t lo, int32_t hi)
{
    const as_scenario *s = m->scn;
    int64_t n_persons = as_scn_int(s, AS_S_ARRIVALS_RELOCATION_PERSONS);
    int32_t from = as_scn_date(s, AS_S_ARRIVALS_RELOCATION_FROM);
    int32_t to = as_scn_date(s, AS_S_ARRIVALS_RELOCATION_TO);
    size_t n_batches = 0;
    for (int32_t d = from; d <= to; d = as_next_month_start(d)) {
        n_batches++;
    }
    m->reloc_t = malloc((n_batches + 1) * sizeof *m->reloc_t);
    m->reloc_size = malloc((n_batches + 1) * sizeof *m->reloc_size);
    if (!m->reloc_t || !m->reloc_size) {
        return AS_ERR_NOMEM;
    }
    m->reloc_n = 0;
    if (n_persons <= 0) {
        return AS_OK;
    }
    size_t k = 0;
    for (int32_t d = from; d <= to; d = as_next_month_start(d), k++) {
        int64_t size = (int64_t)((k + 1) * (uint64_t)n_persons / n_batches) -
                       (int64_t)(k * (uint64_t)n_persons / n_batches);
        if (d >= lo && d < hi && size > 0) {
            m->reloc_t[m->reloc_n] = (double)(d - lo);
            m->reloc_size[m->reloc_n++] = size;
        }
    }
    return AS_OK;
}

as_status as_arrivals_setup(as_model *m, as_error *err)
{
    const as_scenario *s = m->scn;
    const as_dated *rate = as_scn_dated(s, AS_S_ARRIVALS_APPLICANTS_PER_YEAR);
    const as_dated *proj = as_scn_dated(s, AS_S_ARRIVALS_PROJECTION);
    const as_dated *surge = as_scn_dated(s, AS_S_ARRIVALS_SURGE_MULTIPLIER);
    int32_t proj_from = as_scn_date(s, AS_S_ARRIVALS_PROJECTION_FROM);
    int32_t reform_day = as_scn_date(s, AS_S_RUN_REFORM_START);
    int32_t rel_from = as_scn_date(s, AS_S_ARRIVALS_RELOCATION_FROM);
    int32_t rel_to = as_scn_date(s, AS_S_ARRIVALS_RELOCATION_TO);
    double rel_per_year = (double)as_scn_int(s, AS_S_ARRIVALS_RELOCATION_PERSONS) /
                          (double)(rel_to - rel_from + 1) * AS_DAYS_PER_YEAR;
    int32_t lo = m->grid.bound[0], hi = m->grid.bound[m->grid.n_months];

    if (setup_relocation(m, lo, hi) != AS_OK) {
        return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    }

    /* Breakpoints: month starts, the dated steps, the projection, relocation and reform days. */
    size_t cap = (size_t)m->grid.n_months + rate->n + proj->n + surge->n + 5;
    int32_t *days = malloc(cap * sizeof *days);
    m->arr_breaks = malloc(cap * sizeof *m->arr_breaks);
    m->arr_rates = malloc(cap * sizeof *m->arr_rates);
    if (!days || !m->arr_breaks || !m->arr_rates) {
        free(days);
        return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    }
    size_t n = 0;
    for (int k = 0; k < m->grid.n_months; k++) {
        days[n++] = m->grid.bound[k];
    }
    add_steps(rate, lo, hi, days, &n);
    add_steps(proj, lo, hi, days, &n);
    add_steps(surge, lo, hi, days, &n);
    add_day(proj_from, lo, hi, days, &n);
    add_day(reform_day, lo, hi, days, &n);
    add_day(rel_from, lo, hi, days, &n);
    add_day(rel_to + 1, lo, hi, days, &n);
    qsort(days, n, sizeof *days, cmp_i32);

    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && days[i] == days[i - 1]) {
            continue; /* duplicate breakpoint */
        }
        int32_t d = days[i];
        int ph = d >= reform_day;
        int y, mo, dd;
        as_civil_from_days(d, &y, &mo, &dd);
        const as_value *w = as_scn_value(s, AS_S_ARRIVALS_MONTH_WEIGHTS, (as_phase)ph);
        const as_value *probs = as_scn_value(s, AS_S_ARRIVALS_HOUSEHOLD_SIZE_PROBS, (as_phase)ph);
        double persons =
                d >= proj_from ? as_dated_at(proj, (double)d) : as_dated_at(rate, (double)d);
        persons *= as_dated_at(surge, (double)d);
        if (d >= rel_from && d <= rel_to) {
            persons = fmax(0.0, persons - rel_per_year); /* carved out, not added */
        }
        double denom = weighted_days(w->vec, y);
        double per_day = denom > 0 ? persons * w->vec[mo - 1] / denom : 0.0;
        double mean = mean_size(probs->vec, probs->vec_n);
        m->arr_breaks[k] = (double)(d - lo);
        m->arr_rates[k] = mean > 0 ? per_day / mean : 0.0;
        k++;
    }
    free(days);
    m->arr_n = k;
    m->arr_hazard = (as_hazard){
            .kind = AS_HAZARD_PIECEWISE,
            .n_pieces = k,
            .breaks_days = m->arr_breaks,
            .rates_per_day = m->arr_rates,
    };
    return AS_OK;
}

void as_arrivals_teardown(as_model *m)
{
    free(m->arr_breaks);
    free(m->arr_rates);
    free(m->reloc_t);
    free(m->reloc_size);
    m->arr_breaks = m->arr_rates = m->reloc_t = NULL;
    m->reloc_size = NULL;
}

as_status as_arrivals_new_household(as_model *m, unsigned size, unsigned flags, uint32_t *hh)
{
    double now = as_engine_now(m->eng);
    const as_par *par = as_model_par(m, now);
    uint32_t h, first;
    gsl_rng *r = m->rng;
    /* The stream of the household about to be created: its creation number, not its slot. */
    as_rng_seek(r, m->seed, m->rep, m->households_created, AS_STREAM_HOUSEHOLD, 0);
    /* Fixed draw order: size, children, origin, then each member. */
    unsigned drawn = 1u + (unsigned)gsl_ran_discrete(r, par->size_table);
    double u_children = as_rng_uniform(r);
    double u_origin = as_rng_uniform(r);
    if (size == 0) {
        size = drawn;
    }
    as_status st = as_add_household(m, size, &h, &first);
    if (st != AS_OK) {
        return st;
    }
    int children = size >= 2 && u_children < par->p_children_given_multi;
    unsigned adults = !children ? size : (size == 2 ? 1u : 2u);
    if (!(flags & AS_HF_RELOCATED) && u_origin < par->share_post_soviet) {
        flags |= AS_HF_POST_SOVIET;
    }
    m->hh.flags[h] = (uint16_t)flags;
    for (unsigned i = 0; i < size; i++) {
        uint32_t p = first + i;
        double u_sex = as_rng_uniform(r), u_bridge = as_rng_uniform(r);
        double u_latin = as_rng_uniform(r), u_age = as_rng_uniform(r);
        uint16_t pf = 0;
        if (i < adults) {
            pf |= AS_PF_ADULT;
            pf |= u_sex < par->share_female_adult ? AS_PF_FEMALE : 0;
            pf |= u_bridge < par->share_bridge ? AS_PF_BRIDGE : 0;
            pf |= u_latin < par->share_latin ? AS_PF_LATIN : 0;
            m->pop.age[p] = (uint8_t)(20 + (int)(u_age * 26.0)); /* 20-45 */
        } else {
            m->pop.age[p] = (uint8_t)(u_age * 18.0); /* 0-17 */
        }
        m->pop.flags[p] = pf;
        m->pop.arrival_t[p] = now;
    }
    *hh = h;
    return AS_OK;
}

/* Places every member of h as a new applicant: Dublin or queued, a bed or the overflow, the
 * clothing card and services, school, the right to work, mentoring and the household's departure
 * risk. */
static as_status enter_applicants(as_model *m, uint32_t h, int is_arrival)
{
    double now = as_engine_now(m->eng);
    uint32_t f = m->hh.first[h];
    m->hh.arrival_t[h] = now;
    for (unsigned i = 0; i < m->hh.size[h]; i++) {
        uint32_t p = f + i;
        if (!is_arrival) {
            m->pop.arrival_t[p] = -1;
        }
        as_status st = as_reception_admit(m, p);
        if (st == AS_OK) {
            st = as_procedure_open(m, p);
        }
        if (st == AS_OK) {
            st = as_employment_on_arrival(m, p);
        }
        if (st == AS_OK) {
            st = as_school_on_entry(m, p);
        }
        if (st == AS_OK && is_arrival) {
            st = as_services_on_arrival(m, p);
        }
        if (st != AS_OK) {
            return st;
        }
        if (is_arrival) {
            m->cum_arrivals++;
            as_observe_count(m, AS_IND_ARRIVALS, 1);
            double card = as_dated_at(m->d_clothing, as_model_day(m, now));
            as_budget_book(m, AS_BR_ALLOWANCE_STATE,
                           card * as_allowance_index(m, (int32_t)as_model_day(m, now)));
        } else {
            m->initial_population++;
        }
    }
    as_status st = as_mentoring_on_arrival(m, h);
    return st != AS_OK ? st : as_movement_start(m, h);
}

/* Schedules the next spontaneous arrival after `now` (one unit exponential per call). */
static as_status schedule_next(as_model *m, double now)
{
    double e = as_rng_exponential(m->rng_seq, 1.0);
    double t = as_hazard_time_to(&m->arr_hazard, 1.0, now, e);
    if (!(t < m->horizon)) {
        return AS_OK; /* beyond the horizon, or never */
    }
    return as_engine_schedule(m->eng, t, 0, AS_P_ARRIVAL);
}

/* The initial population: applicants pending and status holders in the community. */
static as_status initial_population(as_model *m)
{
    const as_scenario *s = m->scn;
    int64_t pending = as_scn_int(s, AS_S_ARRIVALS_INITIAL_PENDING);
    int64_t protected_n = as_scn_int(s, AS_S_ARRIVALS_INITIAL_PROTECTED);
    const as_par *par = as_model_par(m, 0.0);
    while (pending > 0) {
        uint32_t h;
        as_status st = as_arrivals_new_household(m, 0, AS_HF_INITIAL, &h);
        if (st != AS_OK) {
            return st;
        }
        if (m->hh.size[h] > pending) {
            as_household_cut(m, h, (unsigned)pending); /* the last household: cut to the total */
        }
        pending -= m->hh.size[h];
        st = enter_applicants(m, h, 0);
        if (st != AS_OK) {
            return st;
        }
    }
    double p_ref = par->p_refugee + par->p_alternative > 0
                           ? par->p_refugee / (par->p_refugee + par->p_alternative)
                           : 1.0;
    while (protected_n > 0) {
        uint32_t h;
        as_status st = as_arrivals_new_household(m, 0, AS_HF_INITIAL, &h);
        if (st != AS_OK) {
            return st;
        }
        if (m->hh.size[h] > protected_n) {
            as_household_cut(m, h, (unsigned)protected_n);
        }
        protected_n -= m->hh.size[h];
        as_rng_seek(m->rng, m->seed, m->rep, as_hid(m, h), AS_STREAM_OUTCOME, 0);
        uint8_t legal = as_rng_uniform(m->rng) < p_ref ? AS_LEGAL_REFUGEE : AS_LEGAL_ALTERNATIVE;
        uint32_t f = m->hh.first[h];
        m->hh.status_t[h] = -INFINITY;
        m->hh.arrival_t[h] = -INFINITY;
        m->hh.tenancy[h] = AS_TEN_PRIVATE;
        m->hh.tenancy_t[h] = -INFINITY;
        m->hh.housing_paid_t[h] = 0.0;
        for (unsigned i = 0; i < m->hh.size[h]; i++) {
            uint32_t p = f + i;
            as_person_begin(m, p);
            m->pop.legal[p] = legal;
            m->pop.place[p] = AS_PLACE_COMMUNITY;
            m->pop.lodging[p] = AS_LODGING_OWN;
            m->pop.case_state[p] = AS_CASE_NONE;
            m->pop.status_t[p] = -INFINITY;
            m->pop.arrival_t[p] = -1;
            /* Status before 2015: a bank account, and children at a local school long since. */
            m->pop.flags[p] |= AS_PF_ACCOUNT;
            if (!(m->pop.flags[p] & AS_PF_ADULT)) {
                m->pop.school[p] = AS_SCHOOL_LOCAL;
                m->pop.flags[p] |= AS_PF_SETTLED;
            }
            as_person_end(m, p);
            m->initial_population++;
        }
        for (unsigned i = 0; i < m->hh.size[h]; i++) {
            st = as_employment_on_status(m, f + i);
            if (st != AS_OK) {
                return st;
            }
        }
        st = as_benefits_update(m, h);
        if (st == AS_OK) {
            st = as_movement_start(m, h);
        }
        if (st != AS_OK) {
            return st;
        }
    }
    return AS_OK;
}

as_status as_arrivals_start(as_model *m)
{
    m->reloc_next = 0;
    as_status st = initial_population(m);
    if (st != AS_OK) {
        return st;
    }
    if (m->reloc_n > 0) {
        st = as_engine_schedule(m->eng, m->reloc_t[0], 0, AS_P_RELOCATION);
        if (st != AS_OK) {
            return st;
        }
    }
    as_rng_seek(m->rng_seq, m->seed, m->rep, 0, AS_STREAM_ARRIVALS, 0);
    return schedule_next(m, 0.0);
}

as_status as_arrivals_on_arrival(as_model *m, const as_event *ev)
{
    uint32_t h;
    as_status st = as_arrivals_new_household(m, 0, 0, &h);
    if (st == AS_OK) {
        st = enter_applicants(m, h, 1);
    }
    return st != AS_OK ? st : schedule_next(m, ev->time);
}

as_status as_arrivals_on_relocation(as_model *m, const as_event *ev)
{
    (void)ev;
    int64_t left = m->reloc_size[m->reloc_next++];
    while (left > 0) {
        uint32_t h;
        as_status st = as_arrivals_new_household(m, 0, AS_HF_RELOCATED, &h);
        if (st != AS_OK) {
            return st;
        }
        if (m->hh.size[h] > left) {
            as_household_cut(m, h,
                             (unsigned)left); /* the batch's last household: cut to its total */
        }
        left -= m->hh.size[h];
        st = enter_applicants(m, h, 1);
        if (st != AS_OK) {
            return st;
        }
    }
    if (m->reloc_next < m->reloc_n) {
        return as_engine_schedule(m->eng, m->reloc_t[m->reloc_next], 0, AS_P_RELOCATION);
    }
    return AS_OK;
}
