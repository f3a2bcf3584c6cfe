/* Random streams for asylsim: Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as
 * 1, 2, 3", SC'11) written from the published algorithm and exposed as a gsl_rng_type, so every
 * gsl_ran_* distribution draws from it.
 *
 * A stream is named by (seed, replication, entity, process, substream). Its blocks are Philox
 * applied to the counter (block, substream, entity, replication << 8 | process) under the 64-bit
 * key `seed`, so two different names never share a counter and a change in how many numbers one
 * stream draws never moves another stream. The engine hands one gsl_rng per process to a
 * replication and re-points it with as_rng_seek() before each handler; nothing here allocates per
 * draw. */
#ifndef ASYLSIM_RNG_H
#define ASYLSIM_RNG_H

#include <assert.h>
#include <math.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

/* Largest replication index a stream can name (24 bits of the counter). */
#define AS_RNG_MAX_REPLICATION 0xFFFFFFu
/* Largest process number a stream can name (8 bits of the counter). */
#define AS_RNG_MAX_PROCESS 0xFFu

/* One Philox4x32 block with 10 rounds: out = Philox(ctr, key). Pure function. */
void as_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]);

/* The generator type: 32-bit integers; gsl_rng_uniform() returns a 53-bit double in [0, 1) built
 * from two 32-bit words (so each uniform costs two words). gsl_rng_set(r, s) points the generator
 * at stream (s, 0, 0, 0, 0). */
extern const gsl_rng_type *const as_rng_philox4x32;

/* A new generator of type as_rng_philox4x32; NULL if out of memory. Free with gsl_rng_free. */
gsl_rng *as_rng_create(void);

/* Re-points `r` (made by as_rng_create) at the start of the named stream. replication must be
 * <= AS_RNG_MAX_REPLICATION and process <= AS_RNG_MAX_PROCESS (asserted). */
void as_rng_seek(gsl_rng *r,
                 uint64_t seed,
                 uint32_t replication,
                 uint32_t entity,
                 uint32_t process,
                 uint32_t substream);

/* Number of 32-bit words drawn from `r` since its last seek (for draw-count contracts). */
uint64_t as_rng_words_drawn(const gsl_rng *r);

/* The generator's state, here only so that the two draws below can be inlined: the model draws
 * a few uniforms per event, and GSL's call through the type's function pointers cost more than
 * the drawing (bench/instructions). Touch it only through these functions. */
typedef struct as_philox_state {
    uint32_t key[2];
    uint32_t ctr[4]; /* ctr[0] is the block index within the stream */
    uint32_t buf[4]; /* the current block's output */
    unsigned next;   /* index of the next unused word of buf; 4 = empty */
    uint64_t drawn;  /* words drawn since the last seek */
} as_philox_state;

static inline uint32_t as_philox_next_word(as_philox_state *s)
{
    if (s->next >= 4) {
        as_philox4x32_10(s->ctr, s->key, s->buf);
        s->ctr[0]++; /* 2^32 blocks per stream; wrapping is asserted against in seek users */
        s->next = 0;
    }
    s->drawn++;
    return s->buf[s->next++];
}

/* A double in [0, 1) from the next two words: 53 random bits, 27 from the first word and 26 from
 * the second (as MT19937-64's genrand_res53). The generator type's get_double. */
static inline double as_philox_next_double(as_philox_state *s)
{
    uint32_t a = as_philox_next_word(s) >> 5;
    uint32_t b = as_philox_next_word(s) >> 6;
    return ((double)a * 67108864.0 + (double)b) * (1.0 / 9007199254740992.0);
}

/* The same number as gsl_rng_uniform(r) for r of type as_rng_philox4x32, without the call through
 * the type's function pointers. */
static inline double as_rng_uniform(gsl_rng *r)
{
    assert(r->type == as_rng_philox4x32);
    return as_philox_next_double(r->state);
}

/* The same number as GSL 2.7's gsl_ran_exponential(r, mu): -mu log(1 - U) (tests/unit/test_rng.c
 * compares the two). */
static inline double as_rng_exponential(gsl_rng *r, double mu)
{
    return -mu * log1p(-as_rng_uniform(r));
}

#endif
