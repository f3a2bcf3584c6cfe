/* Persons and households (struct of arrays, sim/model/internal.h) and the running counts that
 * every change of a person's state keeps up to date. A change is bracketed by as_person_begin and
 * as_person_end: the person's counts are a bit mask (pop.mask), and end recomputes it and moves
 * the counts whose bit changed, so the counts always equal a recount (checked at every
 * observation with debug_checks, with every mask).
 *
 * Storage is proportional to the persons in the model, not to those a replication created: a
 * household's slot and its block of person slots are reused once every member has left for good
 * (as_population_sweep, at each month end, looks at the households on the sweep list: new ones
 * and those whose last member present left). A slot is only storage; the creation number (`id`)
 * keys the random streams, so which slot a household gets changes no draw. Events name slots, so
 * a slot is reused only when none of its processes has a live event; its engine epochs are not
 * reset, so a stale event of the old occupant still queued stays stale for the new one. Loops
 * whose order matters walk the live households in creation order (hh.live_head, next). Storage
 * grows by doubling and is cleared, not freed, between replications. */
#include "internal.h"

#include "as_config.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void as_pop_finish(as_pop *p)
{
    free(p->id);
    free(p->refs);
    free(p->cohort_at);
    free(p->legal);
    free(p->place);
    free(p->lodging);
    free(p->case_state);
    free(p->flags);
    free(p->mask);
    free(p->age);
    free(p->spell);
    free(p->ticket);
    free(p->wticket);
    free(p->household);
    free(p->arrival_t);
    free(p->status_t);
    free(p->pmic_left_t);
    free(p->queued_t);
    free(p->level);
    free(p->course);
    free(p->school);
    free(p->job);
    free(p->job_spell);
    free(p->course_spell);
    free(p->mentor_year);
    free(p->hours);
    free(p->hours_t);
    free(p->wage);
    free(p->first_job_t);
    free(p->job_risk);
    free(p->drop_risk);
    memset(p, 0, sizeof *p);
}

void as_hh_finish(as_hh *h)
{
    free(h->id);
    free(h->refs);
    free(h->next);
    free(h->prev);
    free(h->sweep_next);
    free(h->dirty_next);
    free(h->block);
    free(h->first);
    free(h->size);
    free(h->n_present);
    free(h->n_protected);
    free(h->flags);
    free(h->leave_spell);
    free(h->search_spell);
    free(h->leave);
    free(h->search);
    free(h->status_t);
    free(h->head);
    free(h->ent_day);
    free(h->ent_months);
    free(h->paid);
    free(h->next_k);
    free(h->next_day);
    free(h->tenancy);
    free(h->tenancy_spell);
    free(h->tenancy_t);
    free(h->first_tenancy_t);
    free(h->mentor_t);
    free(h->mentor_slots);
    free(h->mentor_phase);
    free(h->arrival_t);
    free(h->left_t);
    free(h->search_t);
    free(h->cash);
    free(h->housing_paid_t);
    free(h->loss);
    memset(h, 0, sizeof *h);
}

as_status as_hh_list_push(as_model *m, uint32_t **list, size_t *n, size_t *cap, uint32_t h)
{
    if (*n == *cap) {
        size_t c = *cap ? 2 * *cap : 256;
        uint32_t *q = realloc(*list, c * sizeof *q);
        if (!q) {
            return AS_ERR_NOMEM;
        }
        *list = q;
        *cap = c;
    }
    (*list)[(*n)++] = h;
    m->hh.refs[h]++;
    return AS_OK;
}

/* Grows one array to `cap` items of `elem` bytes; 0 on success (the array is unchanged on
 * failure). */
static int grow(void **arr, size_t elem, size_t cap)
{
    void *q = realloc(*arr, elem * cap);
    if (!q) {
        return -1;
    }
    *arr = q;
    return 0;
}

#define GROW(a, cap) grow((void **)&(a), sizeof *(a), (cap))

