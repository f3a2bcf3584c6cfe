/* Floating-point helpers for the engine's and the model's hot paths, inlined.
 *
 * as_fmax and as_fmin: GCC calls libm for fmax and fmin unless NaNs and signed zeros are ruled out
 * for the whole program (-ffinite-math-only), and the model calls them about a million times in
 * bench/instructions.cfg. These return what glibc's x86-64 fmax and fmin return for every input:
 * the other operand when one is NaN, else maxsd / minsd (the second operand on a tie, which
 * matters only for +0 and -0). tests/unit/test_hazard.c compares them with libm's. */
#ifndef ASYLSIM_FP_H
#define ASYLSIM_FP_H

#include <float.h>
#include <math.h>

/* Whether x is +infinity: the same as isinf(x) && x > 0 (false for NaN), in one comparison. */
static inline int as_is_pos_inf(double x)
{
    return x > DBL_MAX;
}

static inline double as_fmax(double a, double b)
{
    if (isnan(b)) {
        return a;
    }
    return a > b ? a : b;
}

static inline double as_fmin(double a, double b)
{
    if (isnan(b)) {
        return a;
    }
    return a < b ? a : b;
}

#endif
