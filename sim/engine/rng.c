/* Philox4x32-10 and its gsl_rng_type wrapper (see include/asylsim/rng.h). The round function and
 * the constants are those of the SC'11 paper; the known-answer vectors of Random123's
 * kat_vectors file are checked in tests/unit/test_rng.c. This file knows nothing of persons or
 * processes: the caller names a stream and draws from it. */
#include "asylsim/rng.h"

#include <assert.h>
#include <stdlib.h>

/* Multipliers and Weyl key increments of Philox4x32 (SC'11, Table 2 and section 4.2). */
#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

typedef as_philox_state philox_state;

static void philox_round(uint32_t c[4], const uint32_t k[2])
{
    uint64_t p0 = (uint64_t)PHILOX_M0 * c[0];
    uint64_t p1 = (uint64_t)PHILOX_M1 * c[2];
    uint32_t hi0 = (uint32_t)(p0 >> 32), lo0 = (uint32_t)p0;
    uint32_t hi1 = (uint32_t)(p1 >> 32), lo1 = (uint32_t)p1;
    uint32_t n0 = hi1 ^ c[1] ^ k[0];
    uint32_t n2 = hi0 ^ c[3] ^ k[1];
    c[0] = n0;
    c[1] = lo1;
    c[2] = n2;
    c[3] = lo0;
}

void as_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4])
{
    uint32_t c[4] = {ctr[0], ctr[1], ctr[2], ctr[3]};
    uint32_t k[2] = {key[0], key[1]};
    philox_round(c, k);
    for (int r = 1; r < 10; r++) {
        k[0] += PHILOX_W0;
        k[1] += PHILOX_W1;
        philox_round(c, k);
    }
    out[0] = c[0];
    out[1] = c[1];
    out[2] = c[2];
    out[3] = c[3];
}

static void philox_set(void *vstate, unsigned long seed)
{
    philox_state *s = vstate;
    uint64_t s64 = (uint64_t)seed;
    s->key[0] = (uint32_t)s64;
    s->key[1] = (uint32_t)(s64 >> 32);
    s->ctr[0] = s->ctr[1] = s->ctr[2] = s->ctr[3] = 0;
    s->next = 4;
    s->drawn = 0;
}

static unsigned long philox_get(void *vstate)
{
    return as_philox_next_word(vstate);
}

static double philox_get_double(void *vstate)
{
    return as_philox_next_double(vstate);
}

static const gsl_rng_type philox_type = {
        "philox4x32-10", /* name */
        0xFFFFFFFFUL,    /* max */
        0,               /* min */
        sizeof(philox_state),
        &philox_set,
        &philox_get,
        &philox_get_double,
};

const gsl_rng_type *const as_rng_philox4x32 = &philox_type;

gsl_rng *as_rng_create(void)
{
    return gsl_rng_alloc(as_rng_philox4x32);
}

void as_rng_seek(gsl_rng *r,
                 uint64_t seed,
                 uint32_t replication,
                 uint32_t entity,
                 uint32_t process,
                 uint32_t substream)
{
    assert(r->type == as_rng_philox4x32);
    assert(replication <= AS_RNG_MAX_REPLICATION);
    assert(process <= AS_RNG_MAX_PROCESS);
    philox_state *s = r->state;
    s->key[0] = (uint32_t)seed;
    s->key[1] = (uint32_t)(seed >> 32);
    s->ctr[0] = 0;
    s->ctr[1] = substream;
    s->ctr[2] = entity;
    s->ctr[3] = (replication << 8) | process;
    s->next = 4;
    s->drawn = 0;
}

uint64_t as_rng_words_drawn(const gsl_rng *r)
{
    assert(r->type == as_rng_philox4x32);
    const philox_state *s = r->state;
    return s->drawn;
}
