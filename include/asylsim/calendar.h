/* Calendar arithmetic for asylsim: ISO dates <-> day numbers (days since 1970-01-01, proleptic
 * Gregorian), month boundaries. The loader converts file dates once; the model and the
 * observations work in day numbers and in scenario time (days since the scenario start). */
#ifndef ASYLSIM_CALENDAR_H
#define ASYLSIM_CALENDAR_H

#include <stdint.h>

/* Day number of year-month-day (month 1-12, day 1-31; not validated). */
int32_t as_days_from_civil(int year, int month, int day);

/* The calendar date of a day number. */
void as_civil_from_days(int32_t days, int *year, int *month, int *day);

/* Parses a strict ISO date "YYYY-MM-DD" (years 1000-9999, a real calendar day, nothing after).
 * Returns 0 and sets *days on success, -1 otherwise. */
int as_date_parse(const char *s, int32_t *days);

/* Writes "YYYY-MM-DD" (11 bytes with the NUL). */
void as_date_format(int32_t days, char out[11]);

/* Day number of the first day of the month after the one containing `days`. */
int32_t as_next_month_start(int32_t days);

/* Months from the month of `a` to the month of `b` (calendar months; negative if b is earlier). */
int as_months_between(int32_t a, int32_t b);

/* 1 if `year` is a leap year. */
int as_is_leap_year(int year);

/* The day number `k` calendar months after `days` (the same day of the month, or the month's
 * last day when it is shorter); k may be negative. */
int32_t as_add_months(int32_t days, int k);

#endif
