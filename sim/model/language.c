/* Latvian language (model.md §2.7).
 *
 * A person's CEFR level (0 pre-A1, 1 A1, 2 A2, 3 B1) follows from effective hours: the level
 * rises when the hours reach language.hours_to_a1 / _a2 / _b1 (x language.literacy_factor for a
 * learner who does not read Latin script). Hours accrue only in a course, at the course's rate x
 * language.attention_pre_status before status; without a course they decay by
 * language.decay_hours_month, never below the reached level.
 *
 * The reception-centre course: an adult applicant who takes a bed enrols with
 * language.pmic_enrol_prob and attends language.pmic_course_hours (dated) over 3 months, up to
 * language.pmic_max_level; `pmic_course_starts` counts the starts. After status an adult joins the
 * wait list for a post-status course (language.course_places at once, dated; with
 * language.nva_requires_unemployed only registered unemployed learners), attends
 * language.post_status_hours_week until the next level, then waits
 * language.gap_between_levels_months before the next course, up to B1. A course ends at a job
 * start with language.stop_when_employed, when the learner leaves, or by dropout (hazard
 * language.dropout_month x mentoring.hr_course while mentored). No course starts after
 * language.funded_until. Each course start costs language.cost_per_participant_eur
 * (language_and_intro, the AMIF share by date). */
#include "internal.h"

#include <math.h>
#include <stdlib.h>

#include "asylsim/rng.h"

/* The reception-centre course lasts about the first 3 months (seed l. 859-860). */
#define PMIC_COURSE_DAYS (3 * AS_DAYS_PER_MONTH)
/* The highest level post-status courses lead to (B1, model.md §3 reform 7). */
#define POST_MAX_LEVEL 3

as_status as_language_setup(as_model *m, as_error *err)
{
    if (as_dated_hazard(m, m->d_dropout, 1.0 / AS_DAYS_PER_MONTH, &m->drop_hazard, &m->drop_breaks,
                        &m->drop_rates) != AS_OK) {
        return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    }
    return AS_OK;
}

void as_language_teardown(as_model *m)
{
    free(m->drop_breaks);
    free(m->drop_rates);
    m->drop_breaks = m->drop_rates = NULL;
    as_fifo_free(&m->course_wait);
}

void as_language_start(as_model *m)
{
    m->course_wait.head = m->course_wait.len = 0;
    m->in_post_course = 0;
}

/* Effective hours needed for level k + 1 (k = 0, 1, 2). */
static double threshold(const as_model *m, uint32_t p, unsigned k)
{
    const as_par *par = as_model_par(m, as_engine_now(m->eng));
    double f = (m->pop.flags[p] & AS_PF_LATIN) ? 1.0 : par->literacy_factor;
    return par->hours_to[k] * f;
}

/* Brings the person's hours up to now: decay while idle, never below the reached level. */
static void update_hours(as_model *m, uint32_t p)
{
    double now = as_engine_now(m->eng);
    const as_par *par = as_model_par(m, now);
    if (m->pop.course[p] != AS_COURSE_PMIC && m->pop.course[p] != AS_COURSE_POST) {
        double floor_h = m->pop.level[p] > 0 ? threshold(m, p, m->pop.level[p] - 1u) : 0.0;
        double h = (double)m->pop.hours[p] - par->decay_per_day * (now - m->pop.hours_t[p]);
        m->pop.hours[p] = (float)fmax(floor_h, h);
    }
    m->pop.hours_t[p] = now;
}

/* Hours per day in the person's current course. */
static double course_rate(const as_model *m, uint32_t p)
{
    double now = as_engine_now(m->eng);
    const as_par *par = as_model_par(m, now);
    double day = as_model_day(m, now);
    double att = m->pop.legal[p] == AS_LEGAL_APPLICANT ? par->attention_pre_status : 1.0;
    if (m->pop.course[p] == AS_COURSE_PMIC) {
        return as_dated_at(m->d_pmic_hours, day) / PMIC_COURSE_DAYS * att;
    }
    return as_dated_at(m->d_post_hours, day) / 7.0 * att;
}

static void book_course(as_model *m)
{
    double now = as_engine_now(m->eng), day = as_model_day(m, now);
    double cost = as_dated_at(m->d_course_cost, day);
    double eu = as_dated_at(m->d_eu_language, day);
    as_budget_book(m, AS_BR_LANGUAGE_AND_INTRO_STATE, cost * (1 - eu));
    as_budget_book(m, AS_BR_LANGUAGE_AND_INTRO_AMIF, cost * eu);
}

