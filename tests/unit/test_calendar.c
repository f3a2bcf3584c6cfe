/* Tests of the calendar (include/asylsim/calendar.h): the day-number round trip over every day of
 * 1900-2100 against an independent day-by-day count, known anchors, strict ISO parsing, month
 * boundaries and month differences. */
#include "asylsim/calendar.h"

#include <stdint.h>
#include <string.h>

#include "testutil.h"

static int days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dim[m - 1];
}

static void test_known_anchors(as_test_state *t)
{
    AS_CHECK(t, as_days_from_civil(1970, 1, 1) == 0, "1970-01-01 = 0");
    AS_CHECK(t, as_days_from_civil(2000, 3, 1) == 11017, "2000-03-01 = 11017");
    AS_CHECK(t, as_days_from_civil(2015, 1, 1) == 16436, "2015-01-01 = 16436");
    AS_CHECK(t, as_days_from_civil(1969, 12, 31) == -1, "1969-12-31 = -1");
    AS_CHECK(t, as_days_from_civil(1900, 1, 1) == -25567, "1900-01-01 = -25567");
    int y, m, d;
    as_civil_from_days(16436, &y, &m, &d);
    AS_CHECK(t, y == 2015 && m == 1 && d == 1, "16436 is 2015-01-01");
    as_civil_from_days(11016, &y, &m, &d);
    AS_CHECK(t, y == 2000 && m == 2 && d == 29, "11016 is 2000-02-29");
}

static void test_round_trip_every_day(as_test_state *t)
{
    /* Walk 1900-01-01 .. 2100-12-31 one day at a time with its own month lengths. */
    int32_t day = as_days_from_civil(1900, 1, 1);
    int bad = 0;
    long n = 0;
    for (int y = 1900; y <= 2100; y++) {
        for (int m = 1; m <= 12; m++) {
            for (int d = 1; d <= days_in_month(y, m); d++) {
                int yy, mm, dd;
                as_civil_from_days(day, &yy, &mm, &dd);
                if (as_days_from_civil(y, m, d) != day || yy != y || mm != m || dd != d) {
                    if (bad++ < 5) {
                        fprintf(stderr, "  %04d-%02d-%02d: day %ld\n", y, m, d, (long)day);
                    }
                }
                char buf[11], want[48];
                as_date_format(day, buf);
                snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, d);
                int32_t parsed = INT32_MIN;
                if (strcmp(buf, want) != 0 || as_date_parse(want, &parsed) != 0 || parsed != day) {
                    bad++;
                }
                day++;
                n++;
            }
        }
    }
    AS_CHECK(t, bad == 0, "%d days disagree", bad);
    AS_CHECK(t, n == 73414, "%ld days walked", n);
    AS_CHECK(t, day - 1 == as_days_from_civil(2100, 12, 31), "the walk ends on 2100-12-31");
}

static void test_parse_strict(as_test_state *t)
{
    int32_t days = 12345;
    AS_CHECK(t, as_date_parse("2016-02-29", &days) == 0 && days == as_days_from_civil(2016, 2, 29),
             "2016-02-29 accepted");
    static const char *bad[] = {"2015-02-29", "2015-13-01",  "2015-1-01",  "2015-01-01x",
                                "",           " 2015-01-01", "2015-00-10", "2015-04-31",
                                "2015-01-00", "1900-02-29",  "0999-12-31", "2015/01/01",
                                "2015-01-1",  "+015-01-01",  "2015-0a-01"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        days = 12345;
        AS_CHECK(t, as_date_parse(bad[i], &days) == -1, "\"%s\" rejected", bad[i]);
        AS_CHECK(t, days == 12345, "\"%s\" leaves the output untouched", bad[i]);
    }
    AS_CHECK(t, as_date_parse("2000-02-29", &days) == 0, "2000-02-29 accepted");
    AS_CHECK(t, as_date_parse("9999-12-31", &days) == 0, "9999-12-31 accepted");
    AS_CHECK(t, as_date_parse("1000-01-01", &days) == 0, "1000-01-01 accepted");
}

