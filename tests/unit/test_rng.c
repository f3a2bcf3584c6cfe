/* Tests of the Philox streams: the published known-answer vectors, the gsl_rng_type contract,
 * uniformity of one stream and independence of neighbouring streams (chi-square and KS on 10^6
 * draws, tolerances from AS_TEST_Z). */
#include "asylsim/rng.h"

#include <stdint.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_sort.h>

#include "testutil.h"

static void test_known_answers(as_test_state *t)
{
    /* Random123 kat_vectors, "philox4x32 10" lines: counter[4] key[2] -> output[4]. */
    static const uint32_t kat[3][10] = {
            {0, 0, 0, 0, 0, 0, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
            {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x408f276d,
             0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
            {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, 0xd16cfe09,
             0x94fdcceb, 0x5001e420, 0x24126ea1},
    };
    for (int i = 0; i < 3; i++) {
        uint32_t out[4];
        as_philox4x32_10(&kat[i][0], &kat[i][4], out);
        for (int j = 0; j < 4; j++) {
            AS_CHECK(t, out[j] == kat[i][6 + j], "vector %d word %d: %08x != %08x", i, j,
                     (unsigned)out[j], (unsigned)kat[i][6 + j]);
        }
    }
}

static void test_stream_layout(as_test_state *t)
{
    /* The first word of stream (seed, rep, entity, process, sub) is word 0 of Philox applied to
     * counter (0, sub, entity, rep << 8 | process) under key (seed lo, seed hi). */
    gsl_rng *r = as_rng_create();
    uint64_t seed = 0x0123456789abcdefULL;
    as_rng_seek(r, seed, 7, 2385, 3, 11);
    uint32_t ctr[4] = {0, 11, 2385, (7u << 8) | 3u};
    uint32_t key[2] = {0x89abcdefu, 0x01234567u};
    uint32_t out[4];
    as_philox4x32_10(ctr, key, out);
    for (int j = 0; j < 4; j++) {
        unsigned long w = gsl_rng_get(r);
        AS_CHECK(t, w == out[j], "word %d", j);
    }
    ctr[0] = 1;
    as_philox4x32_10(ctr, key, out);
    AS_CHECK(t, gsl_rng_get(r) == out[0], "second block starts at counter 1");
    AS_CHECK(t, as_rng_words_drawn(r) == 5, "five words drawn");
    /* A uniform costs two words: a handler's draw count is part of its contract. */
    as_rng_seek(r, seed, 7, 2385, 3, 11);
    (void)gsl_rng_uniform(r);
    AS_CHECK(t, as_rng_words_drawn(r) == 2, "uniform costs two words");
    /* gsl_rng_set points at stream (seed, 0, 0, 0, 0). */
    gsl_rng_set(r, 42);
    uint32_t c0[4] = {0, 0, 0, 0}, k0[2] = {42, 0};
    as_philox4x32_10(c0, k0, out);
    AS_CHECK(t, gsl_rng_get(r) == out[0], "gsl_rng_set");
    AS_CHECK(t, strcmp(gsl_rng_name(r), "philox4x32-10") == 0, "name");
    AS_CHECK(t, gsl_rng_max(r) == 0xFFFFFFFFUL && gsl_rng_min(r) == 0, "range");
    gsl_rng_free(r);
}

static void test_seek_reproducible(as_test_state *t)
{
    gsl_rng *a = as_rng_create();
    gsl_rng *b = as_rng_create();
    as_rng_seek(a, 2385, 1, 2, 3, 4);
    double first[100];
    for (int i = 0; i < 100; i++) {
        first[i] = gsl_rng_uniform(a);
    }
    /* Another stream in between must not matter. */
    as_rng_seek(b, 2385, 1, 2, 4, 4);
    (void)gsl_rng_uniform(b);
    as_rng_seek(b, 2385, 1, 2, 3, 4);
    int same = 1;
    for (int i = 0; i < 100; i++) {
        if (memcmp(&first[i], &(double){gsl_rng_uniform(b)}, sizeof(double)) != 0) {
            same = 0;
        }
    }
    AS_CHECK(t, same, "re-seeking replays the same draws");
    gsl_rng_free(a);
    gsl_rng_free(b);
}

/* Chi-square p-value of `n` uniforms in `k` equal bins. */
static double chisq_uniform_p(const double *u, size_t n, size_t k)
{
    size_t *count = calloc(k, sizeof *count);
    for (size_t i = 0; i < n; i++) {
        size_t b = (size_t)(u[i] * (double)k);
        count[b < k ? b : k - 1]++;
    }
    double e = (double)n / (double)k, x2 = 0;
    for (size_t b = 0; b < k; b++) {
        x2 += ((double)count[b] - e) * ((double)count[b] - e) / e;
    }
    free(count);
    return gsl_cdf_chisq_Q(x2, (double)(k - 1));
}

/* Kolmogorov-Smirnov p-value (asymptotic) of `n` uniforms; sorts u. */
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

enum {
    N_DRAWS = 1000000
};

static void test_uniform_one_stream(as_test_state *t)
{
    static const uint64_t seeds[3] = {1, 2385, 0xfedcba9876543210ULL};
    double *u = malloc(N_DRAWS * sizeof *u);
    gsl_rng *r = as_rng_create();
    for (int s = 0; s < 3; s++) {
        as_rng_seek(r, seeds[s], 0, 0, 0, 0);
        for (size_t i = 0; i < N_DRAWS; i++) {
            u[i] = gsl_rng_uniform(r);
        }
        double p = chisq_uniform_p(u, N_DRAWS, 1000);
        AS_CHECK(t, p > as_test_p_min(), "seed %d chi-square p = %g", s, p);
        p = ks_uniform_p(u, N_DRAWS);
        AS_CHECK(t, p > as_test_p_min(), "seed %d KS p = %g", s, p);
    }
    gsl_rng_free(r);
    free(u);
}

/* First uniform of each of N_DRAWS neighbouring streams along one coordinate (0 entity,
 * 1 process, 2 substream, 3 replication, 4 seed), paired with its neighbour's. */
static void neighbour_pairs(int coord, double *u, double *v)
{
    gsl_rng *r = as_rng_create();
    for (uint32_t i = 0; i < N_DRAWS; i++) {
        for (int side = 0; side < 2; side++) {
            uint32_t j = i + (uint32_t)side;
            switch (coord) {
            case 0:
                as_rng_seek(r, 2385, 3, j, 5, 0);
                break;
            case 1:
                as_rng_seek(r, 2385, 3, i, (j & 1u) ? 6 : 5, 0);
                break;
            case 2:
                as_rng_seek(r, 2385, 3, i, 5, j);
                break;
            case 3:
                as_rng_seek(r, 2385, j & 0xFFFFFFu, 7, 5, 0);
                break;
            default:
                as_rng_seek(r, 2385 + (uint64_t)j, 3, 7, 5, 0);
                break;
            }
            (side ? v : u)[i] = gsl_rng_uniform(r);
        }
    }
    gsl_rng_free(r);
}

static void test_neighbour_streams_independent(as_test_state *t)
{
    double *u = malloc(N_DRAWS * sizeof *u), *v = malloc(N_DRAWS * sizeof *v);
    static const char *names[5] = {"entity", "process", "substream", "replication", "seed"};
    for (int c = 0; c < 5; c++) {
        neighbour_pairs(c, u, v);
        /* Joint 20 x 20 histogram of (u, v): chi-square against independence. */
        enum {
            K = 20
        };
        double count[K * K] = {0};
        for (size_t i = 0; i < N_DRAWS; i++) {
            count[(size_t)(u[i] * K) * K + (size_t)(v[i] * K)] += 1;
        }
        double e = (double)N_DRAWS / (K * K), x2 = 0;
        for (int b = 0; b < K * K; b++) {
            x2 += (count[b] - e) * (count[b] - e) / e;
        }
        double p = gsl_cdf_chisq_Q(x2, K * K - 1);
        AS_CHECK(t, p > as_test_p_min(), "%s: joint chi-square p = %g", names[c], p);
        /* Correlation: under independence its sd is 1/sqrt(n). */
        double su = 0, sv = 0, suv = 0, suu = 0, svv = 0;
        for (size_t i = 0; i < N_DRAWS; i++) {
            su += u[i];
            sv += v[i];
            suv += u[i] * v[i];
            suu += u[i] * u[i];
            svv += v[i] * v[i];
        }
        double n = N_DRAWS;
        double cov = suv / n - (su / n) * (sv / n);
        double rho = cov / sqrt((suu / n - (su / n) * (su / n)) * (svv / n - (sv / n) * (sv / n)));
        AS_CHECK(t, as_within_z(rho, 0, 1 / sqrt(n)), "%s: correlation %g", names[c], rho);
        /* Each margin uniform (KS). */
        double pu = ks_uniform_p(v, N_DRAWS);
        AS_CHECK(t, pu > as_test_p_min(), "%s: KS of neighbours p = %g", names[c], pu);
    }
    free(u);
    free(v);
}

static void test_gsl_distributions(as_test_state *t)
{
    /* Any gsl_ran_* works on the type: an exponential mean and a Poisson mean. */
    gsl_rng *r = as_rng_create();
    as_rng_seek(r, 99, 0, 1, 2, 3);
    const size_t n = 200000;
    const double mu = 2.385;
    double s = 0, sp = 0;
    for (size_t i = 0; i < n; i++) {
        s += gsl_ran_exponential(r, mu);
        sp += gsl_ran_poisson(r, mu);
    }
    AS_CHECK(t, as_within_z(s / n, mu, mu / sqrt((double)n)), "exponential mean %g", s / n);
    AS_CHECK(t, as_within_z(sp / n, mu, sqrt(mu / n)), "poisson mean %g", sp / n);
    gsl_rng_free(r);
}

/* The inlined draws give the very numbers of the GSL calls they stand for, interleaved on one
 * stream and across seeks (a block half used by one kind of call continued by the other). */
static void test_inline_draws_match_gsl(as_test_state *t)
{
    gsl_rng *a = as_rng_create(), *b = as_rng_create();
    if (!a || !b) {
        AS_CHECK(t, 0, "out of memory");
        return;
    }
    long differ = 0;
    for (uint32_t e = 0; e < 2000; e++) {
        as_rng_seek(a, 2385, 3, e, 7, e % 5);
        as_rng_seek(b, 2385, 3, e, 7, e % 5);
        for (int k = 0; k < 50; k++) {
            double x, y;
            if ((k + (int)e) % 3 == 0) {
                x = as_rng_uniform(a);
                y = gsl_rng_uniform(b);
            } else if ((k + (int)e) % 3 == 1) {
                x = as_rng_exponential(a, 1.0);
                y = gsl_ran_exponential(b, 1.0);
            } else {
                x = as_rng_exponential(a, 37.5);
                y = gsl_ran_exponential(b, 37.5);
            }
            differ += memcmp(&x, &y, sizeof x) != 0; /* bit for bit */
            if (k % 7 == 0) { /* an odd word drawn between: block boundaries move */
                differ += gsl_rng_get(a) != gsl_rng_get(b);
            }
        }
        differ += as_rng_words_drawn(a) != as_rng_words_drawn(b);
    }
    AS_CHECK(t, differ == 0, "%ld of 100,000 draws differ from GSL's", differ);
    gsl_rng_free(a);
    gsl_rng_free(b);
}

int main(void)
{
    as_test_state t = {0};
    AS_RUN(&t, test_known_answers);
    AS_RUN(&t, test_stream_layout);
    AS_RUN(&t, test_seek_reproducible);
    AS_RUN(&t, test_uniform_one_stream);
    AS_RUN(&t, test_neighbour_streams_independent);
    AS_RUN(&t, test_gsl_distributions);
    AS_RUN(&t, test_inline_draws_match_gsl);
    return as_test_finish(&t);
}