static as_status reserve_persons(as_pop *p, size_t need)
{
    if (need <= p->cap) {
        return AS_OK;
    }
    size_t cap = p->cap ? p->cap : 1024;
    while (cap < need) {
        cap *= 2;
    }
    if (GROW(p->id, cap) || GROW(p->refs, cap) || GROW(p->cohort_at, cap) || GROW(p->legal, cap) ||
        GROW(p->place, cap) || GROW(p->lodging, cap) || GROW(p->case_state, cap) ||
        GROW(p->flags, cap) || GROW(p->mask, cap) || GROW(p->age, cap) || GROW(p->spell, cap) ||
        GROW(p->ticket, cap) || GROW(p->wticket, cap) || GROW(p->household, cap) ||
        GROW(p->arrival_t, cap) || GROW(p->status_t, cap) || GROW(p->pmic_left_t, cap) ||
        GROW(p->queued_t, cap) || GROW(p->level, cap) || GROW(p->course, cap) ||
        GROW(p->school, cap) || GROW(p->job, cap) || GROW(p->job_spell, cap) ||
        GROW(p->course_spell, cap) || GROW(p->mentor_year, cap) || GROW(p->hours, cap) ||
        GROW(p->hours_t, cap) || GROW(p->wage, cap) || GROW(p->first_job_t, cap) ||
        GROW(p->job_risk, cap) || GROW(p->drop_risk, cap)) {
        return AS_ERR_NOMEM;
    }
    p->cap = cap;
    return AS_OK;
}

static as_status reserve_households(as_hh *h, size_t need)
{
    if (need <= h->cap) {
        return AS_OK;
    }
    size_t cap = h->cap ? h->cap : 512;
    while (cap < need) {
        cap *= 2;
    }
    if (GROW(h->id, cap) || GROW(h->refs, cap) || GROW(h->next, cap) || GROW(h->prev, cap) ||
        GROW(h->sweep_next, cap) || GROW(h->dirty_next, cap) || GROW(h->block, cap) ||
        GROW(h->first, cap) || GROW(h->size, cap) || GROW(h->n_present, cap) ||
        GROW(h->n_protected, cap) || GROW(h->flags, cap) || GROW(h->leave_spell, cap) ||
        GROW(h->search_spell, cap) || GROW(h->leave, cap) || GROW(h->search, cap) ||
        GROW(h->status_t, cap) || GROW(h->head, cap) || GROW(h->ent_day, cap) ||
        GROW(h->ent_months, cap) || GROW(h->paid, cap) || GROW(h->next_k, cap) ||
        GROW(h->next_day, cap) || GROW(h->tenancy, cap) || GROW(h->tenancy_spell, cap) ||
        GROW(h->tenancy_t, cap) || GROW(h->first_tenancy_t, cap) || GROW(h->mentor_t, cap) ||
        GROW(h->mentor_slots, cap) || GROW(h->mentor_phase, cap) || GROW(h->arrival_t, cap) ||
        GROW(h->left_t, cap) || GROW(h->search_t, cap) || GROW(h->housing_paid_t, cap) ||
        GROW(h->cash, cap) || GROW(h->loss, cap)) {
        return AS_ERR_NOMEM;
    }
    h->cap = cap;
    return AS_OK;
}

void as_population_reset(as_model *m)
{
    as_hh *h = &m->hh;
    m->pop.n = 0;
    h->n = 0;
    h->n_live = 0;
    h->persons_live = 0;
    h->live_head = h->live_tail = AS_NO_SLOT;
    h->sweep_head = AS_NO_SLOT;
    h->dirty_head = h->dirty_tail = AS_NO_SLOT;
    for (size_t k = 0; k < sizeof h->free_head / sizeof h->free_head[0]; k++) {
        h->free_head[k] = AS_NO_SLOT;
    }
    m->persons_created = 0;
    m->households_created = 0;
}