/* Schedules the course's next step: the next level (post) or the course end (PMIC). */
static as_status schedule_course(as_model *m, uint32_t p)
{
    double now = as_engine_now(m->eng);
    double rate = course_rate(m, p);
    double t = INFINITY;
    unsigned lvl = m->pop.level[p];
    if (m->pop.course[p] == AS_COURSE_PMIC) {
        t = now + PMIC_COURSE_DAYS; /* scheduled once, at the start */
    } else if (lvl < POST_MAX_LEVEL && rate > 0) {
        double need = threshold(m, p, lvl) - (double)m->pop.hours[p];
        t = now + fmax(0.0, need) / rate;
    }
    if (!(t < m->horizon)) {
        as_engine_cancel(m->eng, p, AS_P_COURSE);
        return AS_OK;
    }
    return as_engine_schedule(m->eng, t, p, AS_P_COURSE);
}

static as_status start_dropout(as_model *m, uint32_t p)
{
    double now = as_engine_now(m->eng);
    const as_par *par = as_model_par(m, now);
    double mult = (m->hh.flags[m->pop.household[p]] & AS_HF_MENTORED) ? par->hr_mentor_course : 1;
    as_rng_seek(m->rng, m->seed, m->rep, as_pid(m, p), AS_STREAM_COURSE,
                2u * m->pop.course_spell[p] + 1u);
    as_risk_start(&m->pop.drop_risk[p], as_rng_exponential(m->rng, 1.0), now, mult);
    double t = as_risk_fire_u(&m->pop.drop_risk[p], &m->drop_hazard);
    if (!isfinite(t)) {
        return AS_OK;
    }
    return as_engine_schedule(m->eng, t, p, AS_P_DROPOUT);
}

static int funded(const as_model *m)
{
    const as_par *par = as_model_par(m, as_engine_now(m->eng));
    int32_t today = (int32_t)floor(as_model_day(m, as_engine_now(m->eng)));
    return par->language_funded_until == INT32_MIN || today <= par->language_funded_until;
}

static void set_course(as_model *m, uint32_t p, uint8_t course)
{
    as_person_begin(m, p);
    if (m->pop.course[p] == AS_COURSE_POST) {
        m->in_post_course--;
    }
    m->pop.course[p] = course;
    if (course == AS_COURSE_POST) {
        m->in_post_course++;
    }
    as_person_end(m, p);
}

/* Hours earned in the course so far are added; the level rises if a threshold was passed. */
static void credit_hours(as_model *m, uint32_t p)
{
    double now = as_engine_now(m->eng);
    const as_par *par = as_model_par(m, now);
    double rate = course_rate(m, p);
    double h = (double)m->pop.hours[p] + rate * (now - m->pop.hours_t[p]);
    unsigned cap =
            m->pop.course[p] == AS_COURSE_PMIC ? (unsigned)par->pmic_max_level : POST_MAX_LEVEL;
    unsigned lvl = m->pop.level[p];
    while (lvl < cap && h >= threshold(m, p, lvl) * (1 - 1e-12)) {
        lvl++;
    }
    m->pop.hours[p] = (float)h;
    m->pop.hours_t[p] = now;
    if (lvl != m->pop.level[p]) {
        as_person_begin(m, p);
        m->pop.level[p] = (uint8_t)lvl;
        as_person_end(m, p);
    }
}

/* Ends p's course (hours credited); `rejoin` schedules the gap before the next one. */
static as_status end_course(as_model *m, uint32_t p, int rejoin)
{
    uint8_t c = m->pop.course[p];
    if (c == AS_COURSE_PMIC || c == AS_COURSE_POST) {
        credit_hours(m, p);
    }
    as_engine_cancel(m->eng, p, AS_P_COURSE);
    as_engine_cancel(m->eng, p, AS_P_DROPOUT);
    set_course(m, p, AS_COURSE_NONE);
    m->pop.course_spell[p]++;
    as_status st = AS_OK;
    double now = as_engine_now(m->eng);
    const as_par *par = as_model_par(m, now);
    if (rejoin && m->pop.level[p] < POST_MAX_LEVEL && now + par->gap_days < m->horizon) {
        st = as_engine_schedule(m->eng, now + par->gap_days, p, AS_P_COURSE_GAP);
    }
    if (st == AS_OK && c == AS_COURSE_POST) {
        st = as_language_fill(m);
    }
    return st != AS_OK ? st : as_covariates_changed(m, m->pop.household[p]);
}

static int eligible_post(const as_model *m, uint32_t p)
{
    const as_par *par = as_model_par(m, as_engine_now(m->eng));
    if (!as_is_present(m, p) || !(m->pop.flags[p] & AS_PF_ADULT) || !as_is_protected(m, p) ||
        m->pop.level[p] >= POST_MAX_LEVEL) {
        return 0;
    }
    if (m->pop.job[p] && par->stop_when_employed) {
        return 0;
    }
    return !par->nva_requires_unemployed || ((m->pop.flags[p] & AS_PF_NVA) && !m->pop.job[p]);
}

