/* Social work and mentoring (model.md §2.6).
 *
 * A household accepts the service with mentoring.uptake (drawn once). During the procedure it has
 * a social worker for mentoring.months_procedure from arrival; after the first status a mentor for
 * mentoring.months_after_status (`fixed`) or until self-sufficient — housed, earning at least the
 * benefit and every adult at A2 — up to that cap (`until_self_sufficient`, checked at month ends).
 * Capacity is staff x caseload in persons: mentoring.social_workers x
 * max_clients_per_social_worker and mentoring.mentors x max_clients_per_mentor (all dated); a
 * household takes a place per member present, and waits in a FIFO when the places are taken (a
 * social-work wait ends with the procedure window or the status). No case opens and every case
 * closes after mentoring.funded_until. While a case is open the household's hazards carry
 * mentoring.hr_job, hr_housing, hr_leave and hr_course. Staff cost (budget.c): staff-months x
 * worker_cost_eur_month / mentor_cost_eur_month x pay_multiplier x (1 + budget.vat_rate), the ESF
 * share by date. `mentoring_clients_year` counts the distinct persons with a case since
 * 1 January. */
#include "internal.h"

#include <math.h>

#include "asylsim/calendar.h"
#include "asylsim/rng.h"

void as_mentoring_teardown(as_model *m)
{
    as_fifo_free(&m->sw_wait);
    as_fifo_free(&m->mentor_wait);
}

static int year_of(const as_model *m, double t)
{
    int y, mo, d;
    as_civil_from_days((int32_t)floor(as_model_day(m, t)), &y, &mo, &d);
    return y;
}

void as_mentoring_start(as_model *m)
{
    m->sw_wait.head = m->sw_wait.len = 0;
    m->mentor_wait.head = m->mentor_wait.len = 0;
    m->sw_used = m->mentor_used = 0;
    m->clients_year = 0;
    m->clients_year_of = year_of(m, 0.0);
}

static int funded(const as_model *m)
{
    double now = as_engine_now(m->eng);
    const as_par *par = as_model_par(m, now);
    int32_t today = (int32_t)floor(as_model_day(m, now));
    return par->mentoring_funded_until == INT32_MIN || today <= par->mentoring_funded_until;
}

static int64_t places(const as_model *m, int phase)
{
    if (!funded(m)) {
        return 0;
    }
    double day = as_model_day(m, as_engine_now(m->eng));
    if (phase == 1) {
        return (int64_t)llround(as_dated_at(m->d_social_workers, day) *
                                as_dated_at(m->d_cap_sw, day));
    }
    return (int64_t)llround(as_dated_at(m->d_mentors, day) * as_dated_at(m->d_cap_mentor, day));
}

/* Counts the household's present members in mentoring_clients_year once a year. */
static void count_clients(as_model *m, uint32_t h)
{
    int y = year_of(m, as_engine_now(m->eng));
    uint32_t f = m->hh.first[h];
    for (unsigned i = 0; i < m->hh.size[h]; i++) {
        uint32_t p = f + i;
        if (as_is_present(m, p) && m->pop.mentor_year[p] != (uint16_t)y) {
            m->pop.mentor_year[p] = (uint16_t)y;
            m->clients_year++;
        }
    }
}

static as_status open_case(as_model *m, uint32_t h, int phase)
{
    double now = as_engine_now(m->eng);
    const as_par *par = as_model_par(m, now);
    unsigned n = as_hh_present(m, h);
    as_household_begin(m, h);
    m->hh.flags[h] = (uint16_t)((m->hh.flags[h] | AS_HF_MENTORED) & ~AS_HF_MENTOR_WAIT);
    m->hh.mentor_phase[h] = (uint8_t)phase;
    m->hh.mentor_slots[h] = (uint16_t)n;
    m->hh.mentor_t[h] = now;
    as_household_end_shared(m, h);
    if (phase == 1) {
        m->sw_used += n;
    } else {
        m->mentor_used += n;
    }
    count_clients(m, h);
    double len = phase == 1 ? par->mentor_procedure_days : par->mentor_after_days;
    /* The procedure phase runs from arrival, so a late start keeps only what is left of it. */
    double end = phase == 1 ? m->hh.arrival_t[h] + len : now + len;
    as_status st = AS_OK;
    if (end <= now) {
        end = now;
    }
    if (end < m->horizon) {
        st = as_engine_schedule(m->eng, end, h, AS_P_MENTOR_END);
    }
    return st != AS_OK ? st : as_covariates_changed(m, h);
}

/* Admits waiting households while places are free. */
static as_status fill(as_model *m, int phase)
{
    as_fifo *q = phase == 1 ? &m->sw_wait : &m->mentor_wait;
    int64_t *used = phase == 1 ? &m->sw_used : &m->mentor_used;
    int64_t cap = places(m, phase);
    while (q->len > 0) {
        uint32_t h = (uint32_t)(q->e[q->head] & 0xFFFFFFFFu);
        uint16_t want = (uint16_t)(q->e[q->head] >> 32);
        int still = (m->hh.flags[h] & AS_HF_MENTOR_WAIT) && !(m->hh.flags[h] & AS_HF_MENTORED) &&
                    want == (uint16_t)phase && as_hh_present(m, h) > 0 &&
                    (phase == 2 || !as_movement_phase(m, h)) &&
                    (phase == 2 ||
                     as_engine_now(m->eng) <
                             m->hh.arrival_t[h] +
                                     as_model_par(m, as_engine_now(m->eng))->mentor_procedure_days);
        if (!still) {
            uint32_t dh;
            uint16_t dt;
            (void)as_fifo_pop(q, m->hh.refs, &dh, &dt);
            continue;
        }
        if (*used + (int64_t)as_hh_present(m, h) > cap) {
            break; /* first come, first served: the head waits for room */
        }
        uint32_t dh;
        uint16_t dt;
        (void)as_fifo_pop(q, m->hh.refs, &dh, &dt);
        as_status st = open_case(m, h, phase);
        if (st != AS_OK) {
            return st;
        }
    }
    return AS_OK;
}