as_status as_add_household(as_model *m, unsigned size, uint32_t *hh, uint32_t *first)
{
    as_pop *p = &m->pop;
    as_hh *h = &m->hh;
    if (size < 1 || size > 255 || m->persons_created > UINT32_MAX - size ||
        m->households_created == UINT32_MAX - 1 || p->n + size >= UINT32_MAX ||
        h->n + 1 >= UINT32_MAX) {
        return AS_ERR_NOMEM; /* creation numbers and slots are uint32, AS_NO_SLOT reserved */
    }
    uint32_t k = h->free_head[size];
    uint32_t f;
    if (k != AS_NO_SLOT) {
        /* A freed household with a block of this length: its slots, its engine epochs. */
        h->free_head[size] = h->next[k];
        f = h->first[k];
        assert(h->block[k] == size && h->id[k] == AS_NO_SLOT);
    } else {
        if (reserve_persons(p, p->n + size) != AS_OK || reserve_households(h, h->n + 1) != AS_OK) {
            return AS_ERR_NOMEM;
        }
        as_status st = as_engine_reserve(m->eng, p->n + size);
        if (st != AS_OK) {
            return st;
        }
        k = (uint32_t)h->n++;
        f = (uint32_t)p->n;
        p->n += size;
        h->first[k] = f;
        h->block[k] = (uint8_t)size;
    }
    h->id[k] = m->households_created++;
    h->refs[k] = 0;
    h->next[k] = AS_NO_SLOT;
    h->prev[k] = h->live_tail;
    if (h->live_tail != AS_NO_SLOT) {
        h->next[h->live_tail] = k;
    } else {
        h->live_head = k;
    }
    h->live_tail = k;
    h->dirty_next[k] = AS_NOT_LISTED;
    h->sweep_next[k] = h->sweep_head; /* looked at by the next sweep, present or not */
    h->sweep_head = k;
    h->n_live++;
    h->persons_live += size;
    h->size[k] = (uint8_t)size;
    h->n_present[k] = 0;
    h->n_protected[k] = 0;
    h->flags[k] = 0;
    h->leave_spell[k] = 0;
    h->search_spell[k] = 0;
    memset(&h->leave[k], 0, sizeof h->leave[k]);
    memset(&h->search[k], 0, sizeof h->search[k]);
    h->status_t[k] = NAN;
    h->head[k] = UINT32_MAX;
    h->ent_day[k] = 0;
    h->ent_months[k] = 0;
    h->paid[k] = 0;
    h->next_k[k] = 0;
    h->next_day[k] = 0;
    h->tenancy[k] = AS_TEN_NONE;
    h->tenancy_spell[k] = 0;
    h->tenancy_t[k] = NAN;
    h->first_tenancy_t[k] = INFINITY;
    h->mentor_t[k] = NAN;
    h->mentor_slots[k] = 0;
    h->mentor_phase[k] = 0;
    h->arrival_t[k] = NAN;
    h->left_t[k] = NAN;
    h->search_t[k] = NAN;
    h->housing_paid_t[k] = 0.0;
    h->cash[k] = 0.0;
    memset(&h->loss[k], 0, sizeof h->loss[k]);
    for (unsigned i = 0; i < size; i++) {
        size_t q = f + i;
        p->id[q] = m->persons_created++;
        p->refs[q] = 0;
        p->cohort_at[q] = AS_NO_SLOT;
        p->legal[q] = AS_LEGAL_APPLICANT;
        p->place[q] = AS_PLACE_LEFT; /* no place yet: contributes nothing until placed */
        p->lodging[q] = AS_LODGING_NONE;
        p->case_state[q] = AS_CASE_NONE;
        p->flags[q] = 0;
        p->mask[q] = 0;
        p->age[q] = 30;
        p->spell[q] = 0;
        p->ticket[q] = 0;
        p->wticket[q] = 0;
        p->household[q] = k;
        p->arrival_t[q] = -1;
        p->status_t[q] = NAN;
        p->pmic_left_t[q] = NAN;
        p->queued_t[q] = NAN;
        p->level[q] = 0;
        p->course[q] = AS_COURSE_NONE;
        p->school[q] = AS_SCHOOL_NONE;
        p->job[q] = 0;
        p->job_spell[q] = 0;
        p->course_spell[q] = 0;
        p->mentor_year[q] = 0;
        p->hours[q] = 0;
        p->hours_t[q] = 0;
        p->wage[q] = 0;
        p->first_job_t[q] = INFINITY;
        memset(&p->job_risk[q], 0, sizeof p->job_risk[q]);
        memset(&p->drop_risk[q], 0, sizeof p->drop_risk[q]);
    }
    *hh = k;
    *first = f;
    return AS_OK;
}

