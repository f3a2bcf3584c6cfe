/* Baseline hazards and integrated-hazard sampling (include/asylsim/engine.h): the cumulative
 * hazard H(u) of a constant, piecewise-constant or Weibull baseline, its inverse from any start
 * u0, and the as_risk state that keeps the unspent part of a unit exponential budget when the
 * covariate multiplier changes. Nothing here draws: the caller draws E from the (entity, process)
 * stream and passes it in.
 *
 * Numerics. H(u) - H(u0) is never formed by subtracting two large cumulative values for the
 * constant and piecewise kinds: the integral over [u0, u] is walked piece by piece from u0, so a
 * small increment late in a long stay keeps its precision. The Weibull inverse solves
 * H(u) = H(u0) + budget/m in closed form. Every step is monotone in the budget and in m (each
 * rounding is, and a piece's answer is clamped to the piece), so a higher multiplier never gives
 * a later time for the same E: the exact coupling property the scenarios rely on. */
#include "asylsim/engine.h"

#include <assert.h>
#include <math.h>
#include <stddef.h>

#include "as_config.h"
#include "asylsim/fp.h"
#include "asylsim/ksum.h"

static void check_hazard(const as_hazard *h)
{
    switch (h->kind) {
    case AS_HAZARD_CONSTANT:
        assert(h->rate_per_day >= 0 && !as_is_pos_inf(h->rate_per_day));
        break;
    case AS_HAZARD_PIECEWISE:
        assert(h->n_pieces >= 1 && h->breaks_days && h->rates_per_day);
        assert(!(h->breaks_days[0] < 0) && !(h->breaks_days[0] > 0));
#if AS_DEBUG_CHECKS
        /* The loader validates these; whole-array checks only with debug_checks (style.md §4). */
        for (size_t i = 0; i < h->n_pieces; i++) {
            assert(h->rates_per_day[i] >= 0 && !as_is_pos_inf(h->rates_per_day[i]));
            assert(i == 0 || h->breaks_days[i] > h->breaks_days[i - 1]);
        }
#endif
        break;
    case AS_HAZARD_WEIBULL:
        assert(h->shape > 0 && h->scale_days > 0);
        break;
    }
    (void)h;
}

