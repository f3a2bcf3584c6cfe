/* Compensated summation (Kahan-Babuska-Neumaier, style.md §7) for long sums whose result must not
 * depend on how large the terms are: means over replications, budget lines, integrated hazards. */
#ifndef ASYLSIM_KSUM_H
#define ASYLSIM_KSUM_H

#include <math.h>

typedef struct as_ksum {
    double hi, lo; /* the sum is hi + lo */
} as_ksum;

static inline void as_ksum_add(as_ksum *s, double x)
{
    double t = s->hi + x;
    s->lo += fabs(s->hi) >= fabs(x) ? (s->hi - t) + x : (x - t) + s->hi;
    s->hi = t;
}

static inline double as_ksum_value(const as_ksum *s)
{
    return s->hi + s->lo;
}

#endif