void as_household_cut(as_model *m, uint32_t h, unsigned size)
{
    as_hh *hh = &m->hh;
    unsigned old = hh->size[h];
    assert(size >= 1 && size <= old && h == hh->live_tail);
    hh->size[h] = (uint8_t)size;
    hh->persons_live -= old - size;
    m->persons_created -= old - size;
    if ((size_t)hh->first[h] + hh->block[h] == m->pop.n && hh->block[h] == old) {
        /* New slots at the end: give the cut ones back. A reused block keeps its length. */
        m->pop.n -= old - size;
        hh->block[h] = (uint8_t)size;
    }
}

/* Who owns each engine process's entity number: the model (entity 0), a person or a household.
 * A household's slot is reused only when none of its own and its members' processes is pending.
 */
enum {
    OWNER_MODEL = 1,
    OWNER_PERSON,
    OWNER_HOUSEHOLD
};
static const uint8_t process_owner[AS_P_N] = {
        [AS_P_ARRIVAL] = OWNER_MODEL,
        [AS_P_RELOCATION] = OWNER_MODEL,
        [AS_P_CASEWORKERS] = OWNER_MODEL,
        [AS_P_BEDS] = OWNER_MODEL,
        [AS_P_DECISION] = OWNER_PERSON,
        [AS_P_APPEAL] = OWNER_PERSON,
        [AS_P_REMOVAL] = OWNER_PERSON,
        [AS_P_DUBLIN] = OWNER_PERSON,
        [AS_P_ACCOUNT] = OWNER_PERSON,
        [AS_P_LEAVE] = OWNER_HOUSEHOLD,
        [AS_P_TRANSFER_BACK] = OWNER_HOUSEHOLD,
        [AS_P_HOUSING] = OWNER_HOUSEHOLD,
        [AS_P_MAX_STAY] = OWNER_HOUSEHOLD,
        [AS_P_STAFF] = OWNER_MODEL,
        [AS_P_JOB] = OWNER_PERSON,
        [AS_P_PERMIT] = OWNER_PERSON,
        [AS_P_COURSE] = OWNER_PERSON,
        [AS_P_DROPOUT] = OWNER_PERSON,
        [AS_P_COURSE_GAP] = OWNER_PERSON,
        [AS_P_SCHOOL] = OWNER_PERSON,
        [AS_P_SCHOOL_STEP] = OWNER_PERSON,
        [AS_P_MENTOR_END] = OWNER_HOUSEHOLD,
        [AS_P_BENEFIT_STOP] = OWNER_HOUSEHOLD,
        [AS_P_TENANCY_LOSS] = OWNER_HOUSEHOLD,
        [AS_P_PROGRAMME_END] = OWNER_HOUSEHOLD,
        [AS_P_SETTLED] = OWNER_PERSON,
};

/* The processes owned by `owner`, as a bit set for as_engine_any_pending. */
static uint64_t owned_processes(uint8_t owner)
{
    uint64_t set = 0;
    for (unsigned k = 0; k < AS_P_N; k++) {
        assert(process_owner[k] != 0); /* every process has an owner */
        if (process_owner[k] == owner) {
            set |= (uint64_t)1 << k;
        }
    }
    return set;
}

static int any_pending(const as_model *m, uint32_t entity, uint8_t owner)
{
    return as_engine_any_pending(
            m->eng, entity, owner == OWNER_PERSON ? m->person_processes : m->household_processes);
}

/* Household flags that the month-end loops over all households read (mentoring) or the debug
 * checks count (benefit, GMI): a household carrying one keeps its slot. */
#define PINNING_FLAGS                                                                              \
    (AS_HF_MENTOR_WAIT | AS_HF_MENTORED | AS_HF_BENEFIT | AS_HF_ON_BENEFIT | AS_HF_ON_GMI |        \
     AS_HF_CASH_WAIT | AS_HF_CASH_LISTED)

