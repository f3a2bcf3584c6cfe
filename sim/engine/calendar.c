/* Calendar arithmetic (include/asylsim/calendar.h): Howard Hinnant's days-from-civil algorithm
 * ("chrono-Compatible Low-Level Date Algorithms"), written from its description, plus strict ISO
 * parsing. Day 0 is 1970-01-01. */
#include "asylsim/calendar.h"

#include <string.h>

int as_is_leap_year(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int32_t as_days_from_civil(int year, int month, int day)
{
    int y = year - (month <= 2);
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;                                            /* [0, 399] */
    int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1; /* [0, 365] */
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                    /* [0, 146096] */
    return (int32_t)(era * 146097 + doe - 719468);
}

void as_civil_from_days(int32_t days, int *year, int *month, int *day)
{
    int32_t z = days + 719468;
    int32_t era = (z >= 0 ? z : z - 146096) / 146097;
    int32_t doe = z - era * 146097;                                      /* [0, 146096] */
    int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    int32_t y = yoe + era * 400;
    int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100); /* [0, 365] */
    int32_t mp = (5 * doy + 2) / 153;                      /* [0, 11] */
    int32_t d = doy - (153 * mp + 2) / 5 + 1;              /* [1, 31] */
    int32_t m = mp < 10 ? mp + 3 : mp - 9;                 /* [1, 12] */
    *year = (int)(y + (m <= 2));
    *month = (int)m;
    *day = (int)d;
}

static int days_in_month(int year, int month)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && as_is_leap_year(year) ? 29 : dim[month - 1];
}

int as_date_parse(const char *s, int32_t *days)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') {
        return -1;
    }
    for (int i = 0; i < 10; i++) {
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) {
            return -1;
        }
    }
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1000 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) {
        return -1;
    }
    *days = as_days_from_civil(y, m, d);
    return 0;
}

void as_date_format(int32_t days, char out[11])
{
    int y, m, d;
    as_civil_from_days(days, &y, &m, &d);
    /* Each field is bounded, so the 10 characters always fit. */
    unsigned uy = (unsigned)y % 10000u, um = (unsigned)m % 100u, ud = (unsigned)d % 100u;
    out[0] = (char)('0' + uy / 1000);
    out[1] = (char)('0' + uy / 100 % 10);
    out[2] = (char)('0' + uy / 10 % 10);
    out[3] = (char)('0' + uy % 10);
    out[4] = '-';
    out[5] = (char)('0' + um / 10);
    out[6] = (char)('0' + um % 10);
    out[7] = '-';
    out[8] = (char)('0' + ud / 10);
    out[9] = (char)('0' + ud % 10);
    out[10] = '\0';
}

int32_t as_next_month_start(int32_t days)
{
    int y, m, d;
    as_civil_from_days(days, &y, &m, &d);
    return m == 12 ? as_days_from_civil(y + 1, 1, 1) : as_days_from_civil(y, m + 1, 1);
}

int32_t as_add_months(int32_t days, int k)
{
    int y, m, d;
    as_civil_from_days(days, &y, &m, &d);
    int total = y * 12 + (m - 1) + k;
    int ny = total / 12, nm = total % 12;
    if (nm < 0) { /* C division truncates towards zero */
        nm += 12;
        ny--;
    }
    int dim = days_in_month(ny, nm + 1);
    return as_days_from_civil(ny, nm + 1, d <= dim ? d : dim);
}

int as_months_between(int32_t a, int32_t b)
{
    int ya, ma, da, yb, mb, db;
    as_civil_from_days(a, &ya, &ma, &da);
    as_civil_from_days(b, &yb, &mb, &db);
    return (yb - ya) * 12 + (mb - ma);
}
