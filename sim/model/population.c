/* Person and household storage of the model (struct of arrays, sim/model/internal.h). Grows by
 * doubling and is cleared, not freed, between replications, so a warm workspace allocates
 * nothing. Knows nothing of processes: they read and write the arrays. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

as_status as_pop_init(as_pop *p)
{
    memset(p, 0, sizeof *p);
    return AS_OK;
}

void as_pop_finish(as_pop *p)
{
    free(p->legal);
    free(p->place);
    free(p->case_state);
    free(p->household);
    free(p->hh_first);
    free(p->hh_size);
    memset(p, 0, sizeof *p);
}

void as_pop_clear(as_pop *p)
{
    p->n = 0;
    p->n_hh = 0;
}

/* Grows one array of `elem`-byte items from `old` to `cap` items; 0 on success. */
static int grow(void **arr, size_t elem, size_t cap)
{
    void *q = realloc(*arr, elem * cap);
    if (!q) {
        return -1;
    }
    *arr = q;
    return 0;
}

static as_status reserve_persons(as_pop *p, size_t need)
{
    if (need <= p->cap) {
        return AS_OK;
    }
    size_t cap = p->cap ? p->cap : 1024;
    while (cap < need) {
        cap *= 2;
    }
    if (grow((void **)&p->legal, 1, cap) || grow((void **)&p->place, 1, cap) ||
        grow((void **)&p->case_state, 1, cap) ||
        grow((void **)&p->household, sizeof *p->household, cap)) {
        return AS_ERR_NOMEM;
    }
    p->cap = cap;
    return AS_OK;
}

static as_status reserve_households(as_pop *p, size_t need)
{
    if (need <= p->cap_hh) {
        return AS_OK;
    }
    size_t cap = p->cap_hh ? p->cap_hh : 512;
    while (cap < need) {
        cap *= 2;
    }
    if (grow((void **)&p->hh_first, sizeof *p->hh_first, cap) ||
        grow((void **)&p->hh_size, 1, cap)) {
        return AS_ERR_NOMEM;
    }
    p->cap_hh = cap;
    return AS_OK;
}

as_status as_pop_add_household(as_pop *p, unsigned size, uint32_t *hh, uint32_t *first)
{
    if (p->n + size > UINT32_MAX || p->n_hh + 1 > UINT32_MAX) {
        return AS_ERR_NOMEM;
    }
    if (reserve_persons(p, p->n + size) != AS_OK || reserve_households(p, p->n_hh + 1) != AS_OK) {
        return AS_ERR_NOMEM;
    }
    uint32_t h = (uint32_t)p->n_hh++;
    uint32_t f = (uint32_t)p->n;
    p->hh_first[h] = f;
    p->hh_size[h] = (uint8_t)size;
    for (unsigned i = 0; i < size; i++) {
        size_t q = p->n++;
        p->legal[q] = AS_LEGAL_APPLICANT;
        p->place[q] = AS_PLACE_RECEPTION;
        p->case_state[q] = AS_CASE_NONE;
        p->household[q] = h;
    }
    *hh = h;
    *first = f;
    return AS_OK;
}