/* 1 if nothing will ever read household h or its members again. */
static int is_gone(const as_model *m, uint32_t h)
{
    const as_hh *hh = &m->hh;
    if (hh->refs[h] != 0 || (hh->flags[h] & PINNING_FLAGS)) {
        return 0;
    }
    uint32_t f = hh->first[h];
    for (unsigned i = 0; i < hh->size[h]; i++) {
        /* Left (departure, Dublin transfer) or returned: never present again unless a transfer
         * back is pending, which the pending check below sees. */
        if (as_is_present(m, f + i) || m->pop.refs[f + i] != 0) {
            return 0;
        }
    }
    if (any_pending(m, h, OWNER_HOUSEHOLD)) {
        return 0;
    }
    for (unsigned i = 0; i < hh->size[h]; i++) {
        if (any_pending(m, f + i, OWNER_PERSON)) {
            return 0;
        }
    }
    return 1;
}

static void free_household(as_model *m, uint32_t h)
{
    as_hh *hh = &m->hh;
    assert(hh->dirty_next[h] == AS_NOT_LISTED); /* no re-timing pending: flushed before the sweep */
    uint32_t f = hh->first[h];
    for (unsigned i = 0; i < hh->size[h]; i++) {
        uint32_t at = m->pop.cohort_at[f + i];
        if (at != AS_NO_SLOT && at >= m->cohort_base) {
            /* Not present, so counted nowhere: the entry is dropped, not the result. */
            m->cohort[at - m->cohort_base] = AS_NO_SLOT;
        }
    }
    uint32_t nx = hh->next[h], pv = hh->prev[h];
    if (pv != AS_NO_SLOT) {
        hh->next[pv] = nx;
    } else {
        hh->live_head = nx;
    }
    if (nx != AS_NO_SLOT) {
        hh->prev[nx] = pv;
    } else {
        hh->live_tail = pv;
    }
    hh->n_live--;
    hh->persons_live -= hh->size[h];
    hh->id[h] = AS_NO_SLOT;
    hh->next[h] = hh->free_head[hh->block[h]];
    hh->free_head[hh->block[h]] = h;
}

long long as_population_check_free(const as_model *m)
{
    const as_hh *hh = &m->hh;
    for (size_t b = 0; b < sizeof hh->free_head / sizeof hh->free_head[0]; b++) {
        for (uint32_t h = hh->free_head[b]; h != AS_NO_SLOT; h = hh->next[h]) {
            int bad = hh->id[h] != AS_NO_SLOT || hh->block[h] != b || hh->refs[h] != 0 ||
                      any_pending(m, h, OWNER_HOUSEHOLD);
            for (unsigned i = 0; i < hh->block[h] && !bad; i++) {
                uint32_t q = hh->first[h] + i;
                bad = m->pop.refs[q] != 0 || any_pending(m, q, OWNER_PERSON);
            }
            if (bad) {
                return (long long)h;
            }
        }
    }
    return -1;
}

void as_population_sweep(as_model *m)
{
    if (m->keep_departed) {
        return;
    }
    /* Only households on the sweep list can be gone: every household joins it when created and
     * again when its last member present leaves; one with members present leaves it. */
    as_hh *hh = &m->hh;
    uint32_t *link = &hh->sweep_head;
    while (*link != AS_NO_SLOT) {
        uint32_t h = *link;
        if (hh->n_present[h] > 0 || is_gone(m, h)) {
            *link = hh->sweep_next[h];
            hh->sweep_next[h] = AS_NOT_LISTED;
            if (hh->n_present[h] == 0) {
                free_household(m, h);
            }
        } else {
            link = &hh->sweep_next[h];
        }
    }
}

#define BIT(k) (1u << (k))
_Static_assert(AS_C_N <= 32, "a person's counts fit a 32-bit mask");

/* The counts that depend only on a person's place, legal state (applicant or not), case state and
 * lodging; 0 for a person not present. */
