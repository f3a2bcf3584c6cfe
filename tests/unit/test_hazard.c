/* Tests of the hazards (as_hazard_*, as_risk_*): H and its inverse at hand-computed points; the
 * distribution of event times sampled by integrated-hazard inversion, E ~ Exp(1) from the Philox
 * stream, against the closed-form CDF F(u) = 1 - exp(-m (H(u) - H(u0))) written out here
 * independently (KS, 1e5 samples, three seeds, p > as_test_p_min()); the same after a change of
 * multiplier; the exact coupling property (a higher multiplier never fires later for the same E);
 * and the cases that never fire. */
#include "asylsim/engine.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>

#include "asylsim/fp.h"
#include "asylsim/rng.h"
#include "testutil.h"

static const uint64_t seeds[3] = {1, 2385, 0xfedcba9876543210ULL};

enum {
    N_SAMPLES = 100000
};

static int is_never(double x)
{
    return isinf(x) && x > 0;
}

/* a and b agree to a few roundings: each hand value below takes under 8 rounded operations. */
static int close_to(double a, double b)
{
    return fabs(a - b) <= 8 * DBL_EPSILON * fmax(fabs(a), fabs(b));
}

/* The hazards under test. */
static const double pw_breaks[4] = {0, 30, 90, 365};
static const double pw_rates[4] = {0.01, 0.025, 0.0, 0.004};
static const double tail0_breaks[2] = {0, 10};
static const double tail0_rates[2] = {0.05, 0.0};

static as_hazard constant_hazard(double rate)
{
    return (as_hazard){.kind = AS_HAZARD_CONSTANT, .rate_per_day = rate};
}

static as_hazard piecewise_hazard(size_t n, const double *breaks, const double *rates)
{
    return (as_hazard){.kind = AS_HAZARD_PIECEWISE,
                       .n_pieces = n,
                       .breaks_days = breaks,
                       .rates_per_day = rates};
}

static as_hazard weibull_hazard(double shape, double scale)
{
    return (as_hazard){.kind = AS_HAZARD_WEIBULL, .shape = shape, .scale_days = scale};
}

static void test_constant_known_values(as_test_state *t)
{
    as_hazard h = constant_hazard(0.0237);
    /* H(2.385) = 0.0237 * 2.385 = 0.0565245. */
    AS_CHECK(t, close_to(as_hazard_cumulative(&h, 2.385), 0.0565245), "H(2.385) = %.17g",
             as_hazard_cumulative(&h, 2.385));
    AS_CHECK(t, close_to(as_hazard_cumulative(&h, 0), 0) && as_hazard_cumulative(&h, 0) >= 0,
             "H(0) = 0");
    /* m = 1.6, budget 0.5: need 0.3125, 0.3125 / 0.0237 = 13.185654...; u = 738049/47400. */
    double u = as_hazard_time_to(&h, 1.6, 2.385, 0.5);
    AS_CHECK(t, close_to(u, 738049.0 / 47400.0), "time_to = %.17g", u);
}

static void test_piecewise_known_values(as_test_state *t)
{
    as_hazard h = piecewise_hazard(4, pw_breaks, pw_rates);
    /* H(45.5) = 0.01 * 30 + 0.025 * 15.5 = 0.6875; H(200) = 0.3 + 1.5 + 0 = 1.8;
     * H(400) = 1.8 + 0.004 * 35 = 1.94; H(30) = 0.3 at a break. */
    AS_CHECK(t, close_to(as_hazard_cumulative(&h, 45.5), 0.6875), "H(45.5)");
    AS_CHECK(t, close_to(as_hazard_cumulative(&h, 200), 1.8), "H(200)");
    AS_CHECK(t, close_to(as_hazard_cumulative(&h, 400), 1.94), "H(400)");
    AS_CHECK(t, close_to(as_hazard_cumulative(&h, 30), 0.3), "H(30)");
    AS_CHECK(t, is_never(as_hazard_cumulative(&h, INFINITY)), "H(inf) with a positive tail");
    /* From 20, m = 2, budget 1: need 0.5 = 0.1 to 30, then 0.4 / 0.025 = 16 days: u = 46. */
    AS_CHECK(t, close_to(as_hazard_time_to(&h, 2, 20, 1.0), 46), "time_to within piece 2");
    /* Budget 3.9: need 1.95 = 0.1 + 1.5 + (nothing over [90, 365)) + 0.35 / 0.004 = 87.5 days
     * past 365: u = 452.5. */
    AS_CHECK(t, close_to(as_hazard_time_to(&h, 2, 20, 3.9), 452.5), "time_to across pieces: %.17g",
             as_hazard_time_to(&h, 2, 20, 3.9));
    /* From inside the zero piece: m = 0.5, budget 0.01, need 0.02 = 5 days past 365. */
    AS_CHECK(t, close_to(as_hazard_time_to(&h, 0.5, 100, 0.01), 370), "time_to from a zero piece");
    /* Starting exactly on a break. */
    AS_CHECK(t, close_to(as_hazard_time_to(&h, 1, 30, 0.25), 40), "time_to from a break");
}