as_status as_language_fill(as_model *m)
{
    int64_t places = (int64_t)llround(
            as_dated_at(m->d_course_places, as_model_day(m, as_engine_now(m->eng))));
    uint32_t p;
    uint16_t ticket;
    while (m->in_post_course < places && funded(m) &&
           as_fifo_pop(&m->course_wait, m->pop.refs, &p, &ticket)) {
        if (ticket != m->pop.course_spell[p] || m->pop.course[p] != AS_COURSE_WAIT) {
            continue;
        }
        if (!eligible_post(m, p)) {
            set_course(m, p, AS_COURSE_NONE);
            continue;
        }
        update_hours(m, p);
        set_course(m, p, AS_COURSE_POST);
        book_course(m);
        as_status st = schedule_course(m, p);
        if (st == AS_OK) {
            st = start_dropout(m, p);
        }
        if (st != AS_OK) {
            return st;
        }
    }
    return AS_OK;
}

/* Puts p on the post-status wait list if eligible. */
static as_status join(as_model *m, uint32_t p)
{
    if (!eligible_post(m, p) || m->pop.course[p] != AS_COURSE_NONE ||
        as_engine_is_pending(m->eng, p, AS_P_COURSE_GAP)) {
        return AS_OK;
    }
    set_course(m, p, AS_COURSE_WAIT);
    as_status st = as_fifo_push(&m->course_wait, m->pop.refs, p, m->pop.course_spell[p]);
    return st != AS_OK ? st : as_language_fill(m);
}

as_status as_language_on_bed(as_model *m, uint32_t p)
{
    double now = as_engine_now(m->eng);
    const as_par *par = as_model_par(m, now);
    if (!(m->pop.flags[p] & AS_PF_ADULT) || m->pop.course[p] != AS_COURSE_NONE ||
        m->pop.level[p] >= (unsigned)par->pmic_max_level || m->pop.course_spell[p] > 0 ||
        !funded(m)) {
        return AS_OK;
    }
    as_rng_seek(m->rng, m->seed, m->rep, as_pid(m, p), AS_STREAM_COURSE, 0);
    if (!(as_rng_uniform(m->rng) < par->pmic_enrol_prob)) {
        m->pop.course_spell[p]++; /* offered once */
        return AS_OK;
    }
    update_hours(m, p);
    set_course(m, p, AS_COURSE_PMIC);
    as_observe_count(m, AS_IND_PMIC_COURSE_STARTS, 1);
    book_course(m);
    as_status st = schedule_course(m, p);
    return st != AS_OK ? st : start_dropout(m, p);
}

as_status as_language_on_course(as_model *m, const as_event *ev)
{
    uint32_t p = ev->entity;
    if (m->pop.course[p] == AS_COURSE_PMIC) {
        /* The centre's course is over; a status holder goes on to post-status courses. */
        return end_course(m, p, as_is_protected(m, p));
    }
    credit_hours(m, p);
    return end_course(m, p, 1);
}

as_status as_language_on_dropout(as_model *m, const as_event *ev)
{
    return end_course(m, ev->entity, m->pop.course[ev->entity] == AS_COURSE_POST);
}

as_status as_language_on_gap(as_model *m, const as_event *ev)
{
    return join(m, ev->entity);
}

as_status as_language_on_status(as_model *m, uint32_t p)
{
    return join(m, p);
}

as_status as_language_leave(as_model *m, uint32_t p, int leaves_latvia)
{
    uint8_t c = m->pop.course[p];
    if (c == AS_COURSE_PMIC || c == AS_COURSE_POST) {
        return end_course(m, p, !leaves_latvia && c == AS_COURSE_POST);
    }
    if (c == AS_COURSE_WAIT && leaves_latvia) {
        set_course(m, p, AS_COURSE_NONE);
        m->pop.course_spell[p]++;
    }
    if (leaves_latvia) {
        as_engine_cancel(m->eng, p, AS_P_COURSE_GAP);
    }
    return AS_OK;
}

as_status as_language_on_job(as_model *m, uint32_t p)
{
    const as_par *par = as_model_par(m, as_engine_now(m->eng));
    if (!par->stop_when_employed) {
        return AS_OK;
    }
    uint8_t c = m->pop.course[p];
    if (c == AS_COURSE_POST) {
        return end_course(m, p, 0);
    }
    if (c == AS_COURSE_WAIT) {
        set_course(m, p, AS_COURSE_NONE);
        m->pop.course_spell[p]++;
    }
    return AS_OK;
}

as_status as_language_on_job_loss(as_model *m, uint32_t p)
{
    return join(m, p);
}

as_status as_language_on_return(as_model *m, uint32_t p)
{
    return as_is_protected(m, p) ? join(m, p) : AS_OK;
}

as_status as_language_on_staff(as_model *m)
{
    return as_language_fill(m);
}
