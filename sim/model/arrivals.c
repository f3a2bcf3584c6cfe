/* Arrivals (model.md §2.1): households arrive as a Poisson process whose intensity is the persons
 * series (arrivals.applicants_per_year, then arrivals.projection from arrivals.projection_from)
 * divided by the mean household size, spread over the months of each year by
 * arrivals.month_weights. The intensity is piecewise constant (it changes at month starts and at
 * the dated steps), so arrival times are drawn by integrated-hazard inversion from one sequential
 * stream: a reform that raises the rate moves every arrival earlier, never reshuffles them.
 * Each household's size comes from its own stream. Relocation batches, composition, origin and the
 * initial population come with the pathway issue (#4). */
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

/* Mean household size under P(size = i + 1) = probs[i] (the last class stands for itself). */
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

as_status as_arrivals_setup(as_model *m, as_error *err)
{
    const as_scenario *s = m->scn;
    const as_dated *rate = as_scn_dated(s, AS_S_ARRIVALS_APPLICANTS_PER_YEAR);
    const as_dated *proj = as_scn_dated(s, AS_S_ARRIVALS_PROJECTION);
    int32_t proj_from = as_scn_date(s, AS_S_ARRIVALS_PROJECTION_FROM);
    int32_t reform_day = as_scn_date(s, AS_S_RUN_REFORM_START);
    int32_t lo = m->grid.bound[0], hi = m->grid.bound[m->grid.n_months];

    /* Breakpoints: month starts, the dated steps, the projection start and the reform start. */
    size_t cap = (size_t)m->grid.n_months + rate->n + proj->n + 3;
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
    if (proj_from > lo && proj_from < hi) {
        days[n++] = proj_from;
    }
    if (reform_day > lo && reform_day < hi) {
        days[n++] = reform_day;
    }
    qsort(days, n, sizeof *days, cmp_i32);

    double mean[2];
    for (int ph = 0; ph < 2; ph++) {
        const as_value *v = as_scn_value(s, AS_S_ARRIVALS_HOUSEHOLD_SIZE_PROBS, (as_phase)ph);
        mean[ph] = mean_size(v->vec, v->vec_n);
        m->hh_size_table[ph] = gsl_ran_discrete_preproc(v->vec_n, v->vec);
        if (!m->hh_size_table[ph]) {
            free(days);
            return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        }
    }

    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k > 0 && days[i] == days[i - 1]) {
            continue; /* duplicate breakpoint */
        }
        int32_t d = days[i];
        int ph = d >= reform_day;
        int y, mo, dd;
        as_civil_from_days(d, &y, &mo, &dd);
        const as_value *w = as_scn_value(s, AS_S_ARRIVALS_MONTH_WEIGHTS, (as_phase)ph);
        double persons = as_dated_at(d >= proj_from ? proj : rate, (double)d);
        double denom = weighted_days(w->vec, y);
        double per_day = denom > 0 ? persons * w->vec[mo - 1] / denom : 0.0;
        m->arr_breaks[k] = (double)(d - lo);
        m->arr_rates[k] = mean[ph] > 0 ? per_day / mean[ph] : 0.0;
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
    m->arr_breaks = m->arr_rates = NULL;
    for (int ph = 0; ph < 2; ph++) {
        if (m->hh_size_table[ph]) {
            gsl_ran_discrete_free(m->hh_size_table[ph]);
        }
        m->hh_size_table[ph] = NULL;
    }
}

/* Draws the next arrival after `now` from the sequential stream and schedules it (one unit
 * exponential, two words, per call). */
static as_status schedule_next(as_model *m, double now)
{
    double e = gsl_ran_exponential(m->rng_seq, 1.0);
    double t = as_hazard_time_to(&m->arr_hazard, 1.0, now, e);
    if (!(t < m->horizon)) {
        return AS_OK; /* beyond the horizon, or never */
    }
    return as_engine_schedule(m->eng, t, 0, AS_P_ARRIVAL);
}

as_status as_arrivals_start(as_model *m)
{
    as_rng_seek(m->rng_seq, m->seed, m->rep, 0, AS_STREAM_ARRIVALS, 0);
    return schedule_next(m, 0.0);
}

as_status as_arrivals_on_arrival(as_model *m, const as_event *ev)
{
    as_phase ph = as_model_phase(m, ev->time);
    uint32_t h = (uint32_t)m->pop.n_hh, first;
    as_rng_seek(m->rng, m->seed, m->rep, h, AS_STREAM_HOUSEHOLD, 0);
    unsigned size = 1u + (unsigned)gsl_ran_discrete(m->rng, m->hh_size_table[ph]);
    as_status st = as_pop_add_household(&m->pop, size, &h, &first);
    if (st == AS_OK) {
        st = as_engine_reserve(m->eng, m->pop.n);
    }
    if (st != AS_OK) {
        return st;
    }
    for (unsigned i = 0; i < size; i++) {
        m->n_present++;
        m->cum_arrivals++;
        as_observe_count(m, AS_IND_ARRIVALS, 1);
        st = as_procedure_enqueue(m, first + i);
        if (st != AS_OK) {
            return st;
        }
    }
    return schedule_next(m, ev->time);
}