static void test_weibull_known_values(as_test_state *t)
{
    as_hazard h = weibull_hazard(1.5, 40);
    /* (90/40)^1.5 = 2.25^1.5 = 3.375; (10/40)^1.5 = 0.125. */
    AS_CHECK(t, close_to(as_hazard_cumulative(&h, 90), 3.375), "H(90)");
    AS_CHECK(t, close_to(as_hazard_cumulative(&h, 10), 0.125), "H(10)");
    AS_CHECK(t, close_to(as_hazard_cumulative(&h, 0), 0) && as_hazard_cumulative(&h, 0) >= 0,
             "H(0)");
    /* From 10 with m = 2, budget 6.5: H = 0.125 + 3.25 = 3.375, so u = 90. */
    AS_CHECK(t, close_to(as_hazard_time_to(&h, 2, 10, 6.5), 90), "time_to = %.17g",
             as_hazard_time_to(&h, 2, 10, 6.5));
    /* Shape 0.5, scale 4: H(1) = 0.5, H(9) = 1.5; from 1 with m = 0.5, budget 0.5 -> 9. */
    as_hazard g = weibull_hazard(0.5, 4);
    AS_CHECK(t, close_to(as_hazard_cumulative(&g, 9), 1.5), "H(9), shape 0.5");
    AS_CHECK(t, close_to(as_hazard_time_to(&g, 0.5, 1, 0.5), 9), "time_to, shape 0.5");
    /* Shape 1 is exponential with rate 1/scale: from 2.385 with m 1, budget 0.5, scale 8 -> +4. */
    as_hazard x = weibull_hazard(1, 8);
    AS_CHECK(t, close_to(as_hazard_time_to(&x, 1, 2.385, 0.5), 6.385), "shape 1");
}

static void test_never_and_zero_budget(as_test_state *t)
{
    as_hazard c = constant_hazard(0.0237), c0 = constant_hazard(0);
    as_hazard p = piecewise_hazard(4, pw_breaks, pw_rates);
    as_hazard z = piecewise_hazard(2, tail0_breaks, tail0_rates);
    as_hazard w = weibull_hazard(1.5, 40);
    const as_hazard *all[5] = {&c, &c0, &p, &z, &w};
    for (int i = 0; i < 5; i++) {
        AS_CHECK(t, is_never(as_hazard_time_to(all[i], 0, 2.385, 0.7)), "hazard %d: m = 0", i);
        double u = as_hazard_time_to(all[i], 1.3, 2.385, 0);
        AS_CHECK(t, close_to(u, 2.385) && !(u < 2.385), "hazard %d: budget 0 gives u0", i);
    }
    AS_CHECK(t, is_never(as_hazard_time_to(&c0, 5, 0, 0.1)), "rate 0");
    AS_CHECK(t, close_to(as_hazard_cumulative(&c0, INFINITY), 0), "H = 0 for ever at rate 0");
    /* Zero tail: H(inf) = 0.5; from 3, what is left is 0.35. */
    AS_CHECK(t, close_to(as_hazard_cumulative(&z, INFINITY), 0.5), "H(inf) = 0.5");
    AS_CHECK(t, is_never(as_hazard_time_to(&z, 1, 0, 0.6)), "budget past the tail");
    AS_CHECK(t, is_never(as_hazard_time_to(&z, 2, 3, 0.75)), "0.375 > 0.35 left: never");
    AS_CHECK(t, close_to(as_hazard_time_to(&z, 2, 3, 0.6), 9), "0.3 of 0.35 left: u = 9");
    AS_CHECK(t, close_to(as_hazard_time_to(&z, 1, 3, 0.35), 10), "exactly what is left: u = 10");
    AS_CHECK(t, is_never(as_hazard_time_to(&z, 1, 12, 1e-9)), "from inside the zero tail");
    as_risk r;
    as_risk_start(&r, 0.8, 2.385, 0);
    AS_CHECK(t, is_never(as_risk_fire_u(&r, &c)), "a risk with m = 0 never fires");
}