static uint32_t base_mask(unsigned place, int applicant, unsigned cs, unsigned lodging)
{
    if (place != AS_PLACE_RECEPTION && place != AS_PLACE_COMMUNITY) {
        return 0;
    }
    uint32_t k = BIT(AS_C_PRESENT);
    if (applicant && (cs == AS_CASE_QUEUED || cs == AS_CASE_IN_SERVICE)) {
        k |= BIT(AS_C_PENDING);
    }
    if (applicant && cs == AS_CASE_APPEAL) {
        k |= BIT(AS_C_IN_APPEAL);
    }
    if (place == AS_PLACE_RECEPTION) {
        k |= BIT(AS_C_IN_RECEPTION);
        if (applicant) {
            k |= BIT(AS_C_IN_KIND);
        }
    }
    if (place == AS_PLACE_COMMUNITY && applicant) {
        k |= BIT(AS_C_APPLICANTS_IN_COMMUNITY);
    }
    if (!applicant) {
        k |= BIT(AS_C_PROTECTED);
        if (place == AS_PLACE_COMMUNITY) {
            k |= BIT(AS_C_HOUSED);
        }
    }
    if (place == AS_PLACE_COMMUNITY && lodging == AS_LODGING_MUNICIPAL) {
        k |= BIT(AS_C_MUNICIPAL_BEDS);
    }
    if (applicant && (place == AS_PLACE_RECEPTION || lodging == AS_LODGING_WAIT_LIST ||
                      lodging == AS_LODGING_MUNICIPAL)) {
        k |= BIT(AS_C_ALLOWANCE);
    }
    return k;
}

/* base_mask is read from a table indexed by the four codes, each a few bits wide. */
_Static_assert(AS_PLACE_RETURNED < 4 && AS_LODGING_OWN < 4 && AS_CASE_CLOSED < 8,
               "the codes fit the table index");
static inline unsigned base_index(unsigned place, int applicant, unsigned cs, unsigned lodging)
{
    return ((place * 2u + (unsigned)applicant) * 8u + cs) * 4u + lodging;
}

/* The counts a present member is in because of its household's own fields: the benefit flags,
 * mentoring and its phase, and (for a member housed: `housed` nonzero) the tenancy. */
#define HOUSEHOLD_BITS                                                                             \
    (BIT(AS_C_ON_BENEFIT) | BIT(AS_C_ON_GMI) | BIT(AS_C_MENTORED) | BIT(AS_C_SOCIAL_WORK) |        \
     BIT(AS_C_IN_PROGRAMME))
static inline uint32_t household_bits(const as_model *m, uint32_t h, uint32_t housed)
{
    uint16_t hf = m->hh.flags[h];
    uint32_t k = 0;
    if (hf & AS_HF_ON_BENEFIT) {
        k |= BIT(AS_C_ON_BENEFIT);
    }
    if (hf & AS_HF_ON_GMI) {
        k |= BIT(AS_C_ON_GMI);
    }
    if (hf & AS_HF_MENTORED) {
        k |= BIT(AS_C_MENTORED);
        if (m->hh.mentor_phase[h] == 1) {
            k |= BIT(AS_C_SOCIAL_WORK);
        }
    }
    if (housed) { /* status holder in the community */
        uint8_t ten = m->hh.tenancy[h];
        if (ten == AS_TEN_GUARANTEED || ten == AS_TEN_HOST || ten == AS_TEN_HALFWAY) {
            k |= BIT(AS_C_IN_PROGRAMME);
        }
    }
    return k;
}

uint32_t as_person_mask(const as_model *m, uint32_t p)
{
    const as_pop *pp = &m->pop;
    assert(pp->place[p] < 4 && pp->case_state[p] < 8 && pp->lodging[p] < 4);
    int applicant = pp->legal[p] == AS_LEGAL_APPLICANT;
    uint32_t k =
            m->mask_base[base_index(pp->place[p], applicant, pp->case_state[p], pp->lodging[p])];
    if (!k) {
        return 0; /* not present */
    }
    int working = pp->job[p] != 0;
    if (pp->flags[p] & AS_PF_ADULT) {
        if (working) {
            k |= BIT(AS_C_EMPLOYED);
        }
        if (pp->level[p] >= 2) {
            k |= BIT(AS_C_A2_PLUS);
        }
        if (!applicant) {
            k |= BIT(AS_C_ADULTS_PROTECTED);
            if (working) {
                k |= BIT(AS_C_EMPLOYED_PROTECTED);
            }
        }
    }
    uint8_t course = pp->course[p];
    if (course == AS_COURSE_PMIC || course == AS_COURSE_POST) {
        k |= BIT(AS_C_IN_COURSE);
    }
    uint8_t school = pp->school[p];
    if (school == AS_SCHOOL_BASE) {
        k |= BIT(AS_C_IN_SCHOOL) | BIT(AS_C_SCHOOL_IZM);
    } else if (school == AS_SCHOOL_LOCAL_SUP) {
        k |= BIT(AS_C_IN_SCHOOL) | BIT(AS_C_SCHOOL_MUNI);
    } else if (school == AS_SCHOOL_LOCAL) {
        k |= BIT(AS_C_IN_SCHOOL);
    }
    return k | household_bits(m, pp->household[p], k & BIT(AS_C_HOUSED));
}