/* Index of the piece containing u >= 0: the last i with breaks[i] <= u. */
static size_t piece_of(const as_hazard *h, double u)
{
    size_t lo = 0, hi = h->n_pieces; /* breaks[lo] <= u; pieces >= hi start after u */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (h->breaks_days[mid] <= u) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* End of piece i (INFINITY for the last). */
static double piece_end(const as_hazard *h, size_t i)
{
    return i + 1 < h->n_pieces ? h->breaks_days[i + 1] : INFINITY;
}

/* rate * length, with 0 * INFINITY = 0 (a zero rate for ever adds nothing). */
static double area(double rate, double length)
{
    return rate > 0 ? rate * length : 0;
}

/* The piecewise integral of h over [a, b], 0 <= a <= b, walked piece by piece from a. */
static double piecewise_integral(const as_hazard *h, double a, double b)
{
    as_ksum s = {0, 0}; /* compensated: many pieces, or late small ones (style.md §7) */
    size_t i = piece_of(h, a);
    double pos = a;
    while (pos < b) {
        double end = as_fmin(piece_end(h, i), b);
        double x = area(h->rates_per_day[i], end - pos);
        if (as_is_pos_inf(x)) {
            return INFINITY; /* a positive rate for ever (the sum's correction would be NaN) */
        }
        as_ksum_add(&s, x);
        pos = end;
        i++;
    }
    return as_ksum_value(&s);
}

static double weibull_cumulative(const as_hazard *h, double u)
{
    return pow(u / h->scale_days, h->shape);
}

double as_hazard_cumulative(const as_hazard *h, double u_days)
{
    check_hazard(h);
    assert(u_days >= 0);
    switch (h->kind) {
    case AS_HAZARD_CONSTANT:
        return area(h->rate_per_day, u_days);
    case AS_HAZARD_PIECEWISE:
        return piecewise_integral(h, 0, u_days);
    case AS_HAZARD_WEIBULL:
        return weibull_cumulative(h, u_days);
    }
    assert(0 && "unknown hazard kind");
    return NAN;
}

/* The integral of h over [a, b], 0 <= a <= b, without cancellation where the kind allows. */
static double integral(const as_hazard *h, double a, double b)
{
    switch (h->kind) {
    case AS_HAZARD_CONSTANT:
        return area(h->rate_per_day, b - a);
    case AS_HAZARD_PIECEWISE:
        return piecewise_integral(h, a, b);
    case AS_HAZARD_WEIBULL:
        return as_fmax(0, weibull_cumulative(h, b) - weibull_cumulative(h, a));
    }
    assert(0 && "unknown hazard kind");
    return NAN;
}

/* Piecewise: the u >= u0 where the baseline integral from u0 reaches need > 0. */
static double piecewise_time_to(const as_hazard *h, double u0, double need)
{
    size_t i = piece_of(h, u0);
    double pos = u0;
    for (;;) {
        double rate = h->rates_per_day[i], end = piece_end(h, i);
        if (rate > 0) {
            double seg = rate * (end - pos); /* INFINITY in the last piece */
            if (!(need > seg)) {
                /* Clamped to the piece: rounding must not carry the answer past `end`, where a
                 * larger need would land, or monotonicity in need would break. */
                return as_fmin(pos + need / rate, end);
            }
            need -= seg;
        }
        if (i + 1 == h->n_pieces) {
            return INFINITY; /* the last piece has rate 0: never */
        }
        pos = end;
        i++;
    }
}

double as_hazard_time_to(const as_hazard *h, double m, double u0_days, double budget)
{
    check_hazard(h);
    assert(m >= 0 && !as_is_pos_inf(m));
    assert(u0_days >= 0);
    assert(budget >= 0);
    if (!(budget > 0)) {
        return u0_days;
    }
    if (!(m > 0) || as_is_pos_inf(u0_days) || as_is_pos_inf(budget)) {
        return INFINITY;
    }
    double need = budget / m; /* the baseline integral still to go */
    switch (h->kind) {
    case AS_HAZARD_CONSTANT:
        return h->rate_per_day > 0 ? u0_days + need / h->rate_per_day : INFINITY;
    case AS_HAZARD_PIECEWISE:
        return piecewise_time_to(h, u0_days, need);
    case AS_HAZARD_WEIBULL: {
        double target = weibull_cumulative(h, u0_days) + need;
        return as_fmax(u0_days, h->scale_days * pow(target, 1.0 / h->shape));
    }
    }
    assert(0 && "unknown hazard kind");
    return NAN;
}

void as_risk_start(as_risk *r, double E, double u_now, double m)
{
    /* E = 0 is allowed: gsl_ran_exponential returns it when the uniform is 0 (odds 2^-53). */
    assert(E >= 0 && !as_is_pos_inf(E));
    assert(u_now >= 0 && !as_is_pos_inf(u_now));
    assert(m >= 0 && !as_is_pos_inf(m));
    r->budget = E;
    r->u_last = u_now;
    r->mult = m;
}

double as_risk_fire_u(const as_risk *r, const as_hazard *h)
{
    return as_hazard_time_to(h, r->mult, r->u_last, r->budget);
}

void as_risk_retime(as_risk *r, const as_hazard *h, double u_now, double m)
{
    check_hazard(h);
    assert(u_now >= r->u_last && !as_is_pos_inf(u_now));
    assert(m >= 0 && !as_is_pos_inf(m));
    if (r->mult > 0) {
        double spent = r->mult * integral(h, r->u_last, u_now);
        r->budget = as_fmax(0, r->budget - spent);
    }
    r->u_last = u_now;
    r->mult = m;
}