static void test_risk_retime_known_values(as_test_state *t)
{
    as_hazard h = constant_hazard(0.02);
    as_risk r;
    as_risk_start(&r, 1.0, 0, 1);
    AS_CHECK(t, close_to(as_risk_fire_u(&r, &h), 50), "fires at 1 / 0.02 = 50");
    /* At 10 the multiplier doubles: 0.2 spent, 0.8 left at 0.04 a day: 20 more days. */
    as_risk_retime(&r, &h, 10, 2);
    AS_CHECK(t, close_to(r.budget, 0.8) && close_to(r.u_last, 10) && close_to(r.mult, 2),
             "state after re-time");
    AS_CHECK(t, close_to(as_risk_fire_u(&r, &h), 30), "fires at 30");
    /* m = 0 from 20 on: 0.4 spent, 0.4 kept; never fires; back to m = 1 at 40: 20 more days. */
    as_risk_retime(&r, &h, 20, 0);
    AS_CHECK(t, is_never(as_risk_fire_u(&r, &h)), "m = 0 never fires");
    as_risk_retime(&r, &h, 40, 1);
    AS_CHECK(t, close_to(r.budget, 0.4), "a zero multiplier spends nothing");
    AS_CHECK(t, close_to(as_risk_fire_u(&r, &h), 60), "fires at 60");
    /* Re-timing past the firing time clamps the budget at 0: fires at once. */
    as_risk_retime(&r, &h, 100, 1);
    AS_CHECK(t, !(r.budget < 0) && !(r.budget > 0), "budget clamped at 0");
    AS_CHECK(t, close_to(as_risk_fire_u(&r, &h), 100), "fires at the re-time");
    /* Piecewise: spent walks the pieces. E = 2, m = 1 from 20: at 60 spent 0.1 + 0.75. */
    as_hazard p = piecewise_hazard(4, pw_breaks, pw_rates);
    as_risk_start(&r, 2.0, 20, 1);
    as_risk_retime(&r, &p, 60, 4);
    AS_CHECK(t, close_to(r.budget, 1.15), "piecewise spent: budget %.17g", r.budget);
    /* 1.15 / 4 = 0.2875 = 0.025 * 11.5: u = 71.5. */
    AS_CHECK(t, close_to(as_risk_fire_u(&r, &p), 71.5), "piecewise fire after re-time");
}

/* ---------------------------------------------------------------------------------------------
 * Distribution tests. The closed forms below are written independently of hazard.c.
 */

/* Kolmogorov-Smirnov p-value (asymptotic) of `n` values that should be uniform; sorts u. */
static double ks_uniform_p(double *u, size_t n)
{
    gsl_sort(u, 1, n);
    double d = 0;
    for (size_t i = 0; i < n; i++) {
        double lo = u[i] - (double)i / (double)n, hi = (double)(i + 1) / (double)n - u[i];
        d = fmax(d, fmax(lo, hi));
    }
    double lambda = (sqrt((double)n) + 0.12 + 0.11 / sqrt((double)n)) * d;
    double p = 0;
    for (int j = 1; j < 100; j++) {
        p += 2 * ((j % 2) ? 1 : -1) * exp(-2.0 * j * j * lambda * lambda);
    }
    return fmin(1.0, fmax(0.0, p));
}

/* The baseline cumulative hazard, by the textbook formula for each kind. */
static double closed_H(const as_hazard *h, double u)
{
    switch (h->kind) {
    case AS_HAZARD_CONSTANT:
        return h->rate_per_day * u;
    case AS_HAZARD_PIECEWISE: {
        double s = 0;
        for (size_t i = 0; i < h->n_pieces; i++) {
            double a = h->breaks_days[i];
            double b = i + 1 < h->n_pieces ? h->breaks_days[i + 1] : INFINITY;
            if (u > a && h->rates_per_day[i] > 0) {
                s += h->rates_per_day[i] * (fmin(u, b) - a);
            }
        }
        return s;
    }
    case AS_HAZARD_WEIBULL:
        return pow(u / h->scale_days, h->shape);
    }
    return NAN;
}

/* Multiplier m1 on [u0, s), m2 from s on (m1 = m2: no change). */
typedef struct scenario {
    const char *name;
    as_hazard h;
    double u0, m1, s, m2;
} scenario;

/* Integrated hazard Lambda(u) from u0 of a scenario. */
static double closed_Lambda(const scenario *c, double u)
{
    double mid = fmin(u, c->s);
    double lam = c->m1 * (closed_H(&c->h, mid) - closed_H(&c->h, c->u0));
    if (u > c->s && c->m2 > 0) {
        lam += c->m2 * (closed_H(&c->h, u) - closed_H(&c->h, c->s));
    }
    return lam;
}