void as_population_init(as_model *m)
{
    _Static_assert(AS_P_N <= 64, "processes fit a 64-bit set");
    for (unsigned pl = 0; pl < 4; pl++) {
        for (int ap = 0; ap < 2; ap++) {
            for (unsigned cs = 0; cs < 8; cs++) {
                for (unsigned lo = 0; lo < 4; lo++) {
                    m->mask_base[base_index(pl, ap, cs, lo)] = base_mask(pl, ap, cs, lo);
                }
            }
        }
    }
    m->person_processes = owned_processes(OWNER_PERSON);
    m->household_processes = owned_processes(OWNER_HOUSEHOLD);
}

void as_person_contrib(const as_model *m, uint32_t p, int64_t sign, int64_t *c)
{
    uint32_t k = as_person_mask(m, p);
    while (k) {
        c[__builtin_ctz(k)] += sign;
        k &= k - 1;
    }
}

/* Prefetching (as_prefetch): the fields most handlers read first. */
static void prefetch_household(const as_model *m, uint32_t h)
{
    const as_hh *hh = &m->hh;
    if (h < hh->n) {
        __builtin_prefetch(&hh->first[h]);
        __builtin_prefetch(&hh->size[h]);
        __builtin_prefetch(&hh->flags[h]);
        __builtin_prefetch(&hh->n_present[h]);
        __builtin_prefetch(&hh->n_protected[h]);
        __builtin_prefetch(&hh->tenancy[h]);
        __builtin_prefetch(&hh->id[h]);
        __builtin_prefetch(&hh->leave[h]);
        __builtin_prefetch(&hh->dirty_next[h]);
    }
}

static void prefetch_person(const as_model *m, uint32_t p)
{
    const as_pop *pp = &m->pop;
    if (p < pp->n) {
        __builtin_prefetch(&pp->legal[p]);
        __builtin_prefetch(&pp->place[p]);
        __builtin_prefetch(&pp->lodging[p]);
        __builtin_prefetch(&pp->case_state[p]);
        __builtin_prefetch(&pp->flags[p]);
        __builtin_prefetch(&pp->mask[p]);
        __builtin_prefetch(&pp->household[p]);
        __builtin_prefetch(&pp->id[p]);
        __builtin_prefetch(&pp->job[p]);
        __builtin_prefetch(&pp->level[p]);
        __builtin_prefetch(&pp->job_risk[p]);
    }
}

void as_prefetch(const as_model *m, const as_event *cur, const as_event *next)
{
    /* One step further for the current event: its household's or first member's fields, whose
     * slot the earlier prefetch of this event's own fields brought in. */
    if ((m->person_processes >> cur->process) & 1u) {
        if (cur->entity < m->pop.n) {
            prefetch_household(m, m->pop.household[cur->entity]);
        }
    } else if (cur->entity < m->hh.n) {
        prefetch_person(m, m->hh.first[cur->entity]);
    }
    /* The next event's own fields. */
    if ((m->person_processes >> next->process) & 1u) {
        prefetch_person(m, next->entity);
    } else {
        prefetch_household(m, next->entity);
    }
}

void as_person_begin(as_model *m, uint32_t p)
{
#if AS_DEBUG_CHECKS
    /* A change made outside a bracket would show here as a stale mask. */
    assert(m->pop.mask[p] == as_person_mask(m, p));
#else
    (void)m;
    (void)p;
#endif
}

