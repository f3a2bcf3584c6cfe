/* Leaving the reception centre for housing (model.md §2.8, first part). When a member of a
 * household is granted status while members live in the centre, the household starts searching:
 * a Weibull hazard (shape 0.9) with median housing.search_median_months since that status, sampled
 * by integrated-hazard inversion from the household's HOUSING stream. When it fires, every member
 * in the centre moves to the community (housed). With reception.status_holders_may_stay = false
 * the household moves out at once; reception.max_stay_after_status_days > 0 ends the stay at that
 * limit. Affordability, landlords, language, mentoring and the housing programmes act on this
 * hazard from issue #5. */
#include "internal.h"

#include <math.h>

#include "asylsim/rng.h"

/* Weibull shape of the search (model.md §2.8). */
#define SEARCH_SHAPE 0.9

void as_housing_setup(as_model *m)
{
    m->search_hazard = (as_hazard){.kind = AS_HAZARD_WEIBULL, .shape = SEARCH_SHAPE};
}

static unsigned in_reception(const as_model *m, uint32_t h)
{
    unsigned n = 0;
    uint32_t f = m->hh.first[h];
    for (unsigned i = 0; i < m->hh.size[h]; i++) {
        n += m->pop.place[f + i] == AS_PLACE_RECEPTION;
    }
    return n;
}

as_status as_housing_move_out(as_model *m, uint32_t h)
{
    double now = as_engine_now(m->eng);
    uint32_t f = m->hh.first[h];
    for (unsigned i = 0; i < m->hh.size[h]; i++) {
        uint32_t p = f + i;
        if (m->pop.place[p] != AS_PLACE_RECEPTION) {
            continue;
        }
        as_person_begin(m, p);
        m->pop.place[p] = AS_PLACE_COMMUNITY;
        m->pop.lodging[p] = AS_LODGING_OWN;
        m->pop.pmic_left_t[p] = now;
        as_person_end(m, p);
    }
    as_engine_cancel(m->eng, h, AS_P_HOUSING);
    as_engine_cancel(m->eng, h, AS_P_MAX_STAY);
    as_benefits_update(m, h);
    return as_reception_fill(m);
}

as_status as_housing_on_status(as_model *m, uint32_t h)
{
    double now = as_engine_now(m->eng);
    const as_par *par = as_model_par(m, now);
    if (in_reception(m, h) == 0) {
        return AS_OK;
    }
    if (!par->status_holders_may_stay) {
        return as_housing_move_out(m, h);
    }
    if (!as_engine_is_pending(m->eng, h, AS_P_HOUSING)) {
        as_rng_seek(m->rng, m->seed, m->rep, h, AS_STREAM_HOUSING, m->hh.search_spell[h]++);
        as_risk *r = &m->hh.search[h];
        as_risk_start(r, gsl_ran_exponential(m->rng, 1.0), 0.0, 1.0);
        as_hazard hz = m->search_hazard;
        hz.scale_days = par->search_scale_days;
        double u = as_risk_fire_u(r, &hz);
        if (now + u < m->horizon) {
            as_status st = as_engine_schedule(m->eng, now + u, h, AS_P_HOUSING);
            if (st != AS_OK) {
                return st;
            }
        }
    }
    if (par->max_stay_days > 0 && !as_engine_is_pending(m->eng, h, AS_P_MAX_STAY) &&
        now + par->max_stay_days < m->horizon) {
        return as_engine_schedule(m->eng, now + par->max_stay_days, h, AS_P_MAX_STAY);
    }
    return AS_OK;
}

as_status as_housing_on_found(as_model *m, const as_event *ev)
{
    return as_housing_move_out(m, ev->entity);
}

as_status as_housing_on_max_stay(as_model *m, const as_event *ev)
{
    return as_housing_move_out(m, ev->entity);
}