/* One sampled firing time: start at u0 with m1; at s, if not fired, re-time to m2. */
static double sample(const scenario *c, double E)
{
    as_risk r;
    as_risk_start(&r, E, c->u0, c->m1);
    double u = as_risk_fire_u(&r, &c->h);
    if (u > c->s) {
        as_risk_retime(&r, &c->h, c->s, c->m2);
        u = as_risk_fire_u(&r, &c->h);
    }
    return u;
}

/* KS of F(u_i) / F(inf) over the finite u_i, and the share of never against exp(-Lambda(inf)). */
static void check_distribution(as_test_state *t, const scenario *c, double *buf)
{
    gsl_rng *r = as_rng_create();
    double F_inf = -expm1(-closed_Lambda(c, INFINITY));
    for (int s = 0; s < 3; s++) {
        as_rng_seek(r, seeds[s], 0, 0, 1, 0);
        size_t n_fin = 0;
        for (size_t i = 0; i < N_SAMPLES; i++) {
            double u = sample(c, gsl_ran_exponential(r, 1.0));
            AS_CHECK(t, !(u < c->u0), "%s: fired before u0", c->name);
            if (!is_never(u)) {
                buf[n_fin++] = -expm1(-closed_Lambda(c, u)) / F_inf;
            }
        }
        double p = ks_uniform_p(buf, n_fin);
        AS_CHECK(t, p > as_test_p_min(), "%s, seed %d: KS p = %g (%zu finite)", c->name, s, p,
                 n_fin);
        /* The share that never fires, against its probability 1 - F(inf). */
        double q = 1 - F_inf, share = (double)(N_SAMPLES - n_fin) / N_SAMPLES;
        if (q > 0) {
            AS_CHECK(t, as_within_z(share, q, sqrt(q * (1 - q) / N_SAMPLES)),
                     "%s, seed %d: never share %g, expected %g", c->name, s, share, q);
        } else {
            AS_CHECK(t, n_fin == N_SAMPLES, "%s, seed %d: all fire", c->name, s);
        }
    }
    gsl_rng_free(r);
}

static void test_sampled_times_distribution(as_test_state *t)
{
    double *buf = malloc(N_SAMPLES * sizeof *buf);
    const scenario cases[] = {
            {"constant", constant_hazard(0.0237), 2.385, 1.7, INFINITY, 1.7},
            {"piecewise", piecewise_hazard(4, pw_breaks, pw_rates), 12.5, 1.3, INFINITY, 1.3},
            {"piecewise from a zero piece", piecewise_hazard(4, pw_breaks, pw_rates), 120, 0.9,
             INFINITY, 0.9},
            {"piecewise, zero tail", piecewise_hazard(2, tail0_breaks, tail0_rates), 2.385, 2.5,
             INFINITY, 2.5},
            {"Weibull 1.5", weibull_hazard(1.5, 40), 23.85, 0.8, INFINITY, 0.8},
            {"Weibull 0.7", weibull_hazard(0.7, 120), 2.385, 1.9, INFINITY, 1.9},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        check_distribution(t, &cases[i], buf);
    }
    free(buf);
}

