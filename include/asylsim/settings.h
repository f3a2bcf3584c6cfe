/* The one list of scenario settings (X-macro). Everything about a setting — its name, type, unit,
 * range, default, documentation and whether it is an assumption — is written here once; the
 * schema table (sim/scenario/schema.c), validation, `asylsim check --list` and
 * docs/scenario-reference.md are all generated from it. Names are those of docs/model.md,
 * verbatim; "group.name" is notation, in a file the setting sits inside its group.
 *
 * X(ID, NAME, TYPE, UNIT, MIN, MAX, LEN, CHOICES, DEFAULT, FLAGS, DOC)
 *   TYPE     INT, FLOAT, BOOL, ENUM, DATE, DATED (a number or a dated step function), VECTOR
 *            (floats), PROBS (floats that sum to 1: renormalised within 1e-9, refused beyond)
 *   MIN/MAX  allowed range of numbers (every element of a vector or step function)
 *   LEN      length of a VECTOR or PROBS (0: any length >= 1)
 *   CHOICES  "a|b|c" for ENUM, "" otherwise
 *   DEFAULT  the default, written in libconfig syntax
 *   FLAGS    AS_F_* below, or-ed
 *   DOC      one line; an assumption says so and gives its plausible range
 */
#ifndef ASYLSIM_SETTINGS_H
#define ASYLSIM_SETTINGS_H

/* Setting flags. */
#define AS_F_NONE       0u
#define AS_F_ASSUMPTION 1u  /* not a figure of the report or the official series */
#define AS_F_MIN_EXCL   2u  /* the minimum itself is not allowed */
#define AS_F_WHOLE      4u  /* every number must be a whole number */
#define AS_F_EMPTY_OK   8u  /* DATE: "" is allowed and means "never" */
#define AS_F_RUN        16u /* run.*: taken from the first file of an invocation */

