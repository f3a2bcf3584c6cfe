/* Observations (model.md §4): the indicator table, the monthly grid, flow counting, stock snapshots
 * at 00:00 of each month's first day, and — in debug_checks builds — a whole-population recount
 * and the accounting identity of design.md at every observation:
 *   present = initial_population + arrivals + transfers_back - left_latvia - returned - dublin_out
 * The recount covers the live slots only (households not yet freed by as_population_sweep); freed
 * slots are checked to have no pending event and no reference left. */
#include "internal.h"

#include <math.h>
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

static void set(as_model *m, as_indicator_id id, int64_t v)
{
    m->obs->v[(size_t)id * (size_t)m->obs->n_months + (size_t)m->month] = (double)v;
}

void as_observe_stocks(as_model *m)
{
    const int64_t *c = m->cnt;
    set(m, AS_IND_PENDING, c[AS_C_PENDING]);
    set(m, AS_IND_IN_APPEAL, c[AS_C_IN_APPEAL]);
    set(m, AS_IND_IN_RECEPTION, c[AS_C_IN_RECEPTION]);
    set(m, AS_IND_APPLICANTS_IN_COMMUNITY, c[AS_C_APPLICANTS_IN_COMMUNITY]);
    set(m, AS_IND_PROTECTED_IN_LATVIA, c[AS_C_PROTECTED]);
    set(m, AS_IND_HOUSED, c[AS_C_HOUSED]);
    set(m, AS_IND_ON_BENEFIT, c[AS_C_ON_BENEFIT]);
    set(m, AS_IND_ON_GMI, c[AS_C_ON_GMI]);
    set(m, AS_IND_LEFT_LATVIA, m->cum_left);
    set(m, AS_IND_RETURNED, m->cum_returned);
    set(m, AS_IND_DUBLIN_OUT, m->cum_dublin_out);
    set(m, AS_IND_PRESENT, c[AS_C_PRESENT]);
    set(m, AS_IND_IN_HOUSING_PROGRAMME, c[AS_C_IN_PROGRAMME]);
    set(m, AS_IND_EMPLOYED, c[AS_C_EMPLOYED]);
    set(m, AS_IND_LANGUAGE_A2_PLUS, c[AS_C_A2_PLUS]);
    set(m, AS_IND_IN_COURSE, c[AS_C_IN_COURSE]);
    set(m, AS_IND_MENTORED, c[AS_C_MENTORED]);
    set(m, AS_IND_MENTORING_CLIENTS_YEAR, m->clients_year);
    set(m, AS_IND_CHILDREN_IN_SCHOOL, c[AS_C_IN_SCHOOL]);
    set(m, AS_IND_ADULTS_PROTECTED, c[AS_C_ADULTS_PROTECTED]);
    set(m, AS_IND_EMPLOYED_PROTECTED, c[AS_C_EMPLOYED_PROTECTED]);
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

static const char *const count_names[AS_C_N] = {
        "present",
        "pending",
        "in_appeal",
        "in_reception",
        "applicants_in_community",
        "protected_in_latvia",
        "housed",
        "on_benefit",
        "on_gmi",
        "municipal beds",
        "allowance recipients",
        "in-kind recipients",
};
#endif

void as_observe_check(const as_model *m)
{
#if AS_DEBUG_CHECKS
    const as_pop *p = &m->pop;
    int64_t c[AS_C_N] = {0};
    int64_t in_service = 0, gmi_households = 0;
    /* Only live slots count: the persons of the live households, walked in creation order. */
    size_t members = 0, live = 0;
    uint32_t last_id = 0;
    for (uint32_t h = m->hh.live_head; h != AS_NO_SLOT; h = m->hh.next[h]) {
        if (m->hh.id[h] == AS_NO_SLOT || (live > 0 && m->hh.id[h] <= last_id) ||
            (m->keep_departed && m->hh.id[h] != h)) {
            fail(m, "live households in creation order (household slot)", (long long)h, -1);
        }
        last_id = m->hh.id[h];
        live++;
        members += m->hh.size[h];
    }
    if (live != m->hh.n_live || members != m->hh.persons_live) {
        fail(m, "live household members vs the live count", (long long)members,
             (long long)m->hh.persons_live);
    }
    long long bad = as_population_check_free(m);
    if (bad >= 0) {
        fail(m, "a free household slot still referred to (slot)", bad, -1);
    }
    for (uint32_t h = m->hh.live_head; h != AS_NO_SLOT; h = m->hh.next[h]) {
        for (size_t i = m->hh.first[h]; i < (size_t)m->hh.first[h] + m->hh.size[h]; i++) {
            if (p->legal[i] > AS_LEGAL_ALTERNATIVE || p->place[i] > AS_PLACE_RETURNED ||
                p->case_state[i] > AS_CASE_CLOSED || p->lodging[i] > AS_LODGING_OWN) {
                fail(m, "a person's state code (person number)", (long long)i, -1);
            }
            int present = as_is_present(m, (uint32_t)i);
            if (p->place[i] == AS_PLACE_COMMUNITY && p->lodging[i] == AS_LODGING_NONE) {
                fail(m, "a person in the community without lodging (person number)", (long long)i,
                     -1);
            }
            if (!present && p->lodging[i] != AS_LODGING_NONE) {
                fail(m, "a person abroad with lodging (person number)", (long long)i, -1);
            }
            as_person_contrib(m, (uint32_t)i, 1, c);
            if (p->mask[i] != as_person_mask(m, (uint32_t)i)) {
                fail(m, "a person's counts mask vs its state (person number)", (long long)i, -1);
            }
            in_service += p->case_state[i] == AS_CASE_IN_SERVICE && present &&
                          !(p->flags[i] & AS_PF_PAUSED);
        }
    }
    for (int k = 0; k < AS_C_N; k++) {
        if (c[k] != m->cnt[k]) {
            fail(m, count_names[k], (long long)m->cnt[k], (long long)c[k]);
        }
        if ((double)c[k] < m->cnt_d[k] || (double)c[k] > m->cnt_d[k]) {
            fail(m, count_names[k], (long long)m->cnt_d[k], (long long)c[k]);
        }
        if (c[k] < 0) {
            fail(m, count_names[k], (long long)c[k], 0);
        }
    }
    if (in_service != m->busy || m->busy < 0 || m->busy > m->caseworkers + in_service) {
        fail(m, "busy caseworkers vs cases in service", m->busy, in_service);
    }
    for (uint32_t h = m->hh.live_head; h != AS_NO_SLOT; h = m->hh.next[h]) {
        if (as_hh_count_present(m, h, 0) != m->hh.n_present[h] ||
            as_hh_count_present(m, h, 1) != m->hh.n_protected[h]) {
            fail(m, "members present (with status) vs the household's numbers (household number)",
                 (long long)h, -1);
        }
        gmi_households += (m->hh.flags[h] & AS_HF_ON_GMI) != 0;
        if ((m->hh.flags[h] & (AS_HF_ON_GMI | AS_HF_ON_BENEFIT)) &&
            as_hh_protected_present(m, (uint32_t)h) == 0) {
            fail(m, "a household paid without a status holder present (household number)",
                 (long long)h, -1);
        }
    }
    if (gmi_households != m->gmi_households) {
        fail(m, "households on GMI", m->gmi_households, gmi_households);
    }
    int64_t identity = m->initial_population + m->cum_arrivals + m->cum_transfers_back -
                       m->cum_left - m->cum_returned - m->cum_dublin_out;
    if (c[AS_C_PRESENT] != identity) {
        fail(m, "present vs initial + arrivals + transfers back - departures - returned - dublin",
             c[AS_C_PRESENT], identity);
    }
    if (c[AS_C_HOUSED] > c[AS_C_PROTECTED]) {
        fail(m, "housed vs protected_in_latvia", c[AS_C_HOUSED], c[AS_C_PROTECTED]);
    }
    int64_t adults = 0, in_post = 0;
    double wages_formal = 0;
    for (uint32_t h = m->hh.live_head; h != AS_NO_SLOT; h = m->hh.next[h]) {
        for (size_t i = m->hh.first[h]; i < (size_t)m->hh.first[h] + m->hh.size[h]; i++) {
            adults += as_is_present(m, (uint32_t)i) && (p->flags[i] & AS_PF_ADULT);
            in_post += as_is_present(m, (uint32_t)i) && p->course[i] == AS_COURSE_POST;
            if (as_is_present(m, (uint32_t)i) && p->job[i] == 1) {
                wages_formal += p->wage[i];
            }
            if (!as_is_present(m, (uint32_t)i) &&
                (p->job[i] || p->course[i] != AS_COURSE_NONE || p->school[i] != AS_SCHOOL_NONE)) {
                fail(m, "a person abroad with a job, course or school (person number)",
                     (long long)i, -1);
            }
        }
    }
    if (c[AS_C_EMPLOYED] > adults) {
        fail(m, "employed vs adults present", c[AS_C_EMPLOYED], adults);
    }
    if (in_post != m->in_post_course) {
        fail(m, "post-status course places taken", m->in_post_course, in_post);
    }
    if (c[AS_C_MENTORED] > m->sw_used + m->mentor_used) {
        fail(m, "mentored vs places taken", c[AS_C_MENTORED], m->sw_used + m->mentor_used);
    }
    if (fabs(wages_formal - m->wages_formal) > 1e-6 * (1 + wages_formal)) {
        fail(m, "formal wages (EUR, rounded)", llround(m->wages_formal), llround(wages_formal));
    }
    if (members > p->n || m->hh.n_live > m->hh.n ||
        (m->keep_departed && (members != p->n || m->persons_created != p->n))) {
        fail(m, "household members vs person slots", (long long)members, (long long)p->n);
    }
#else
    (void)m;
#endif
}