static void test_retimed_distribution(as_test_state *t)
{
    double *buf = malloc(N_SAMPLES * sizeof *buf);
    const scenario cases[] = {
            {"piecewise, m up at 40", piecewise_hazard(4, pw_breaks, pw_rates), 12.5, 0.6, 40, 2.4},
            {"piecewise, m down at 100", piecewise_hazard(4, pw_breaks, pw_rates), 5, 1.4, 100,
             0.3},
            {"Weibull 1.5, m down at 30", weibull_hazard(1.5, 40), 5, 1.5, 30, 0.35},
            {"Weibull 0.7, m up at 10", weibull_hazard(0.7, 120), 2.385, 0.5, 10, 3.2},
            {"Weibull 1.5, m to 0 at 30", weibull_hazard(1.5, 40), 5, 1.5, 30, 0},
            {"constant, m up at 20", constant_hazard(0.0237), 2.385, 0.7, 20, 4.1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        check_distribution(t, &cases[i], buf);
    }
    free(buf);
}

/* A higher multiplier, before or after a re-time, never fires later for the same E. */
static void test_higher_multiplier_never_later(as_test_state *t)
{
    static const double mults[] = {0, 1e-9, 0.1, 0.5, 1, 1.0000000000000002, 2.385, 10, 1e6};
    enum {
        N_M = sizeof mults / sizeof mults[0]
    };
    as_hazard hz[5] = {constant_hazard(0.0237), piecewise_hazard(4, pw_breaks, pw_rates),
                       piecewise_hazard(2, tail0_breaks, tail0_rates), weibull_hazard(1.5, 40),
                       weibull_hazard(0.7, 120)};
    gsl_rng *r = as_rng_create();
    for (int s = 0; s < 3; s++) {
        as_rng_seek(r, seeds[s], 0, 0, 2, 0);
        size_t violations = 0;
        for (size_t i = 0; i < 20000; i++) {
            double E = gsl_ran_exponential(r, 1.0);
            double u0 = 400 * gsl_rng_uniform(r);
            double cut = u0 + 100 * gsl_rng_uniform(r);
            for (int k = 0; k < 5; k++) {
                /* Without re-time. */
                for (int j = 0; j + 1 < N_M; j++) {
                    double lo = as_hazard_time_to(&hz[k], mults[j], u0, E);
                    double hi = as_hazard_time_to(&hz[k], mults[j + 1], u0, E);
                    violations += hi > lo;
                }
                /* With a re-time at `cut`: raise m1 or m2 alone. */
                for (int j = 0; j + 1 < N_M; j++) {
                    scenario a = {"", hz[k], u0, mults[j], cut, 2.385};
                    scenario b = {"", hz[k], u0, mults[j + 1], cut, 2.385};
                    violations += sample(&b, E) > sample(&a, E);
                    scenario c = {"", hz[k], u0, 0.5, cut, mults[j]};
                    scenario d = {"", hz[k], u0, 0.5, cut, mults[j + 1]};
                    violations += sample(&d, E) > sample(&c, E);
                }
            }
        }
        AS_CHECK(t, violations == 0, "seed %d: %zu later firings under a higher multiplier", s,
                 violations);
    }
    gsl_rng_free(r);
}

/* as_fmax and as_fmin (include/asylsim/fp.h) against libm's fmax and fmin, called through
 * volatile pointers so that the compiler cannot fold them: the same bits for every pair of
 * special values (signed zeros, infinities, NaN, the extremes, subnormals) and random ones, and
 * a NaN exactly when libm gives one; and as_is_pos_inf against isinf(x) && x > 0 on the same
 * values. */
static void test_fp_as_libm(as_test_state *t)
{
    double (*volatile lmax)(double, double) = fmax;
    double (*volatile lmin)(double, double) = fmin;
    double v[40] = {0.0,   -0.0,    1.0,      -1.0,    INFINITY, -INFINITY, NAN,
                    -NAN,  DBL_MAX, -DBL_MAX, DBL_MIN, -DBL_MIN, 4.9e-324,  -4.9e-324,
                    1e-12, 0.5,     2.385,    1e300,   -1e300};
    size_t n = 19;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 385);
    while (n < 40) {
        v[n++] = (gsl_rng_uniform(r) - 0.5) * pow(10.0, (double)gsl_rng_uniform_int(r, 40) - 20.0);
    }
    gsl_rng_free(r);
    size_t bad = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++) {
            double got[2] = {as_fmax(v[i], v[j]), as_fmin(v[i], v[j])};
            double want[2] = {lmax(v[i], v[j]), lmin(v[i], v[j])};
            for (int k = 0; k < 2; k++) {
                int same = isnan(want[k]) ? isnan(got[k]) : memcmp(&got[k], &want[k], 8) == 0;
                if (!same) {
                    bad++;
                    AS_CHECK(t, 0, "%s(%g, %g): %g, libm %g", k ? "as_fmin" : "as_fmax", v[i], v[j],
                             got[k], want[k]);
                }
            }
        }
    }
    AS_CHECK(t, bad == 0, "%zu of %zu results differ from libm's", bad, 2 * n * n);
    for (size_t i = 0; i < n; i++) {
        AS_CHECK(t, as_is_pos_inf(v[i]) == (isinf(v[i]) && v[i] > 0), "as_is_pos_inf(%g)", v[i]);
    }
}

int main(void)
{
    as_test_state t = {0};
    AS_RUN(&t, test_constant_known_values);
    AS_RUN(&t, test_piecewise_known_values);
    AS_RUN(&t, test_weibull_known_values);
    AS_RUN(&t, test_never_and_zero_budget);
    AS_RUN(&t, test_risk_retime_known_values);
    AS_RUN(&t, test_sampled_times_distribution);
    AS_RUN(&t, test_retimed_distribution);
    AS_RUN(&t, test_higher_multiplier_never_later);
    AS_RUN(&t, test_fp_as_libm);
    return as_test_finish(&t);
}
