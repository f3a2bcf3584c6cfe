/* The reception centre (model.md §2.3): reception.capacity_places beds (dated; a step down evicts
 * no one, it only stops admissions until occupancy falls). Applicants take a bed on arrival when
 * one is free; otherwise reception.overflow decides: `wait_list` (the applicant lives in the
 * community, still paid the allowance, and takes the next free bed in arrival order) or
 * `municipal` (municipal accommodation at the bed-day cost, paid by the municipality, until the
 * case ends). Status holders stay while they search for housing (housing.c). The costs accrue per
 * occupied bed-day in budget.c. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>

as_status as_reception_setup(as_model *m, as_error *err)
{
    const as_dated *b = m->d_beds;
    int32_t lo = m->grid.bound[0], hi = m->grid.bound[m->grid.n_months];
    m->beds_t = malloc((b->n + 1) * sizeof *m->beds_t);
    m->beds_value = malloc((b->n + 1) * sizeof *m->beds_value);
    if (!m->beds_t || !m->beds_value) {
        return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    }
    m->beds_n = 0;
    m->beds_t[m->beds_n] = 0.0;
    m->beds_value[m->beds_n++] = (int64_t)llround(as_dated_at(b, (double)lo));
    for (size_t i = 0; i < b->n; i++) {
        if (b->from_day[i] > lo && b->from_day[i] < hi) {
            m->beds_t[m->beds_n] = (double)(b->from_day[i] - lo);
            m->beds_value[m->beds_n++] = (int64_t)llround(b->value[i]);
        }
    }
    return AS_OK;
}

void as_reception_teardown(as_model *m)
{
    free(m->beds_t);
    free(m->beds_value);
    m->beds_t = NULL;
    m->beds_value = NULL;
    as_fifo_free(&m->wait);
}

as_status as_reception_start(as_model *m)
{
    m->wait.head = m->wait.len = 0;
    m->beds = m->beds_value[0];
    m->beds_next = 1;
    if (m->beds_next < m->beds_n) {
        return as_engine_schedule(m->eng, m->beds_t[m->beds_next], 0, AS_P_BEDS);
    }
    return AS_OK;
}

as_status as_reception_admit(as_model *m, uint32_t p)
{
    const as_par *par = as_model_par(m, as_engine_now(m->eng));
    int has_bed = m->cnt[AS_C_IN_RECEPTION] < m->beds;
    as_person_begin(m, p);
    if (has_bed) {
        m->pop.place[p] = AS_PLACE_RECEPTION;
        m->pop.lodging[p] = AS_LODGING_NONE;
    } else {
        m->pop.place[p] = AS_PLACE_COMMUNITY;
        m->pop.lodging[p] = par->overflow_municipal ? AS_LODGING_MUNICIPAL : AS_LODGING_WAIT_LIST;
        m->pop.wticket[p]++;
    }
    as_person_end(m, p);
    if (!has_bed && !par->overflow_municipal) {
        return as_fifo_push(&m->wait, m->pop.refs, p, m->pop.wticket[p]);
    }
    return has_bed ? as_language_on_bed(m, p) : AS_OK;
}

as_status as_reception_fill(as_model *m)
{
    uint32_t p;
    uint16_t ticket;
    while (m->cnt[AS_C_IN_RECEPTION] < m->beds && as_fifo_pop(&m->wait, m->pop.refs, &p, &ticket)) {
        if (ticket != m->pop.wticket[p] || m->pop.place[p] != AS_PLACE_COMMUNITY ||
            m->pop.lodging[p] != AS_LODGING_WAIT_LIST || m->pop.legal[p] != AS_LEGAL_APPLICANT) {
            continue; /* left, granted status, or queued again since */
        }
        as_person_begin(m, p);
        m->pop.place[p] = AS_PLACE_RECEPTION;
        m->pop.lodging[p] = AS_LODGING_NONE;
        as_person_end(m, p);
        as_status st = as_language_on_bed(m, p);
        if (st != AS_OK) {
            return st;
        }
    }
    return AS_OK;
}

as_status as_reception_on_beds(as_model *m, const as_event *ev)
{
    (void)ev;
    m->beds = m->beds_value[m->beds_next++];
    if (m->beds_next < m->beds_n) {
        as_status st = as_engine_schedule(m->eng, m->beds_t[m->beds_next], 0, AS_P_BEDS);
        if (st != AS_OK) {
            return st;
        }
    }
    return as_reception_fill(m);
}