#define AS_SETTINGS(X)                                                                             \
    X(AS_S_RUN_REPS, "run.reps", INT, "replications", 1, 1000000, 0, "", "100", AS_F_RUN,          \
      "replications per scenario (--reps overrides)")                                              \
    X(AS_S_RUN_SEED, "run.seed", INT, "-", 0, 9.2233720368547748e18, 0, "", "1", AS_F_RUN,         \
      "random seed; --seed takes any unsigned 64-bit value")                                       \
    X(AS_S_RUN_START, "run.start", DATE, "date", 0, 0, 0, "", "\"2015-01-01\"", AS_F_RUN,          \
      "first simulated day (00:00)")                                                               \
    X(AS_S_RUN_END, "run.end", DATE, "date", 0, 0, 0, "", "\"2030-12-31\"", AS_F_RUN,              \
      "last simulated day (inclusive)")                                                            \
    X(AS_S_RUN_REFORM_START, "run.reform_start", DATE, "date", 0, 0, 0, "", "\"2026-01-01\"",      \
      AS_F_RUN, "a reform file's overrides take effect from 00:00 of this day")                    \
    X(AS_S_ARRIVALS_APPLICANTS_PER_YEAR, "arrivals.applicants_per_year", DATED, "persons/yr", 0,   \
      1e8, 0, "", "278.0", AS_F_NONE,                                                              \
      "asylum applications per year (seed l. 1606: 3 888 in 2009-2022 / 14); the baseline "        \
      "uses the PMLP yearly series")                                                               \
    X(AS_S_ARRIVALS_PROJECTION, "arrivals.projection", DATED, "persons/yr", 0, 1e8, 0, "",         \
      "1288.0", AS_F_ASSUMPTION,                                                                   \
      "applications per year from arrivals.projection_from on, replacing "                         \
      "applicants_per_year; default the 2025 PMLP level; assumption, range 150-1650")              \
    X(AS_S_ARRIVALS_PROJECTION_FROM, "arrivals.projection_from", DATE, "date", 0, 0, 0, "",        \
      "\"2026-01-01\"", AS_F_NONE,                                                                 \
      "first day of the projection (the day after the last official year)")                        \
    X(AS_S_ARRIVALS_MONTH_WEIGHTS, "arrivals.month_weights", VECTOR, "-", 0, 1e6, 12, "",          \
      "[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]", AS_F_ASSUMPTION,             \
      "relative weight of each calendar month, January first; assumption (no monthly "             \
      "data), uniform by default")                                                                 \
    X(AS_S_ARRIVALS_HOUSEHOLD_SIZE_PROBS, "arrivals.household_size_probs", PROBS, "-", 0, 1, 6,    \
      "", "[0.55, 0.1, 0.1, 0.1, 0.08, 0.07]", AS_F_ASSUMPTION,                                    \
      "P(household of 1, 2, 3, 4, 5, 6 persons; 6 stands for 6+); assumption")                     \
    X(AS_S_ARRIVALS_SURGE_MULTIPLIER, "arrivals.surge_multiplier", DATED, "-", 0, 100, 0, "",      \
      "1.0", AS_F_ASSUMPTION,                                                                      \
      "factor on the application rate (a dated value makes a surge window); test value 2.9 (seed " \
      "l. 1594-1598, border crossings of three states); assumption")                               \
    X(AS_S_ARRIVALS_SHARE_WITH_CHILDREN, "arrivals.share_with_children", FLOAT, "-", 0, 1, 0, "",  \
      "0.41", AS_F_NONE,                                                                           \
      "share of households with children (seed l. 832, interview sample); households of 2+ "       \
      "persons have children with probability min(1, share / P(size >= 2))")                       \
    X(AS_S_ARRIVALS_SHARE_FEMALE_ADULT, "arrivals.share_female_adult", FLOAT, "-", 0, 1, 0, "",    \
      "0.33", AS_F_NONE, "women among adults (seed l. 805, interview sample)")                     \
    X(AS_S_ARRIVALS_SHARE_POST_SOVIET, "arrivals.share_post_soviet", FLOAT, "-", 0, 1, 0, "",      \
      "0.3", AS_F_ASSUMPTION,                                                                      \
      "households of post-Soviet (Russian-speaking) origin among spontaneous arrivals; "           \
      "assumption, to calibrate (0.1-0.5)")                                                        \
    X(AS_S_ARRIVALS_SHARE_BRIDGE_LANGUAGE, "arrivals.share_bridge_language", FLOAT, "-", 0, 1, 0,  \
      "", "0.6", AS_F_ASSUMPTION,                                                                  \
      "adults speaking English or Russian; assumption, to calibrate (0.3-0.9)")                    \
    X(AS_S_ARRIVALS_SHARE_LATIN_LITERATE, "arrivals.share_latin_literate", FLOAT, "-", 0, 1, 0,    \
      "", "0.6", AS_F_ASSUMPTION,                                                                  \
      "adults reading Latin script; assumption, to calibrate (0.3-0.9)")                           \
    X(AS_S_ARRIVALS_RELOCATION_PERSONS, "arrivals.relocation_persons", INT, "persons", 0, 1000000, \
      0, "", "374", AS_F_NONE | AS_F_WHOLE,                                                        \
      "relocated persons, in monthly batches between relocation_from and relocation_to, carved "   \
      "out of applicants_per_year (official_lv.csv: PMLP 374, Interior Ministry 346, 531 "         \
      "pledged)")                                                                                  \
    X(AS_S_ARRIVALS_RELOCATION_FROM, "arrivals.relocation_from", DATE, "date", 0, 0, 0, "",        \
      "\"2016-02-01\"", AS_F_NONE, "day of the first relocation batch (official_lv.csv)")          \
    X(AS_S_ARRIVALS_RELOCATION_TO, "arrivals.relocation_to", DATE, "date", 0, 0, 0, "",            \
      "\"2017-09-15\"", AS_F_NONE,                                                                 \
      "last day of the relocation window (official_lv.csv); a batch arrives on the first of each " \
      "month in the window")                                                                       \
    X(AS_S_ARRIVALS_INITIAL_PENDING, "arrivals.initial_pending", INT, "persons", 0, 10000000, 0,   \
      "", "235", AS_F_ASSUMPTION,                                                                  \
      "applicants pending on run.start, queued for a first decision (UNHCR end-2014); assumption") \
    X(AS_S_ARRIVALS_INITIAL_PROTECTED, "arrivals.initial_protected", INT, "persons", 0, 10000000,  \
      0, "", "168", AS_F_ASSUMPTION,                                                               \
      "status holders in the community on run.start, granted before it with no benefit months "    \
      "left (UNHCR end-2014 refugee stock); assumption")                                           \
    X(AS_S_PROCEDURE_CASEWORKERS, "procedure.caseworkers", DATED, "persons", 0, 100000, 0, "",     \
      "4.0", AS_F_ASSUMPTION | AS_F_WHOLE,                                                         \
      "servers of the first-decision queue; assumption (no staff figure), range 2-20")             \
    X(AS_S_PROCEDURE_SERVICE_DIST, "procedure.service_dist", ENUM, "-", 0, 0, 0,                   \
      "exponential|lognormal|gamma|weibull", "\"exponential\"", AS_F_ASSUMPTION,                   \
      "distribution of the service time per case; assumption")                                     \
    X(AS_S_PROCEDURE_SERVICE_MEDIAN_DAYS, "procedure.service_median_days", FLOAT, "days", 0, 3650, \
      0, "", "4.0", AS_F_ASSUMPTION | AS_F_MIN_EXCL,                                               \
      "median service time per case; assumption, range 1-30")                                      \
    X(AS_S_PROCEDURE_SERVICE_SHAPE, "procedure.service_shape", FLOAT, "-", 0.05, 100, 0, "",       \
      "1.0", AS_F_ASSUMPTION,                                                                      \
      "shape (gamma, weibull) or sdlog (lognormal) of the service time; unused for "               \
      "exponential; at least 0.05 (smaller shapes give service times that overflow); "             \
      "assumption, range 0.5-3")                                                                   \
    X(AS_S_PROCEDURE_P_REFUGEE, "procedure.p_refugee", FLOAT, "-", 0, 1, 0, "", "0.14", AS_F_NONE, \
      "P(refugee status | first decision); official 2015-2019: 152 of 1 087 first "                \
      "decisions; to calibrate")                                                                   \
    X(AS_S_PROCEDURE_P_ALTERNATIVE, "procedure.p_alternative", FLOAT, "-", 0, 1, 0, "", "0.39",    \
      AS_F_NONE,                                                                                   \
      "P(alternative status | first decision); official 2015-2019: 427 of 1 087; to "              \
      "calibrate; p_refugee + p_alternative <= 1, the rest is negative")                           \
    X(AS_S_PROCEDURE_SERVICE_FACTOR_POST_SOVIET, "procedure.service_factor_post_soviet", FLOAT,    \
      "-", 0, 100, 0, "", "2.0", AS_F_ASSUMPTION,                                                  \
      "service time x for post-Soviet origin (seed l. 3703-3704); value assumption, to calibrate " \
      "(1-4)")                                                                                     \
    X(AS_S_PROCEDURE_STATUS_FACTOR_POST_SOVIET, "procedure.status_factor_post_soviet", FLOAT, "-", \
      0, 1, 0, "", "1.0", AS_F_ASSUMPTION,                                                         \
      "factor on both grant probabilities for post-Soviet applicants (their own outcome shares); " \
      "assumption, to calibrate (0.2-1)")                                                          \
    X(AS_S_PROCEDURE_P_REFUGEE_RELOCATED, "procedure.p_refugee_relocated", FLOAT, "-", 0, 1, 0,    \
      "", "0.05", AS_F_NONE,                                                                       \
      "P(refugee | first decision) for relocated persons (official_lv.csv April 2017: 10 "         \
      "refugee, 189 alternative of 199 decided)")                                                  \
    X(AS_S_PROCEDURE_P_ALTERNATIVE_RELOCATED, "procedure.p_alternative_relocated", FLOAT, "-", 0,  \
      1, 0, "", "0.95", AS_F_NONE,                                                                 \
      "P(alternative | first decision) for relocated persons (official_lv.csv April 2017)")        \
    X(AS_S_PROCEDURE_PRIORITY_RELOCATED, "procedure.priority_relocated", BOOL, "bool", 0, 0, 0,    \
      "", "true", AS_F_ASSUMPTION,                                                                 \
      "relocated applicants are decided before spontaneous ones (a priority queue; the EU "        \
      "relocation scheme's cases were decided within months, official_lv.csv); assumption")        \
    X(AS_S_PROCEDURE_P_APPEAL, "procedure.p_appeal", FLOAT, "-", 0, 1, 0, "", "0.5",               \
      AS_F_ASSUMPTION, "P(appeal | negative first decision); assumption, to calibrate (0.2-0.8)")  \
    X(AS_S_PROCEDURE_APPEAL_MEDIAN_DAYS, "procedure.appeal_median_days", FLOAT, "days", 0, 3650,   \
      0, "", "180.0", AS_F_ASSUMPTION | AS_F_MIN_EXCL,                                             \
      "median appeal duration (exponential); assumption, to calibrate (60-365)")                   \
    X(AS_S_PROCEDURE_P_APPEAL_GRANTED, "procedure.p_appeal_granted", FLOAT, "-", 0, 1, 0, "",      \
      "0.1", AS_F_ASSUMPTION,                                                                      \
      "P(status on appeal), refugee or alternative in the ratio of p_refugee to p_alternative; "   \
      "assumption, to calibrate (0-0.3)")                                                          \
    X(AS_S_PROCEDURE_REMOVAL_MEDIAN_DAYS, "procedure.removal_median_days", FLOAT, "days", 0, 3650, \
      0, "", "60.0", AS_F_ASSUMPTION | AS_F_MIN_EXCL,                                              \
      "median time from a final negative (or a Dublin decision) to return or transfer "            \
      "(exponential), competing with departure; assumption, to calibrate (30-365)")                \
    X(AS_S_PROCEDURE_P_DUBLIN_OUT, "procedure.p_dublin_out", FLOAT, "-", 0, 1, 0, "", "0.0",       \
      AS_F_ASSUMPTION,                                                                             \
      "share of applicants transferred to another state under Dublin instead of a decision; "      \
      "assumption, to calibrate (0-0.2)")                                                          \
    X(AS_S_RECEPTION_CAPACITY_PLACES, "reception.capacity_places", DATED, "places", 0, 10000000,   \
      0, "", "300.0", AS_F_ASSUMPTION | AS_F_WHOLE,                                                \
      "reception centre beds; assumption (no report figure); the baseline uses the official "      \
      "capacity series")                                                                           \
    X(AS_S_RECEPTION_OVERFLOW, "reception.overflow", ENUM, "-", 0, 0, 0, "wait_list|municipal",    \
      "\"wait_list\"", AS_F_ASSUMPTION,                                                            \
      "when the centre is full: wait in the community for the next free bed (allowance paid), or " \
      "municipal accommodation at the bed-day cost paid by the municipality; assumption")          \
    X(AS_S_RECEPTION_BED_DAY_COST_EUR, "reception.bed_day_cost_eur", DATED, "EUR", 0, 10000, 0,    \
      "", "25.0", AS_F_ASSUMPTION, "cost per occupied bed-day; assumption, to calibrate (15-40)")  \
    X(AS_S_RECEPTION_STATUS_HOLDERS_MAY_STAY, "reception.status_holders_may_stay", BOOL, "bool",   \
      0, 0, 0, "", "true", AS_F_NONE,                                                              \
      "status holders stay in the centre while they search for housing (seed l. 4048-4049)")       \
    X(AS_S_RECEPTION_MAX_STAY_AFTER_STATUS_DAYS, "reception.max_stay_after_status_days", FLOAT,    \
      "days", 0, 36500, 0, "", "0.0", AS_F_ASSUMPTION,                                             \
      "longest stay after status, 0 = no limit; assumption")                                       \
    X(AS_S_ALLOWANCE_DAILY_EUR, "allowance.daily_eur", DATED, "EUR/day", 0, 1000, 0, "", "3.0",    \
      AS_F_NONE,                                                                                   \
      "cash per applicant-day in the centre or waiting for a bed (seed l. 3146, 7024-7025); the "  \
      "baseline: 2.15 to 19 Jul 2016, 3.00 from 20 Jul 2016")                                      \
    X(AS_S_ALLOWANCE_CLOTHING_CARD_EUR, "allowance.clothing_card_eur", DATED, "EUR", 0, 100000, 0, \
      "", "100.0", AS_F_ASSUMPTION,                                                                \
      "clothing card once on arrival (seed l. 2165); frequency assumption")                        \
    X(AS_S_ALLOWANCE_IN_KIND_EUR_DAY, "allowance.in_kind_eur_day", DATED, "EUR/day", 0, 1000, 0,   \
      "", "3.0", AS_F_ASSUMPTION,                                                                  \
      "food, hygiene and transport in kind per applicant-day in the centre; assumption, to "       \
      "calibrate (1-6)")                                                                           \
    X(AS_S_ALLOWANCE_INDEXATION, "allowance.indexation", ENUM, "-", 0, 0, 0, "none|cpi",           \
      "\"none\"", AS_F_NONE,                                                                       \
      "yearly indexation of the allowance by budget.cpi_growth (never indexed, seed l. 3147)")     \
    X(AS_S_BENEFITS_ONE_OFF_ADULT_EUR, "benefits.one_off_adult_eur", DATED, "EUR", 0, 100000, 0,   \
      "", "278.0", AS_F_NONE,                                                                      \
      "one-off support for the household's first adult (seed l. 3338-3340); the baseline: 0 "      \
      "before 1 Jun 2017")                                                                         \
    X(AS_S_BENEFITS_ONE_OFF_NEXT_EUR, "benefits.one_off_next_eur", DATED, "EUR", 0, 100000, 0, "", \
      "194.0", AS_F_NONE,                                                                          \
      "one-off support for each further member (seed l. 3338-3340); the baseline: 0 before 1 Jun " \
      "2017")                                                                                      \
    X(AS_S_BENEFITS_ONE_OFF_RULE, "benefits.one_off_rule", ENUM, "-", 0, 0, 0, "fixed|move_in",    \
      "\"fixed\"", AS_F_NONE,                                                                      \
      "fixed amounts, or move_in: deposit + first rent + start-up goods (seed l. 125-127)")        \
    X(AS_S_BENEFITS_START_UP_GOODS_EUR, "benefits.start_up_goods_eur", DATED, "EUR", 0, 100000, 0, \
      "", "300.0", AS_F_ASSUMPTION,                                                                \
      "start-up goods under one_off_rule = move_in; assumption, to calibrate")                     \
    X(AS_S_BENEFITS_PMIC_DEDUCTION_EUR_DAY, "benefits.pmic_deduction_eur_day", DATED, "EUR/day",   \
      0, 1000, 0, "", "3.0", AS_F_NONE,                                                            \
      "deducted from the one-off per day a status holder stayed in the centre before the account " \
      "opened (seed l. 3066-3067)")                                                                \
    X(AS_S_BENEFITS_BANK_ACCOUNT_DELAY_DAYS, "benefits.bank_account_delay_days", FLOAT, "days", 0, \
      3650, 0, "", "21.0", AS_F_ASSUMPTION | AS_F_MIN_EXCL,                                        \
      "status to bank account (the one-off is paid then); assumption, to calibrate (7-60)")        \
    X(AS_S_BENEFITS_MONTHLY_ADULT_EUR, "benefits.monthly_adult_eur", DATED, "EUR/month", 0,        \
      100000, 0, "", "139.0", AS_F_NONE,                                                           \
      "monthly benefit, first adult (seed l. 3340); the baseline: 256 to 31 Dec 2015")             \
    X(AS_S_BENEFITS_MONTHLY_NEXT_EUR, "benefits.monthly_next_eur", DATED, "EUR/month", 0, 100000,  \
      0, "", "97.0", AS_F_NONE,                                                                    \
      "monthly benefit, each further member (seed l. 3341; 94 at seed l. 7009); the baseline: 76 " \
      "to 31 Dec 2015 (assumption)")                                                               \
    X(AS_S_BENEFITS_MONTHS_REFUGEE, "benefits.months_refugee", DATED, "months", 0, 600, 0, "",     \
      "10.0", AS_F_WHOLE,                                                                          \
      "paid months for a refugee household, by entitlement date (seed l. 3347-3348); the "         \
      "baseline: 12, 12, 10")                                                                      \
    X(AS_S_BENEFITS_MONTHS_ALTERNATIVE, "benefits.months_alternative", DATED, "months", 0, 600, 0, \
      "", "7.0", AS_F_WHOLE,                                                                       \
      "paid months for an alternative-status household (seed l. 3347-3348); the baseline: 12, 9, " \
      "7")                                                                                         \
    X(AS_S_BENEFITS_WINDOW_MONTHS, "benefits.window_months", FLOAT, "months", 0, 600, 0, "",       \
      "12.0", AS_F_WHOLE,                                                                          \
      "months from entitlement within which the paid months fall (seed l. 3347-3348)")             \
    X(AS_S_BENEFITS_MEANS_LIMIT_EUR_PERSON, "benefits.means_limit_eur_person", DATED, "EUR", 0,    \
      100000, 0, "", "500.0", AS_F_ASSUMPTION,                                                     \
      "household income per member above which no benefit is paid (rule seed l. 3359; value "      \
      "assumption, to calibrate)")                                                                 \
    X(AS_S_BENEFITS_REQUIRE_NVA, "benefits.require_nva", BOOL, "bool", 0, 0, 0, "", "true",        \
      AS_F_NONE,                                                                                   \
      "the benefit requires registration with the employment agency NVA (seed l. 3207-3208)")      \
    X(AS_S_BENEFITS_JOB_STOP_RULE, "benefits.job_stop_rule", BOOL, "bool", 0, 0, 0, "", "true",    \
      AS_F_NONE, "the benefit stops after a formal job starts (seed l. 3213-3215)")                \
    X(AS_S_BENEFITS_STOP_AFTER_JOB_MONTHS, "benefits.stop_after_job_months", FLOAT, "months", 0,   \
      600, 0, "", "3.0", AS_F_NONE, "delay between a job start and the stop (seed l. 3268-3270)")  \
    X(AS_S_BENEFITS_KEEP_DURING_TRAINING, "benefits.keep_during_training", BOOL, "bool", 0, 0, 0,  \
      "", "false", AS_F_NONE,                                                                      \
      "education or retraining does not stop the benefit (reform, seed l. 6109)")                  \
    X(AS_S_BENEFITS_RESUME_AFTER_JOB_LOSS, "benefits.resume_after_job_loss", BOOL, "bool", 0, 0,   \
      0, "", "false", AS_F_NONE,                                                                   \
      "the benefit resumes if the job is lost within the window (seed l. 3214-3215)")              \
    X(AS_S_BENEFITS_INDEXATION, "benefits.indexation", ENUM, "-", 0, 0, 0, "none|cpi|min_wage",    \
      "\"none\"", AS_F_NONE,                                                                       \
      "yearly indexation of the benefit amounts (unchanged since 2015, seed l. 3350-3351)")        \
    X(AS_S_BENEFITS_GMI_FIRST_EUR, "benefits.gmi_first_eur", DATED, "EUR/month", 0, 100000, 0, "", \
      "109.0", AS_F_NONE,                                                                          \
      "guaranteed minimum income, first person (seed l. 3431-3432); the baseline: the official "   \
      "series")                                                                                    \
    X(AS_S_BENEFITS_GMI_NEXT_EUR, "benefits.gmi_next_eur", DATED, "EUR/month", 0, 100000, 0, "",   \
      "76.0", AS_F_NONE,                                                                           \
      "guaranteed minimum income, each further person (seed l. 3431-3432); the baseline: the "     \
      "official series")                                                                           \
    X(AS_S_BENEFITS_GMI_TAKEUP, "benefits.gmi_takeup", FLOAT, "-", 0, 1, 0, "", "0.8",             \
      AS_F_ASSUMPTION,                                                                             \
      "P(an eligible household claims GMI); 66% receive assistance and 17% want it but do not "    \
      "(seed l. 3004-3005), 66/83; assumption, to calibrate (0.6-0.95)")                           \
    X(AS_S_BENEFITS_MUNICIPAL_EUR_PERSON_YEAR, "benefits.municipal_eur_person_year", DATED,        \
      "EUR/yr", 0, 1000000, 0, "", "900.0", AS_F_NONE,                                             \
      "reimbursed municipal assistance other than GMI per person on GMI (seed l. 3513-3515)")      \
    X(AS_S_MENTORING_SOCIAL_WORKERS, "mentoring.social_workers", DATED, "persons", 0, 100000, 0,   \
      "", "5.0", AS_F_NONE | AS_F_WHOLE,                                                           \
      "social workers (seed l. 2352); the baseline: from the ESF project start, 4 Jan 2016")       \
    X(AS_S_MENTORING_MENTORS, "mentoring.mentors", DATED, "persons", 0, 100000, 0, "", "30.0",     \
      AS_F_NONE | AS_F_WHOLE, "mentors (seed l. 2352); the baseline: from 4 Jan 2016")             \
    X(AS_S_MENTORING_MAX_CLIENTS_PER_SOCIAL_WORKER, "mentoring.max_clients_per_social_worker",     \
      DATED, "clients", 0, 10000, 0, "", "20.0", AS_F_ASSUMPTION | AS_F_WHOLE,                     \
      "social-worker caseload cap in persons; assumption, to calibrate (10-40)")                   \
    X(AS_S_MENTORING_MAX_CLIENTS_PER_MENTOR, "mentoring.max_clients_per_mentor", DATED, "clients", \
      0, 10000, 0, "", "15.0", AS_F_ASSUMPTION | AS_F_WHOLE,                                       \
      "mentor caseload cap in persons; assumption, to calibrate (10-25)")                          \
    X(AS_S_MENTORING_FUNDED_UNTIL, "mentoring.funded_until", DATE, "date", 0, 0, 0, "", "\"\"",    \
      AS_F_EMPTY_OK | AS_F_ASSUMPTION,                                                             \
      "the service stops after this date; empty = never (baseline assumption: state-funded after " \
      "the ESF project)")                                                                          \
    X(AS_S_MENTORING_MONTHS_PROCEDURE, "mentoring.months_procedure", FLOAT, "months", 0, 600, 0,   \
      "", "3.0", AS_F_NONE, "social work during the procedure, from arrival (seed l. 873-875)")    \
    X(AS_S_MENTORING_MODE, "mentoring.mode", ENUM, "-", 0, 0, 0, "fixed|until_self_sufficient",    \
      "\"fixed\"", AS_F_NONE,                                                                      \
      "after status: a fixed length, or until housed, earning at least the benefit and at A2, up " \
      "to the cap (seed l. 2448)")                                                                 \
    X(AS_S_MENTORING_MONTHS_AFTER_STATUS, "mentoring.months_after_status", FLOAT, "months", 0,     \
      600, 0, "", "12.0", AS_F_NONE, "mentoring length or cap after status (seed l. 874, 2353)")   \
    X(AS_S_MENTORING_UPTAKE, "mentoring.uptake", FLOAT, "-", 0, 1, 0, "", "0.85", AS_F_ASSUMPTION, \
      "P(a household accepts mentoring); assumption, to calibrate (0.6-1)")                        \
    X(AS_S_MENTORING_WORKER_COST_EUR_MONTH, "mentoring.worker_cost_eur_month", DATED, "EUR", 0,    \
      1000000, 0, "", "1400.0", AS_F_NONE,                                                         \
      "cost per social worker and month, excluding VAT (seed l. 2467-2468)")                       \
    X(AS_S_MENTORING_MENTOR_COST_EUR_MONTH, "mentoring.mentor_cost_eur_month", DATED, "EUR", 0,    \
      1000000, 0, "", "1000.0", AS_F_NONE,                                                         \
      "cost per mentor and month, excluding VAT (seed l. 2467-2468)")                              \
    X(AS_S_MENTORING_PAY_MULTIPLIER, "mentoring.pay_multiplier", FLOAT, "-", 0, 10, 0, "", "1.0",  \
      AS_F_ASSUMPTION,                                                                             \
      "competitive pay: staff cost x (seed l. 6047-6049); value assumption, to calibrate (1-1.5)") \
    X(AS_S_MENTORING_HR_JOB, "mentoring.hr_job", FLOAT, "-", 0, 100, 0, "", "1.5",                 \
      AS_F_ASSUMPTION, "job-finding hazard x while mentored; assumption, to calibrate (1-2)")      \
    X(AS_S_MENTORING_HR_HOUSING, "mentoring.hr_housing", FLOAT, "-", 0, 100, 0, "", "1.3",         \
      AS_F_ASSUMPTION, "housing-search hazard x while mentored; assumption, to calibrate (1-2)")   \
    X(AS_S_MENTORING_HR_LEAVE, "mentoring.hr_leave", FLOAT, "-", 0, 100, 0, "", "0.85",            \
      AS_F_ASSUMPTION, "departure hazard x while mentored; assumption, to calibrate (0.6-1)")      \
    X(AS_S_MENTORING_HR_COURSE, "mentoring.hr_course", FLOAT, "-", 0, 100, 0, "", "0.8",           \
      AS_F_ASSUMPTION, "course dropout hazard x while mentored; assumption, to calibrate (0.5-1)") \
    X(AS_S_LANGUAGE_PMIC_COURSE_HOURS, "language.pmic_course_hours", DATED, "hours", 0, 10000, 0,  \
      "", "120.0", AS_F_NONE,                                                                      \
      "hours of the reception-centre course (seed l. 3565-3566); the baseline: 80 in 2018-2020 "   \
      "(seed l. 2967-2968)")                                                                       \
    X(AS_S_LANGUAGE_PMIC_MAX_LEVEL, "language.pmic_max_level", ENUM, "CEFR", 0, 0, 0, "A1|A2|B1",  \
      "\"A1\"", AS_F_NONE,                                                                         \
      "highest level the reception-centre course leads to (seed l. 3713-3714)")                    \
    X(AS_S_LANGUAGE_PMIC_ENROL_PROB, "language.pmic_enrol_prob", FLOAT, "-", 0, 1, 0, "", "0.6",   \
      AS_F_ASSUMPTION,                                                                             \
      "P(an applicant in the centre enrols in the course within 3 months); assumption, to "        \
      "calibrate")                                                                                 \
    X(AS_S_LANGUAGE_ATTENTION_PRE_STATUS, "language.attention_pre_status", FLOAT, "-", 0, 1, 0,    \
      "", "0.75", AS_F_ASSUMPTION,                                                                 \
      "effective-hour factor before status (seed l. 3659-3667); value assumption, to calibrate "   \
      "(0.5-1)")                                                                                   \
    X(AS_S_LANGUAGE_HOURS_TO_A1, "language.hours_to_a1", FLOAT, "hours", 0, 100000, 0, "", "80.0", \
      AS_F_ASSUMPTION, "cumulative effective hours to A1; assumption, to calibrate (+-30%)")       \
    X(AS_S_LANGUAGE_HOURS_TO_A2, "language.hours_to_a2", FLOAT, "hours", 0, 100000, 0, "",         \
      "350.0", AS_F_ASSUMPTION,                                                                    \
      "cumulative effective hours to A2; assumption, to calibrate (+-30%)")                        \
    X(AS_S_LANGUAGE_HOURS_TO_B1, "language.hours_to_b1", FLOAT, "hours", 0, 100000, 0, "",         \
      "650.0", AS_F_ASSUMPTION,                                                                    \
      "cumulative effective hours to B1; assumption, to calibrate (+-30%)")                        \
    X(AS_S_LANGUAGE_LITERACY_FACTOR, "language.literacy_factor", FLOAT, "-", 1, 100, 0, "", "1.8", \
      AS_F_ASSUMPTION,                                                                             \
      "hours needed x for a learner who does not read Latin script; assumption, to calibrate")     \
    X(AS_S_LANGUAGE_POST_STATUS_HOURS_WEEK, "language.post_status_hours_week", DATED, "h/week", 0, \
      168, 0, "", "8.0", AS_F_ASSUMPTION,                                                          \
      "course intensity after status; assumption, to calibrate")                                   \
    X(AS_S_LANGUAGE_COURSE_PLACES, "language.course_places", DATED, "places", 0, 10000000, 0, "",  \
      "30.0", AS_F_ASSUMPTION | AS_F_WHOLE,                                                        \
      "places in post-status courses at once; assumption, to calibrate (10-100)")                  \
    X(AS_S_LANGUAGE_FUNDED_UNTIL, "language.funded_until", DATE, "date", 0, 0, 0, "", "\"\"",      \
      AS_F_EMPTY_OK | AS_F_ASSUMPTION,                                                             \
      "no new courses start after this date; empty = never (baseline assumption: state-funded "    \
      "after the projects)")                                                                       \
    X(AS_S_LANGUAGE_NVA_REQUIRES_UNEMPLOYED, "language.nva_requires_unemployed", BOOL, "bool", 0,  \
      0, 0, "", "true", AS_F_NONE,                                                                 \
      "post-status courses (NVA) only for registered unemployed learners (seed l. 3540-3541)")     \
    X(AS_S_LANGUAGE_STOP_WHEN_EMPLOYED, "language.stop_when_employed", BOOL, "bool", 0, 0, 0, "",  \
      "true", AS_F_NONE, "a course ends when a job starts (seed l. 3955-3957)")                    \
    X(AS_S_LANGUAGE_GAP_BETWEEN_LEVELS_MONTHS, "language.gap_between_levels_months", FLOAT,        \
      "months", 0, 600, 0, "", "6.0", AS_F_ASSUMPTION,                                             \
      "wait between a level and the next course; assumption, to calibrate")                        \
    X(AS_S_LANGUAGE_DECAY_HOURS_MONTH, "language.decay_hours_month", FLOAT, "h/month", 0, 1000, 0, \
      "", "4.0", AS_F_ASSUMPTION,                                                                  \
      "effective hours forgotten per month without a course (a reached level is kept); "           \
      "assumption, to calibrate")                                                                  \
    X(AS_S_LANGUAGE_DROPOUT_MONTH, "language.dropout_month", DATED, "1/month", 0, 30, 0, "",       \
      "0.1", AS_F_ASSUMPTION, "course dropout hazard; assumption, to calibrate")                   \
    X(AS_S_LANGUAGE_COST_PER_PARTICIPANT_EUR, "language.cost_per_participant_eur", DATED, "EUR",   \
      0, 1000000, 0, "", "401.0", AS_F_NONE,                                                       \
      "cost per course participant (seed l. 4003: 62 229.25 / 155)")                               \
    X(AS_S_HOUSING_RENT_BASE_EUR, "housing.rent_base_eur", DATED, "EUR/month", 0, 100000, 0, "",   \
      "500.0", AS_F_NONE,                                                                          \
      "rent and guarantee together for 1-2 persons (seed l. 4373); later years an assumption")     \
    X(AS_S_HOUSING_RENT_EXTRA_PERSON_EUR, "housing.rent_extra_person_eur", DATED, "EUR/month", 0,  \
      100000, 0, "", "100.0", AS_F_NONE, "rent for each person above 2 (seed l. 4374-4375)")       \
    X(AS_S_HOUSING_DEPOSIT_MONTHS, "housing.deposit_months", FLOAT, "months", 0, 24, 0, "", "0.0", \
      AS_F_ASSUMPTION,                                                                             \
      "deposit on top of rent_base_eur, in months of rent (the guarantee is already in "           \
      "rent_base_eur); assumption")                                                                \
    X(AS_S_HOUSING_CASH_GATE, "housing.cash_gate", BOOL, "bool", 0, 0, 0, "", "true", AS_F_NONE,   \
      "a private-market search is blocked while the household's cash is below what a landlord "    \
      "asks up front, the rent of its size x (1 + deposit_months) (model.md 2.8); not with the "   \
      "state guarantee")                                                                           \
    X(AS_S_HOUSING_SAVINGS_SHARE, "housing.savings_share", FLOAT, "-", 0, 1, 0, "", "0.5",         \
      AS_F_ASSUMPTION,                                                                             \
      "share of its monthly income (benefit, GMI, wages) a blocked household puts aside towards "  \
      "the up-front rent, at each month end (bed and food are provided in the centre); "           \
      "assumption, to calibrate (0.2-0.8)")                                                        \
    X(AS_S_HOUSING_SEARCH_MEDIAN_MONTHS, "housing.search_median_months", FLOAT, "months", 0, 1e6,  \
      0, "", "4.0", AS_F_ASSUMPTION | AS_F_MIN_EXCL,                                               \
      "median time from status to a tenancy (Weibull, shape 0.9); assumption, to calibrate (2-9)") \
    X(AS_S_HOUSING_UTILITIES_EUR_PERSON, "housing.utilities_eur_person", DATED, "EUR/month", 0,    \
      100000, 0, "", "40.0", AS_F_ASSUMPTION,                                                      \
      "utilities per person; assumption, to calibrate (25-60)")                                    \
    X(AS_S_HOUSING_AFFORDABILITY_LIMIT, "housing.affordability_limit", FLOAT, "-", 0, 1, 0, "",    \
      "0.3", AS_F_NONE,                                                                            \
      "housing cost share of household income above which housing is unaffordable (seed l. 4028)") \
    X(AS_S_HOUSING_HR_CHILDREN, "housing.hr_children", FLOAT, "-", 0, 100, 0, "", "0.6",           \
      AS_F_ASSUMPTION, "search hazard x for households with children; assumption, to calibrate")   \
    X(AS_S_HOUSING_HR_EXTRA_MEMBER, "housing.hr_extra_member", FLOAT, "-", 0, 100, 0, "", "0.9",   \
      AS_F_ASSUMPTION, "search hazard x per member above 2; assumption, to calibrate")             \
    X(AS_S_HOUSING_HR_POST_SOVIET, "housing.hr_post_soviet", FLOAT, "-", 0, 100, 0, "", "1.5",     \
      AS_F_ASSUMPTION, "search hazard x for Russian speakers; assumption, to calibrate")           \
    X(AS_S_HOUSING_HR_UNAFFORDABLE, "housing.hr_unaffordable", FLOAT, "-", 0, 100, 0, "", "0.3",   \
      AS_F_ASSUMPTION,                                                                             \
      "search hazard x when the cost share is above the limit; assumption, to calibrate")          \
    X(AS_S_HOUSING_HR_PER_LEVEL, "housing.hr_per_level", FLOAT, "-", 0, 100, 0, "", "1.2",         \
      AS_F_ASSUMPTION,                                                                             \
      "search hazard x per CEFR step of the best adult; assumption, to calibrate (1-1.5)")         \
    X(AS_S_HOUSING_TENANCY_LOSS_MONTH, "housing.tenancy_loss_month", DATED, "1/month", 0, 30, 0,   \
      "", "0.01", AS_F_ASSUMPTION,                                                                 \
      "tenancy loss hazard (to a crisis centre, then a new search); assumption, to calibrate")     \
    X(AS_S_HOUSING_HR_ARREARS, "housing.hr_arrears", FLOAT, "-", 0, 1000, 0, "", "5.0",            \
      AS_F_ASSUMPTION,                                                                             \
      "tenancy loss hazard x when the housing is unaffordable (arrears); assumption, to "          \
      "calibrate")                                                                                 \
    X(AS_S_HOUSING_GUARANTEE, "housing.guarantee", BOOL, "bool", 0, 0, 0, "", "false", AS_F_NONE,  \
      "state rent guarantee / deposit subsidy: the unaffordability penalty of the search does "    \
      "not apply (seed l. 6128)")                                                                  \
    X(AS_S_HOUSING_SUBSIDY_EUR_PERSON, "housing.subsidy_eur_person", DATED, "EUR/month", 0,        \
      100000, 0, "", "0.0", AS_F_NONE,                                                             \
      "housing benefit per person in a private tenancy, tapered by subsidy_taper (reform 250, "    \
      "seed l. 4213)")                                                                             \
    X(AS_S_HOUSING_SUBSIDY_TAPER, "housing.subsidy_taper", VECTOR, "-", 0, 1, 3, "",               \
      "[1.0, 0.7, 0.5]", AS_F_ASSUMPTION,                                                          \
      "share of the subsidy paid in tenancy years 1-3, none after (seed l. 6129-6130; values "     \
      "assumption)")                                                                               \
    X(AS_S_HOUSING_UTILITIES_COVER, "housing.utilities_cover", VECTOR, "-", 0, 1, 3, "",           \
      "[0.0, 0.0, 0.0]", AS_F_NONE,                                                                \
      "share of utilities paid by the state in tenancy years 1-3 (reform [1.0, 0.7, 0.5], seed "   \
      "l. 4214-4215)")                                                                             \
    X(AS_S_HOUSING_HOST_PLACES, "housing.host_places", DATED, "places", 0, 10000000, 0, "", "0.0", \
      AS_F_NONE | AS_F_WHOLE,                                                                      \
      "host-family places for single adults with status (seed l. 6117-6122)")                      \
    X(AS_S_HOUSING_HOST_MONTHS, "housing.host_months", FLOAT, "months", 0, 600, 0, "", "12.0",     \
      AS_F_NONE, "length of a host-family placement (seed l. 6714-6716)")                          \
    X(AS_S_HOUSING_HOST_PAY_EUR_MONTH, "housing.host_pay_eur_month", DATED, "EUR/month", 0,        \
      100000, 0, "", "150.0", AS_F_ASSUMPTION,                                                     \
      "compensation to the host; assumption, to calibrate (100-300)")                              \
    X(AS_S_HOUSING_HALFWAY_UNITS, "housing.halfway_units", DATED, "units", 0, 10000000, 0, "",     \
      "0.0", AS_F_NONE | AS_F_WHOLE,                                                               \
      "halfway / social flats, one household each (seed l. 6135-6145)")                            \
    X(AS_S_HOUSING_HALFWAY_COVER, "housing.halfway_cover", VECTOR, "-", 0, 1, 3, "",               \
      "[1.0, 0.5, 0.25]", AS_F_ASSUMPTION,                                                         \
      "share of the flat's cost paid by the state in years 1-3, the household moves on after "     \
      "year 3 (year 1 seed l. 6137-6138; taper assumption)")                                       \
    X(AS_S_HOUSING_INSURANCE_EUR_YEAR, "housing.insurance_eur_year", DATED, "EUR/yr", 0, 100000,   \
      0, "", "0.0", AS_F_ASSUMPTION,                                                               \
      "state liability insurance per household in a guaranteed tenancy or a host family (reform "  \
      "60); assumption")                                                                           \
    X(AS_S_EMPLOYMENT_WORK_PERMIT_DAYS, "employment.work_permit_days", DATED, "days", 0, 36500, 0, \
      "", "90.0", AS_F_NONE,                                                                       \
      "an applicant may work once this many days pass without a decision (seed l. 4393-4395); "    \
      "the baseline: 180 to 31 Jan 2021, 90 from 1 Feb 2021")                                      \
    X(AS_S_EMPLOYMENT_NVA_REGISTER_PROB, "employment.nva_register_prob", FLOAT, "-", 0, 1, 0, "",  \
      "0.8", AS_F_ASSUMPTION,                                                                      \
      "P(an adult status holder registers with NVA); assumption, to calibrate")                    \
    X(AS_S_EMPLOYMENT_HR_CASH_ONLY, "employment.hr_cash_only", FLOAT, "-", 0, 100, 0, "", "0.5",   \
      AS_F_ASSUMPTION,                                                                             \
      "job-finding hazard x before a bank account (applicants, and status holders until the "      \
      "account opens); assumption, to calibrate")                                                  \
    X(AS_S_EMPLOYMENT_FIND_MONTH, "employment.find_month", DATED, "1/month", 0, 30, 0, "", "0.06", \
      AS_F_ASSUMPTION,                                                                             \
      "baseline job-finding hazard of an adult allowed to work; assumption, to calibrate "         \
      "(0.03-0.12)")                                                                               \
    X(AS_S_EMPLOYMENT_HR_NVA, "employment.hr_nva", FLOAT, "-", 0, 100, 0, "", "1.2",               \
      AS_F_ASSUMPTION,                                                                             \
      "job-finding hazard x when registered with NVA; assumption, to calibrate (1-2)")             \
    X(AS_S_EMPLOYMENT_HR_PER_LEVEL, "employment.hr_per_level", FLOAT, "-", 0, 100, 0, "", "1.3",   \
      AS_F_ASSUMPTION, "job-finding hazard x per CEFR step; assumption, to calibrate")             \
    X(AS_S_EMPLOYMENT_HR_BRIDGE_LANGUAGE, "employment.hr_bridge_language", FLOAT, "-", 0, 100, 0,  \
      "", "1.5", AS_F_ASSUMPTION,                                                                  \
      "job-finding hazard x for English or Russian speakers; assumption, to calibrate")            \
    X(AS_S_EMPLOYMENT_HR_MOTHER_YOUNG_CHILD, "employment.hr_mother_young_child", FLOAT, "-", 0,    \
      100, 0, "", "0.4", AS_F_ASSUMPTION,                                                          \
      "job-finding hazard x for a mother of a child under 7; assumption, to calibrate")            \
    X(AS_S_EMPLOYMENT_LOSS_MONTH, "employment.loss_month", DATED, "1/month", 0, 30, 0, "", "0.06", \
      AS_F_ASSUMPTION, "job-loss hazard; assumption, to calibrate")                                \
    X(AS_S_EMPLOYMENT_WAGE_MEDIAN_EUR, "employment.wage_median_eur", DATED, "EUR/month", 0,        \
      1000000, 0, "", "700.0", AS_F_ASSUMPTION,                                                    \
      "median monthly wage (lognormal, sdlog 0.35); assumption, to calibrate (500-900)")           \
    X(AS_S_EMPLOYMENT_INFORMAL_SHARE, "employment.informal_share", FLOAT, "-", 0, 1, 0, "", "0.3", \
      AS_F_ASSUMPTION,                                                                             \
      "share of jobs that are informal (no tax, no benefit stop); assumption, to calibrate")       \
    X(AS_S_EDUCATION_SCHOOL_DEADLINE_DAYS, "education.school_deadline_days", FLOAT, "days", 0,     \
      3650, 0, "", "90.0", AS_F_NONE,                                                              \
      "an applicant child starts school within this many days of arrival (seed l. 141, 4855)")     \
    X(AS_S_EDUCATION_IZM_CONTRACT_MONTHS, "education.izm_contract_months", FLOAT, "months", 0,     \
      600, 0, "", "6.0", AS_F_NONE,                                                                \
      "length of a base-school contract per child, renewed while the child stays (seed l. 5301)")  \
    X(AS_S_EDUCATION_MUNICIPAL_SUPPORT_YEARS, "education.municipal_support_years", FLOAT, "years", \
      0, 100, 0, "", "2.0", AS_F_NONE,                                                             \
      "Latvian support in the local school after status (seed l. 4881)")                           \
    X(AS_S_EDUCATION_MUNICIPAL_HOURS_WEEK, "education.municipal_hours_week", DATED, "h/week", 0,   \
      168, 0, "", "2.0", AS_F_NONE,                                                                \
      "Latvian support hours a week in the local school (seed l. 4887-4888)")                      \
    X(AS_S_EDUCATION_COST_CHILD_MONTH_EUR, "education.cost_child_month_eur", DATED, "EUR/month",   \
      0, 1000000, 0, "", "100.0", AS_F_ASSUMPTION,                                                 \
      "cost per child and month of schooling support (IZM before status, the municipality during " \
      "municipal_support_years); assumption, to calibrate (50-200)")                               \
    X(AS_S_EDUCATION_SETTLE_MONTHS, "education.settle_months", FLOAT, "months", 0, 600, 0, "",     \
      "12.0", AS_F_ASSUMPTION,                                                                     \
      "months at school after which a child is settled; assumption, to calibrate")                 \
    X(AS_S_EDUCATION_HR_LEAVE_SETTLED, "education.hr_leave_settled", FLOAT, "-", 0, 100, 0, "",    \
      "0.7", AS_F_ASSUMPTION,                                                                      \
      "household departure hazard x with a settled child; assumption, to calibrate")               \
    X(AS_S_EDUCATION_READINESS_CLASS, "education.readiness_class", BOOL, "bool", 0, 0, 0, "",      \
      "false", AS_F_NONE,                                                                          \
      "a school-readiness class in the reception centre: applicant children in the centre start "  \
      "at once (seed l. 6186-6188)")                                                               \
    X(AS_S_EDUCATION_FOSTER_EUR_MONTH, "education.foster_eur_month", DATED, "EUR/month", 0,        \
      1000000, 0, "", "250.0", AS_F_NONE,                                                          \
      "foster care for an unaccompanied minor (seed l. 7313); no unaccompanied minors arrive in "  \
      "the model (no demand, seed l. 7311-7322)")                                                  \
    X(AS_S_MOVEMENT_LEAVE_PROCEDURE_MONTH, "movement.leave_procedure_month", DATED, "1/month", 0,  \
      30, 0, "", "0.08", AS_F_ASSUMPTION,                                                          \
      "departure hazard of applicant households (UNHCR 'otherwise closed': 763 against 597 "       \
      "rejected 2013-2019); assumption, to calibrate (0.02-0.2)")                                  \
    X(AS_S_MOVEMENT_LEAVE_STATUS_MONTH, "movement.leave_status_month", DATED, "1/month", 0, 30, 0, \
      "", "0.04", AS_F_ASSUMPTION,                                                                 \
      "departure hazard of households with a status holder; assumption, to calibrate (0.01-0.1)")  \
    X(AS_S_MOVEMENT_HR_RELOCATED_APPLICANT, "movement.hr_relocated_applicant", FLOAT, "-", 0, 100, \
      0, "", "0.25", AS_F_ASSUMPTION,                                                              \
      "departure hazard x for relocated households before status (they mostly left after "         \
      "status: 21 of the first 23, official_lv.csv); assumption, to calibrate (0.1-1)")            \
    X(AS_S_MOVEMENT_P_TRANSFER_BACK, "movement.p_transfer_back", FLOAT, "-", 0, 1, 0, "", "0.15",  \
      AS_F_ASSUMPTION,                                                                             \
      "share of departed households transferred back to Latvia (the same persons re-enter); "      \
      "assumption, to calibrate (0-0.3)")                                                          \
    X(AS_S_MOVEMENT_TRANSFER_BACK_MEDIAN_MONTHS, "movement.transfer_back_median_months", FLOAT,    \
      "months", 0, 120, 0, "", "8.0", AS_F_ASSUMPTION | AS_F_MIN_EXCL,                             \
      "median time abroad before a transfer back (exponential; model.md: median 8 months); "       \
      "assumption")                                                                                \
    X(AS_S_MOVEMENT_HR_HOUSED, "movement.hr_housed", FLOAT, "-", 0, 100, 0, "", "0.5",             \
      AS_F_ASSUMPTION, "status-phase departure hazard x when housed; assumption, to calibrate")    \
    X(AS_S_MOVEMENT_HR_EMPLOYED, "movement.hr_employed", FLOAT, "-", 0, 100, 0, "", "0.5",         \
      AS_F_ASSUMPTION,                                                                             \
      "status-phase departure hazard x when an adult works; assumption, to calibrate")             \
    X(AS_S_MOVEMENT_HR_INADEQUATE, "movement.hr_inadequate", FLOAT, "-", 0, 100, 0, "", "1.5",     \
      AS_F_ASSUMPTION,                                                                             \
      "status-phase departure hazard x when income does not cover housing (cost share above the "  \
      "affordability limit); assumption, to calibrate")                                            \
    X(AS_S_MOVEMENT_HR_ON_BENEFIT, "movement.hr_on_benefit", FLOAT, "-", 0, 100, 0, "", "0.8",     \
      AS_F_ASSUMPTION,                                                                             \
      "status-phase departure hazard x while the monthly benefit is paid; assumption, to "         \
      "calibrate (0.5-1)")                                                                         \
    X(AS_S_MOVEMENT_HR_POST_SOVIET, "movement.hr_post_soviet", FLOAT, "-", 0, 100, 0, "", "0.6",   \
      AS_F_ASSUMPTION, "departure hazard x for post-Soviet origin; assumption, to calibrate")      \
    X(AS_S_MOVEMENT_BENEFIT_LOST_AFTER_MONTHS, "movement.benefit_lost_after_months", FLOAT,        \
      "months", 0, 600, 0, "", "12.0", AS_F_NONE,                                                  \
      "absence abroad that ends a benefit entitlement (seed l. 3104-3107)")                        \
    X(AS_S_SERVICES_INTERP_USES_PER_CLIENT, "services.interp_uses_per_client", FLOAT, "-", 0,      \
      1000, 0, "", "4.5", AS_F_NONE,                                                               \
      "interpreting uses per client (seed l. 7487-7489: 6 634 / 1 467)")                           \
    X(AS_S_SERVICES_INFO_CONSULTS_PER_PERSON, "services.info_consults_per_person", FLOAT, "-", 0,  \
      1000, 0, "", "1.4", AS_F_NONE,                                                               \
      "information-centre consultations per person (seed l. 7561-7563: 12 545 / 8 930)")           \
    X(AS_S_SERVICES_INTERP_COST_EUR, "services.interp_cost_eur", DATED, "EUR", 0, 100000, 0, "",   \
      "40.0", AS_F_ASSUMPTION, "cost per interpreting use; assumption, to calibrate (20-80)")      \
    X(AS_S_SERVICES_INFO_COST_EUR, "services.info_cost_eur", DATED, "EUR", 0, 100000, 0, "",       \
      "20.0", AS_F_ASSUMPTION, "cost per consultation; assumption, to calibrate (10-40)")          \
    X(AS_S_SERVICES_INTRO_COURSE_COST_EUR, "services.intro_course_cost_eur", DATED, "EUR", 0,      \
      100000, 0, "", "168.0", AS_F_NONE, "integration course cost per participant (seed l. 2966)") \
    X(AS_S_SERVICES_INTRO_COURSE_PROB, "services.intro_course_prob", FLOAT, "-", 0, 1, 0, "",      \
      "0.5", AS_F_ASSUMPTION,                                                                      \
      "P(an adult applicant attends the integration course); assumption, to calibrate")            \
    X(AS_S_SERVICES_FUNDED_UNTIL, "services.funded_until", DATE, "date", 0, 0, 0, "", "\"\"",      \
      AS_F_EMPTY_OK | AS_F_ASSUMPTION,                                                             \
      "the services stop after this date; empty = never (baseline assumption)")                    \
    X(AS_S_BUDGET_CPI_GROWTH, "budget.cpi_growth", DATED, "1/yr", -0.5, 1, 0, "", "0.0",           \
      AS_F_ASSUMPTION,                                                                             \
      "yearly price growth for indexation = cpi, applied each 1 January after the indexation "     \
      "starts; assumption (no CPI in the data), sensitivity 0-0.10")                               \
    X(AS_S_BUDGET_MIN_WAGE_EUR, "budget.min_wage_eur", DATED, "EUR/month", 0, 100000, 0, "",       \
      "500.0", AS_F_ASSUMPTION,                                                                    \
      "minimum monthly wage for indexation = min_wage; assumption (not in the data)")              \
    X(AS_S_BUDGET_VAT_RATE, "budget.vat_rate", DATED, "-", 0, 1, 0, "", "0.21", AS_F_ASSUMPTION,   \
      "VAT on mentoring, quoted excluding VAT; assumption")                                        \
    X(AS_S_BUDGET_PIT_RATE, "budget.pit_rate", DATED, "-", 0, 1, 0, "", "0.2", AS_F_ASSUMPTION,    \
      "personal income tax on formal wages; assumption (not in the data), sensitivity +-25%")      \
    X(AS_S_BUDGET_SSC_RATE, "budget.ssc_rate", DATED, "-", 0, 1, 0, "", "0.34", AS_F_ASSUMPTION,   \
      "social insurance contributions on formal wages (employer and employee); assumption, "       \
      "sensitivity +-25%")                                                                         \
    X(AS_S_BUDGET_PIT_MUNICIPAL_SHARE, "budget.pit_municipal_share", DATED, "-", 0, 1, 0, "",      \
      "0.75", AS_F_ASSUMPTION,                                                                     \
      "share of income tax going to municipalities; assumption, sensitivity 0.6-0.9")              \
    X(AS_S_BUDGET_EU_SHARE_MENTORING, "budget.eu_share_mentoring", DATED, "-", 0, 1, 0, "", "0.0", \
      AS_F_NONE,                                                                                   \
      "ESF share of mentoring costs; the baseline: 0.85 from 4 Jan 2016 to 31 Dec 2023 (seed l. "  \
      "2370-2375)")                                                                                \
    X(AS_S_BUDGET_EU_SHARE_LANGUAGE_AND_INTRO, "budget.eu_share_language_and_intro", DATED, "-",   \
      0, 1, 0, "", "0.0", AS_F_NONE,                                                               \
      "AMIF share of language and integration courses; the baseline: 1.00 in 2016-2019, 0.75 in "  \
      "2020-2022 (seed l. 3887-3888; switch date assumption)")                                     \
    X(AS_S_BUDGET_EU_SHARE_INTERPRETING_INFO, "budget.eu_share_interpreting_info", DATED, "-", 0,  \
      1, 0, "", "0.0", AS_F_ASSUMPTION,                                                            \
      "AMIF share of interpreting and information; the baseline: 0.75 to 31 Dec 2022 (share "      \
      "assumption)")

typedef enum as_setting_id {
#define AS_X_ENUM(id, ...) id,
    AS_SETTINGS(AS_X_ENUM)
#undef AS_X_ENUM
    AS_N_SETTINGS
} as_setting_id;

#endif