static void test_next_month_start(as_test_state *t)
{
    AS_CHECK(t,
             as_next_month_start(as_days_from_civil(2015, 1, 1)) == as_days_from_civil(2015, 2, 1),
             "from the first day");
    AS_CHECK(t,
             as_next_month_start(as_days_from_civil(2015, 1, 31)) == as_days_from_civil(2015, 2, 1),
             "from the last day");
    AS_CHECK(t,
             as_next_month_start(as_days_from_civil(2015, 12, 17)) ==
                     as_days_from_civil(2016, 1, 1),
             "across the year");
    AS_CHECK(t,
             as_next_month_start(as_days_from_civil(2016, 2, 29)) == as_days_from_civil(2016, 3, 1),
             "from a leap day");
    /* Every day of 2015-2017 maps to the first of the following month. */
    int bad = 0;
    for (int32_t d = as_days_from_civil(2015, 1, 1); d <= as_days_from_civil(2017, 12, 31); d++) {
        int y, m, dd, y2, m2, d2;
        as_civil_from_days(d, &y, &m, &dd);
        as_civil_from_days(as_next_month_start(d), &y2, &m2, &d2);
        bad += !(d2 == 1 &&
                 ((m < 12 && y2 == y && m2 == m + 1) || (m == 12 && y2 == y + 1 && m2 == 1)));
    }
    AS_CHECK(t, bad == 0, "%d days map wrongly", bad);
}

static void test_months_between(as_test_state *t)
{
    int32_t a = as_days_from_civil(2015, 1, 1);
    AS_CHECK(t, as_months_between(a, a) == 0, "same day");
    AS_CHECK(t, as_months_between(a, as_days_from_civil(2015, 1, 31)) == 0, "same month");
    AS_CHECK(t, as_months_between(a, as_days_from_civil(2015, 2, 1)) == 1, "next month");
    AS_CHECK(t,
             as_months_between(as_days_from_civil(2015, 1, 31), as_days_from_civil(2015, 2, 1)) ==
                     1,
             "a day apart, a month boundary between");
    AS_CHECK(t, as_months_between(a, as_days_from_civil(2026, 1, 1)) == 132, "11 years");
    AS_CHECK(t, as_months_between(as_days_from_civil(2026, 3, 15), a) == -134, "negative");
}

static void test_add_months(as_test_state *t)
{
    AS_CHECK(t,
             as_add_months(as_days_from_civil(2016, 1, 31), 1) == as_days_from_civil(2016, 2, 29),
             "31 Jan + 1 month is 29 Feb in a leap year");
    AS_CHECK(t,
             as_add_months(as_days_from_civil(2015, 1, 31), 1) == as_days_from_civil(2015, 2, 28),
             "31 Jan + 1 month is 28 Feb otherwise");
    AS_CHECK(t,
             as_add_months(as_days_from_civil(2015, 11, 30), 14) == as_days_from_civil(2017, 1, 30),
             "across two year ends");
    AS_CHECK(t,
             as_add_months(as_days_from_civil(2015, 3, 31), -1) == as_days_from_civil(2015, 2, 28),
             "backwards, clamped");
    AS_CHECK(t,
             as_add_months(as_days_from_civil(2015, 1, 15), -13) ==
                     as_days_from_civil(2013, 12, 15),
             "backwards across a year end");
    /* Every day of 2014-2021 and 0..30 months on: the day of the month kept, or the month's last
     * day, and the month the k-th after. */
    int bad = 0;
    for (int32_t d = as_days_from_civil(2014, 1, 1); d <= as_days_from_civil(2021, 12, 31); d++) {
        for (int k = 0; k <= 30; k++) {
            int y, mo, dd, y2, m2, d2;
            as_civil_from_days(d, &y, &mo, &dd);
            int32_t r = as_add_months(d, k);
            as_civil_from_days(r, &y2, &m2, &d2);
            int last = as_next_month_start(r) - r == 1;
            bad += !(as_months_between(d, r) == k && (d2 == dd || (d2 < dd && last)));
        }
    }
    AS_CHECK(t, bad == 0, "%d (day, months) pairs map wrongly", bad);
}

int main(void)
{
    as_test_state t = {0};
    AS_RUN(&t, test_known_anchors);
    AS_RUN(&t, test_round_trip_every_day);
    AS_RUN(&t, test_parse_strict);
    AS_RUN(&t, test_next_month_start);
    AS_RUN(&t, test_months_between);
    AS_RUN(&t, test_add_months);
    return as_test_finish(&t);
}
