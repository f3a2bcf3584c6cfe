/* Children's education (model.md §2.10).
 *
 * A child who arrives as an applicant starts at the base school within
 * education.school_deadline_days (at the deadline), or at once in the reception centre's
 * readiness class with education.readiness_class; the state (IZM) pays
 * education.cost_child_month_eur per child-month. Once the household has status and housing the
 * child changes to the local school, where the municipality pays the same rate for
 * education.municipal_support_years of Latvian support. After education.settle_months at school a
 * child is settled, which multiplies the household's departure hazard by
 * education.hr_leave_settled. Children leave school when they leave Latvia and start again when
 * transferred back. `children_in_school` counts children present at any school (pre-school
 * included). Unaccompanied minors do not arrive in the model (no demand, seed l. 7311-7322), so
 * education.foster_eur_month is never spent. */
#include "internal.h"

static as_status set_school(as_model *m, uint32_t p, uint8_t school)
{
    as_person_begin(m, p);
    m->pop.school[p] = school;
    as_person_end(m, p);
    return AS_OK;
}

static as_status start(as_model *m, uint32_t p)
{
    double now = as_engine_now(m->eng);
    const as_par *par = as_model_par(m, now);
    uint32_t h = m->pop.household[p];
    int protected_housed = as_is_protected(m, p) && m->hh.tenancy[h] != AS_TEN_NONE;
    as_status st = set_school(m, p, protected_housed ? AS_SCHOOL_LOCAL_SUP : AS_SCHOOL_BASE);
    if (st == AS_OK && protected_housed && now + par->support_days < m->horizon) {
        st = as_engine_schedule(m->eng, now + par->support_days, p, AS_P_SCHOOL_STEP);
    }
    if (st == AS_OK && !(m->pop.flags[p] & AS_PF_SETTLED) && now + par->settle_days < m->horizon) {
        st = as_engine_schedule(m->eng, now + par->settle_days, p, AS_P_SETTLED);
    }
    return st;
}

as_status as_school_on_entry(as_model *m, uint32_t p)
{
    double now = as_engine_now(m->eng);
    const as_par *par = as_model_par(m, now);
    if (m->pop.flags[p] & AS_PF_ADULT) {
        return AS_OK;
    }
    if (par->readiness_class && m->pop.place[p] == AS_PLACE_RECEPTION) {
        return start(m, p);
    }
    as_status st = set_school(m, p, AS_SCHOOL_WAIT);
    if (st == AS_OK && now + par->school_deadline_days < m->horizon) {
        st = as_engine_schedule(m->eng, now + par->school_deadline_days, p, AS_P_SCHOOL);
    }
    return st;
}

as_status as_school_on_start(as_model *m, const as_event *ev)
{
    uint32_t p = ev->entity;
    if (!as_is_present(m, p) || m->pop.school[p] != AS_SCHOOL_WAIT) {
        return AS_OK;
    }
    return start(m, p);
}

as_status as_school_on_step(as_model *m, const as_event *ev)
{
    uint32_t p = ev->entity;
    if (m->pop.school[p] == AS_SCHOOL_LOCAL_SUP) {
        return set_school(m, p, AS_SCHOOL_LOCAL);
    }
    return AS_OK;
}

as_status as_school_on_settled(as_model *m, const as_event *ev)
{
    uint32_t p = ev->entity;
    uint8_t s = m->pop.school[p];
    if (!as_is_present(m, p) || s == AS_SCHOOL_NONE || s == AS_SCHOOL_WAIT) {
        return AS_OK;
    }
    as_person_begin(m, p);
    m->pop.flags[p] |= AS_PF_SETTLED;
    as_person_end(m, p);
    return as_covariates_changed(m, m->pop.household[p]);
}

as_status as_school_on_housed(as_model *m, uint32_t h)
{
    double now = as_engine_now(m->eng);
    const as_par *par = as_model_par(m, now);
    uint32_t f = m->hh.first[h];
    for (unsigned i = 0; i < m->hh.size[h]; i++) {
        uint32_t p = f + i;
        if (!as_is_present(m, p) || (m->pop.flags[p] & AS_PF_ADULT) || !as_is_protected(m, p)) {
            continue;
        }
        if (m->pop.school[p] == AS_SCHOOL_BASE) {
            /* A school change: to the local school with municipal support. */
            as_status st = set_school(m, p, AS_SCHOOL_LOCAL_SUP);
            if (st == AS_OK && now + par->support_days < m->horizon) {
                st = as_engine_schedule(m->eng, now + par->support_days, p, AS_P_SCHOOL_STEP);
            }
            if (st != AS_OK) {
                return st;
            }
        } else if (m->pop.school[p] == AS_SCHOOL_NONE) {
            as_status st = start(m, p);
            if (st != AS_OK) {
                return st;
            }
        }
    }
    return AS_OK;
}

as_status as_school_on_departure(as_model *m, uint32_t p)
{
    if (m->pop.school[p] == AS_SCHOOL_NONE) {
        return AS_OK;
    }
    as_engine_cancel(m->eng, p, AS_P_SCHOOL);
    as_engine_cancel(m->eng, p, AS_P_SCHOOL_STEP);
    as_engine_cancel(m->eng, p, AS_P_SETTLED);
    as_person_begin(m, p);
    m->pop.school[p] = AS_SCHOOL_NONE;
    m->pop.flags[p] &= (uint16_t)~AS_PF_SETTLED;
    as_person_end(m, p);
    return AS_OK;
}
