/* Interpreting, information and the integration course (model.md §2.12): count-driven costs,
 * booked when a person arrives — services.interp_uses_per_client interpreting uses at
 * services.interp_cost_eur and services.info_consults_per_person consultations at
 * services.info_cost_eur (interpreting_info), and, for an adult who attends it
 * (services.intro_course_prob), the integration course at services.intro_course_cost_eur
 * (language_and_intro). The EU (AMIF) shares follow budget.eu_share_*; nothing is booked after
 * services.funded_until. */
#include "internal.h"

#include <math.h>

#include "asylsim/rng.h"

as_status as_services_on_arrival(as_model *m, uint32_t p)
{
    double now = as_engine_now(m->eng);
    const as_par *par = as_model_par(m, now);
    double day = as_model_day(m, now);
    if (par->services_funded_until != INT32_MIN &&
        (int32_t)floor(day) > par->services_funded_until) {
        return AS_OK;
    }
    double eu = as_dated_at(m->d_eu_interp, day);
    double cost = par->interp_uses * as_dated_at(m->d_interp_cost, day) +
                  par->info_consults * as_dated_at(m->d_info_cost, day);
    as_budget_book(m, AS_BR_INTERPRETING_INFO_STATE, cost * (1 - eu));
    as_budget_book(m, AS_BR_INTERPRETING_INFO_AMIF, cost * eu);
    if (m->pop.flags[p] & AS_PF_ADULT) {
        as_rng_seek(m->rng, m->seed, m->rep, as_pid(m, p), AS_STREAM_SERVICES, 0);
        if (as_rng_uniform(m->rng) < par->intro_prob) {
            double c = as_dated_at(m->d_intro_cost, day);
            double eul = as_dated_at(m->d_eu_language, day);
            as_budget_book(m, AS_BR_LANGUAGE_AND_INTRO_STATE, c * (1 - eul));
            as_budget_book(m, AS_BR_LANGUAGE_AND_INTRO_AMIF, c * eul);
        }
    }
    return AS_OK;
}