static as_status request(as_model *m, uint32_t h, int phase)
{
    if (!(m->hh.flags[h] & AS_HF_MENTOR_OK) || !funded(m)) {
        return AS_OK;
    }
    as_fifo *q = phase == 1 ? &m->sw_wait : &m->mentor_wait;
    m->hh.flags[h] |= AS_HF_MENTOR_WAIT;
    as_status st = as_fifo_push(q, m->hh.refs, h, (uint16_t)phase);
    return st != AS_OK ? st : fill(m, phase);
}

as_status as_mentoring_on_arrival(as_model *m, uint32_t h)
{
    const as_par *par = as_model_par(m, as_engine_now(m->eng));
    as_rng_seek(m->rng, m->seed, m->rep, as_hid(m, h), AS_STREAM_MENTOR, 0);
    if (as_rng_uniform(m->rng) < par->mentor_uptake) {
        m->hh.flags[h] |= AS_HF_MENTOR_OK;
    }
    return request(m, h, 1);
}

/* Closes h's case (or wait), frees its places and admits the next households. */
as_status as_mentoring_close(as_model *m, uint32_t h)
{
    uint16_t f = m->hh.flags[h];
    if (f & AS_HF_MENTOR_WAIT) {
        m->hh.flags[h] &= (uint16_t)~AS_HF_MENTOR_WAIT;
    }
    if (!(f & AS_HF_MENTORED)) {
        return AS_OK;
    }
    int phase = m->hh.mentor_phase[h];
    as_engine_cancel(m->eng, h, AS_P_MENTOR_END);
    as_household_begin(m, h);
    m->hh.flags[h] &= (uint16_t)~AS_HF_MENTORED;
    m->hh.mentor_phase[h] = 0;
    as_household_end_shared(m, h);
    if (phase == 1) {
        m->sw_used -= m->hh.mentor_slots[h];
    } else {
        m->mentor_used -= m->hh.mentor_slots[h];
    }
    m->hh.mentor_slots[h] = 0;
    as_status st = fill(m, phase);
    return st != AS_OK ? st : as_covariates_changed(m, h);
}

as_status as_mentoring_on_status(as_model *m, uint32_t h)
{
    if (m->hh.mentor_phase[h] == 2) {
        return AS_OK;
    }
    as_status st = as_mentoring_close(m, h);
    return st != AS_OK ? st : request(m, h, 2);
}

as_status as_mentoring_on_end(as_model *m, const as_event *ev)
{
    return as_mentoring_close(m, ev->entity);
}

as_status as_mentoring_on_staff(as_model *m)
{
    as_status st = fill(m, 1);
    return st != AS_OK ? st : fill(m, 2);
}

/* 1 if h is self-sufficient: housed, income from work at least the benefit, adults at A2+. */
static int self_sufficient(const as_model *m, uint32_t h)
{
    if (m->hh.tenancy[h] == AS_TEN_NONE || m->hh.tenancy[h] == AS_TEN_CRISIS) {
        return 0;
    }
    double day = as_model_day(m, as_engine_now(m->eng));
    unsigned np = as_hh_protected_present(m, h);
    double benefit = np ? as_dated_at(m->d_monthly_adult, day) +
                                     as_dated_at(m->d_monthly_next, day) * (double)(np - 1)
                        : 0.0;
    if (as_household_wages(m, h) < benefit) {
        return 0;
    }
    uint32_t f = m->hh.first[h];
    for (unsigned i = 0; i < m->hh.size[h]; i++) {
        uint32_t p = f + i;
        if (as_is_present(m, p) && (m->pop.flags[p] & AS_PF_ADULT) && m->pop.level[p] < 2) {
            return 0;
        }
    }
    return 1;
}

as_status as_mentoring_month_end(as_model *m, double t)
{
    const as_par *par = as_model_par(m, t);
    if (!funded(m)) {
        /* Live households in creation order (the order of the closes matters: each refills). */
        for (uint32_t h = m->hh.live_head; h != AS_NO_SLOT; h = m->hh.next[h]) {
            if (m->hh.flags[h] & (AS_HF_MENTORED | AS_HF_MENTOR_WAIT)) {
                as_status st = as_mentoring_close(m, h);
                if (st != AS_OK) {
                    return st;
                }
            }
        }
    } else if (par->mentor_until_self_sufficient) {
        for (uint32_t h = m->hh.live_head; h != AS_NO_SLOT; h = m->hh.next[h]) {
            if ((m->hh.flags[h] & AS_HF_MENTORED) && m->hh.mentor_phase[h] == 2 &&
                self_sufficient(m, h)) {
                as_status st = as_mentoring_close(m, h);
                if (st != AS_OK) {
                    return st;
                }
            }
        }
    }
    return AS_OK;
}

void as_mentoring_new_year(as_model *m, double t)
{
    /* A new year: mentoring_clients_year restarts with the persons mentored now. */
    int y = year_of(m, t);
    if (y != m->clients_year_of) {
        m->clients_year_of = y;
        m->clients_year = 0;
        for (uint32_t h = m->hh.live_head; h != AS_NO_SLOT; h = m->hh.next[h]) {
            if (m->hh.flags[h] & AS_HF_MENTORED) {
                count_clients(m, h);
            }
        }
    }
}