/* Moves p's mask from old to now (different), and the counts and household numbers with it. */
static void set_mask(as_model *m, uint32_t p, uint32_t old, uint32_t now)
{
    uint32_t d = old ^ now;
    m->pop.mask[p] = now;
    for (uint32_t k = d; k; k &= k - 1) {
        unsigned c = (unsigned)__builtin_ctz(k);
        m->cnt[c] += (now >> c & 1u) ? 1 : -1;
        m->cnt_d[c] = (double)m->cnt[c];
    }
    uint32_t h = m->pop.household[p];
    if (d & BIT(AS_C_PRESENT)) {
        m->hh.n_present[h] = (uint8_t)(m->hh.n_present[h] + ((now & BIT(AS_C_PRESENT)) ? 1 : -1));
        if (m->hh.n_present[h] == 0 && m->hh.sweep_next[h] == AS_NOT_LISTED) {
            m->hh.sweep_next[h] = m->hh.sweep_head;
            m->hh.sweep_head = h;
        }
    }
    if (d & BIT(AS_C_PROTECTED)) {
        m->hh.n_protected[h] =
                (uint8_t)(m->hh.n_protected[h] + ((now & BIT(AS_C_PROTECTED)) ? 1 : -1));
    }
}

void as_person_end(as_model *m, uint32_t p)
{
    uint32_t old = m->pop.mask[p], now = as_person_mask(m, p);
    if (old != now) {
        set_mask(m, p, old, now);
    }
}

void as_household_begin(as_model *m, uint32_t h)
{
    uint32_t f = m->hh.first[h];
    for (unsigned i = 0; i < m->hh.size[h]; i++) {
        as_person_begin(m, f + i);
    }
}

void as_household_end(as_model *m, uint32_t h)
{
    uint32_t f = m->hh.first[h];
    for (unsigned i = 0; i < m->hh.size[h]; i++) {
        as_person_end(m, f + i);
    }
}

void as_household_end_shared(as_model *m, uint32_t h)
{
    uint32_t f = m->hh.first[h];
    /* The members' own bits stand; only the household's are recomputed, once for the members
     * housed and once for the others. Absent members (mask 0) stay at 0. */
    uint32_t bits[2] = {household_bits(m, h, 0), household_bits(m, h, 1)};
    for (unsigned i = 0; i < m->hh.size[h]; i++) {
        uint32_t p = f + i, old = m->pop.mask[p];
        uint32_t now = old ? (old & ~HOUSEHOLD_BITS) | bits[(old & BIT(AS_C_HOUSED)) != 0] : 0;
#if AS_DEBUG_CHECKS
        assert(now == as_person_mask(m, p)); /* only household fields changed */
#endif
        if (now != old) {
            set_mask(m, p, old, now);
        }
    }
}

unsigned as_hh_count_present(const as_model *m, uint32_t h, int protected_only)
{
    unsigned n = 0;
    uint32_t f = m->hh.first[h];
    for (unsigned i = 0; i < m->hh.size[h]; i++) {
        n += (unsigned)(as_is_present(m, f + i) && (!protected_only || as_is_protected(m, f + i)));
    }
    return n;
}

as_status as_fifo_push(as_fifo *q, uint16_t *refs, uint32_t p, uint16_t ticket)
{
    if (q->len == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 1024;
        uint64_t *e = malloc(cap * sizeof *e);
        if (!e) {
            return AS_ERR_NOMEM;
        }
        for (size_t i = 0; i < q->len; i++) {
            e[i] = q->e[(q->head + i) % q->cap];
        }
        free(q->e);
        q->e = e;
        q->cap = cap;
        q->head = 0;
    }
    q->e[(q->head + q->len) % q->cap] = ((uint64_t)ticket << 32) | p;
    q->len++;
    assert(refs[p] < UINT16_MAX);
    refs[p]++;
    return AS_OK;
}

int as_fifo_pop(as_fifo *q, uint16_t *refs, uint32_t *p, uint16_t *ticket)
{
    if (q->len == 0) {
        return 0;
    }
    uint64_t e = q->e[q->head];
    q->head = (q->head + 1) % q->cap;
    q->len--;
    *p = (uint32_t)e;
    *ticket = (uint16_t)(e >> 32);
    assert(refs[*p] > 0);
    refs[*p]--;
    return 1;
}

void as_fifo_free(as_fifo *q)
{
    free(q->e);
    memset(q, 0, sizeof *q);
}
