/* Observations (model.md §4): the indicator table, the monthly grid, flow counting, stock snapshots
 * at 00:00 of each month's first day, and — in debug_checks builds — a whole-population recount
 * and the accounting identity of design.md at every observation:
 *   present = initial_population + arrivals + transfers_back - left_latvia - returned - dublin_out
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>

#include "as_config.h"
#include "asylsim/calendar.h"

const as_indicator_def as_indicators[AS_N_INDICATORS] = {
#define AS_X_DEF(id, name, kind, rule) {name, kind, rule},
        AS_INDICATORS(AS_X_DEF)
#undef AS_X_DEF
};

as_status as_grid_init(as_grid *g, const as_scenario *s)
{
    int32_t start = as_scn_date(s, AS_S_RUN_START);
    int32_t end = as_scn_date(s, AS_S_RUN_END) + 1; /* exclusive */
    int n = as_months_between(start, end - 1) + 1;
    g->bound = malloc((size_t)(n + 1) * sizeof *g->bound);
    if (!g->bound) {
        g->n_months = 0;
        return AS_ERR_NOMEM;
    }
    g->n_months = n;
    g->bound[0] = start;
    for (int k = 1; k < n; k++) {
        g->bound[k] = as_next_month_start(g->bound[k - 1]);
    }
    g->bound[n] = end;
    return AS_OK;
}

void as_grid_finish(as_grid *g)
{
    free(g->bound);
    g->bound = NULL;
    g->n_months = 0;
}

void as_grid_label(const as_grid *g, int m, char out[8])
{
    int y, mo, d;
    as_civil_from_days(g->bound[m], &y, &mo, &d);
    unsigned uy = (unsigned)y % 10000u, um = (unsigned)mo % 100u;
    out[0] = (char)('0' + uy / 1000);
    out[1] = (char)('0' + uy / 100 % 10);
    out[2] = (char)('0' + uy / 10 % 10);
    out[3] = (char)('0' + uy % 10);
    out[4] = '-';
    out[5] = (char)('0' + um / 10);
    out[6] = (char)('0' + um % 10);
    out[7] = '\0';
}

void as_observe_count(as_model *m, as_indicator_id id, double n)
{
    m->obs->v[(size_t)id * (size_t)m->obs->n_months + (size_t)m->month] += n;
}

static void set_stock(as_model *m, as_indicator_id id, int64_t v)
{
    m->obs->v[(size_t)id * (size_t)m->obs->n_months + (size_t)m->month] = (double)v;
}

void as_observe_stocks(as_model *m)
{
    set_stock(m, AS_IND_PENDING, m->n_pending);
    set_stock(m, AS_IND_PRESENT, m->n_present);
}

#if AS_DEBUG_CHECKS
static void fail(const as_model *m, const char *what, long long got, long long want)
{
    char label[8];
    as_grid_label(&m->grid, m->month, label);
    fprintf(stderr,
            "asylsim: debug check failed: scenario %s, replication %u, observation %s: %s is "
            "%lld, expected %lld\n",
            as_scn_name(m->scn), (unsigned)m->rep, label, what, got, want);
    abort();
}
#endif

void as_observe_check(const as_model *m)
{
#if AS_DEBUG_CHECKS
    const as_pop *p = &m->pop;
    int64_t present = 0, pending = 0, queued = 0, in_service = 0;
    for (size_t i = 0; i < p->n; i++) {
        if (p->legal[i] > AS_LEGAL_NEGATIVE || p->place[i] > AS_PLACE_RETURNED ||
            p->case_state[i] > AS_CASE_DECIDED) {
            fail(m, "a person's state code", (long long)i, -1);
        }
        int is_present = p->place[i] == AS_PLACE_RECEPTION || p->place[i] == AS_PLACE_COMMUNITY;
        present += is_present;
        if (is_present && p->legal[i] == AS_LEGAL_APPLICANT &&
            (p->case_state[i] == AS_CASE_QUEUED || p->case_state[i] == AS_CASE_IN_SERVICE)) {
            pending++;
        }
        queued += p->case_state[i] == AS_CASE_QUEUED;
        in_service += p->case_state[i] == AS_CASE_IN_SERVICE;
    }
    if (present != m->n_present) {
        fail(m, "present (recount vs running count)", present, m->n_present);
    }
    if (pending != m->n_pending) {
        fail(m, "pending (recount vs running count)", pending, m->n_pending);
    }
    if (queued != (int64_t)m->fifo_len) {
        fail(m, "queued persons vs queue length", queued, (long long)m->fifo_len);
    }
    if (in_service != m->busy || m->busy < 0) {
        fail(m, "cases in service vs busy caseworkers", in_service, m->busy);
    }
    int64_t identity = m->initial_population + m->cum_arrivals + m->cum_transfers_back -
                       m->cum_left - m->cum_returned - m->cum_dublin_out;
    if (present != identity) {
        fail(m, "present vs initial + arrivals + transfers back - exits", present, identity);
    }
    size_t members = 0;
    for (size_t h = 0; h < p->n_hh; h++) {
        members += p->hh_size[h];
    }
    if (members != p->n) {
        fail(m, "household members vs persons", (long long)members, (long long)p->n);
    }
#else
    (void)m;
#endif
}
