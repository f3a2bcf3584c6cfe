/* Chooses the structure of as_queue by measurement: the classic hold model (pop the least event,
 * push it back at its time plus an Exp(1) increment) on a binary heap, a 4-ary heap, an 8-ary
 * heap and a pairing heap, all written here privately on the same 24-byte event record and
 * ordered by (time, insertion sequence) exactly as as_queue is, a 4-ary heap with its keys in an
 * array apart and prefetching ("4-ary split"), and the library's as_queue
 * itself (the split 4-ary heap behind a function call, to show what the call costs; and with far
 * buckets of automatic width, as_queue_set_far(q, 0, ...), "as_queue, far"). Increments and initial
 * times are drawn from one Philox stream before any timing and shared by every variant, so the
 * table measures the queues only; every variant must pop the same sequence (checked by a hash),
 * which also cross-checks the tie-breaking.
 *
 * Usage: queue_variants [--quick] [--events M] [--reps R]
 * Prints, for pending N = 1e3, 1e4, 1e5, 1e6, the median over R repetitions (default 5) of
 * events/second with M hold operations (default 5e6; --quick: 5e5). */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>

#include "asylsim/engine.h"
#include "asylsim/rng.h"

/* ---------------------------------------------------------------------------------------------
 * The shared order. No NaN reaches a queue, so "not later" is "not greater".
 */

static inline int ev_less(const as_event *a, const as_event *b)
{
    return a->time < b->time || (!(b->time < a->time) && a->seq < b->seq);
}

/* ---------------------------------------------------------------------------------------------
 * d-ary implicit heaps, one copy per arity so the compiler sees D as a constant.
 */

typedef struct dheap {
    as_event *ev;
    size_t n, cap;
    uint64_t seq;
} dheap;

static int dheap_init(dheap *h, size_t cap)
{
    h->ev = malloc(cap * sizeof *h->ev);
    h->n = 0;
    h->cap = cap;
    h->seq = 0;
    return h->ev ? 0 : -1;
}

static void dheap_finish(dheap *h)
{
    free(h->ev);
}

#define DEFINE_DHEAP(NAME, D)                                                                      \
    static void NAME##_push(dheap *h, double time, uint32_t entity)                                \
    {                                                                                              \
        assert(h->n < h->cap);                                                                     \
        as_event x = {time, h->seq++, entity, 0, 0};                                               \
        size_t i = h->n++;                                                                         \
        while (i > 0) {                                                                            \
            size_t p = (i - 1) / (D);                                                              \
            if (!ev_less(&x, &h->ev[p])) {                                                         \
                break;                                                                             \
            }                                                                                      \
            h->ev[i] = h->ev[p];                                                                   \
            i = p;                                                                                 \
        }                                                                                          \
        h->ev[i] = x;                                                                              \
    }                                                                                              \
                                                                                                   \
    static int NAME##_pop(dheap *h, as_event *out)                                                 \
    {                                                                                              \
        if (h->n == 0) {                                                                           \
            return 0;                                                                              \
        }                                                                                          \
        *out = h->ev[0];                                                                           \
        as_event x = h->ev[--h->n];                                                                \
        size_t n = h->n, i = 0;                                                                    \
        for (;;) {                                                                                 \
            size_t c = (D)*i + 1;                                                                  \
            if (c >= n) {                                                                          \
                break;                                                                             \
            }                                                                                      \
            size_t end = c + (D) < n ? c + (D) : n, m = c;                                         \
            for (size_t k = c + 1; k < end; k++) {                                                 \
                if (ev_less(&h->ev[k], &h->ev[m])) {                                               \
                    m = k;                                                                         \
                }                                                                                  \
            }                                                                                      \
            if (!ev_less(&h->ev[m], &x)) {                                                         \
                break;                                                                             \
            }                                                                                      \
            h->ev[i] = h->ev[m];                                                                   \
            i = m;                                                                                 \
        }                                                                                          \
        h->ev[i] = x;                                                                              \
        return 1;                                                                                  \
    }

DEFINE_DHEAP(heap2, 2)
DEFINE_DHEAP(heap4, 4)
DEFINE_DHEAP(heap8, 8)

/* ---------------------------------------------------------------------------------------------
 * 4-ary heap with the keys apart: the times in one array, the rest of each record (seq, entity,
 * process, epoch) in a parallel one, and the grandchildren's keys prefetched on the way down, as
 * as_queue now does. The comparisons touch 8-byte keys, four children share half a cache line,
 * and the loads of the record bodies are off the critical path.
 */

typedef struct srest {
    uint64_t seq;
    uint32_t entity;
    uint16_t process, epoch;
} srest;

typedef struct sheap {
    double *key;
    srest *rest;
    size_t n, cap;
    uint64_t seq;
} sheap;

static int sheap_init(sheap *h, size_t cap)
{
    h->key = malloc(cap * sizeof *h->key);
    h->rest = malloc(cap * sizeof *h->rest);
    h->n = 0;
    h->cap = cap;
    h->seq = 0;
    return h->key && h->rest ? 0 : -1;
}

static void sheap_finish(sheap *h)
{
    free(h->key);
    free(h->rest);
}

static inline int s_less(const sheap *h, size_t a, double bt, uint64_t bseq)
{
    return h->key[a] < bt || (!(bt < h->key[a]) && h->rest[a].seq < bseq);
}

static void sheap_push(sheap *h, double time, uint32_t entity)
{
    assert(h->n < h->cap);
    srest x = {h->seq++, entity, 0, 0};
    size_t i = h->n++;
    while (i > 0) {
        size_t p = (i - 1) / 4;
        if (!(time < h->key[p] || (!(h->key[p] < time) && x.seq < h->rest[p].seq))) {
            break;
        }
        h->key[i] = h->key[p];
        h->rest[i] = h->rest[p];
        i = p;
    }
    h->key[i] = time;
    h->rest[i] = x;
}

static int sheap_pop(sheap *h, as_event *out)
{
    if (h->n == 0) {
        return 0;
    }
    *out = (as_event){h->key[0], h->rest[0].seq, h->rest[0].entity, 0, 0};
    size_t n = --h->n, i = 0;
    double xt = h->key[n];
    srest x = h->rest[n];
    for (;;) {
        size_t c = 4 * i + 1;
        if (c >= n) {
            break;
        }
        for (size_t g = 4 * c + 1, k = 0; k < 16 && g + k < n; k += 4) {
            __builtin_prefetch(&h->key[g + k]);
        }
        size_t end = n - c > 4 ? c + 4 : n, m = c;
        for (size_t k = c + 1; k < end; k++) {
            if (s_less(h, k, h->key[m], h->rest[m].seq)) {
                m = k;
            }
        }
        if (!s_less(h, m, xt, x.seq)) {
            break;
        }
        h->key[i] = h->key[m];
        h->rest[i] = h->rest[m];
        i = m;
    }
    h->key[i] = xt;
    h->rest[i] = x;
    return 1;
}

/* ---------------------------------------------------------------------------------------------
 * Pairing heap (Fredman, Sedgewick, Sleator and Tarjan 1986) with two-pass pop, its nodes in a
 * preallocated pool linked by 32-bit indices (no allocation per event).
 */

#define PNIL UINT32_MAX

typedef struct pnode {
    as_event ev;
    uint32_t child, sibling; /* leftmost child; next sibling (or next free node) */
} pnode;

typedef struct pheap {
    pnode *node;
    uint32_t root, free_list;
    size_t n;
    uint64_t seq;
} pheap;

static int pheap_init(pheap *h, size_t cap)
{
    assert(cap < PNIL);
    h->node = malloc(cap * sizeof *h->node);
    if (!h->node) {
        return -1;
    }
    for (size_t i = 0; i < cap; i++) {
        h->node[i].sibling = i + 1 < cap ? (uint32_t)(i + 1) : PNIL;
    }
    h->free_list = cap ? 0 : PNIL;
    h->root = PNIL;
    h->n = 0;
    h->seq = 0;
    return 0;
}

static void pheap_finish(pheap *h)
{
    free(h->node);
}

/* Links two roots (siblings cleared by the caller) and returns the new root. */
static inline uint32_t pheap_link(pnode *nd, uint32_t a, uint32_t b)
{
    if (ev_less(&nd[b].ev, &nd[a].ev)) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    nd[b].sibling = nd[a].child;
    nd[a].child = b;
    return a;
}

static void pheap_push(pheap *h, double time, uint32_t entity)
{
    uint32_t i = h->free_list;
    assert(i != PNIL);
    pnode *nd = h->node;
    h->free_list = nd[i].sibling;
    nd[i].ev = (as_event){time, h->seq++, entity, 0, 0};
    nd[i].child = PNIL;
    nd[i].sibling = PNIL;
    h->root = h->root == PNIL ? i : pheap_link(nd, h->root, i);
    h->n++;
}

static int pheap_pop(pheap *h, as_event *out)
{
    if (h->root == PNIL) {
        return 0;
    }
    pnode *nd = h->node;
    uint32_t r = h->root;
    *out = nd[r].ev;
    /* Pass 1: link the children in pairs, left to right, stacking the results in reverse. */
    uint32_t a = nd[r].child, stack = PNIL;
    while (a != PNIL) {
        uint32_t b = nd[a].sibling;
        if (b == PNIL) {
            nd[a].sibling = stack;
            stack = a;
            break;
        }
        uint32_t next = nd[b].sibling;
        nd[a].sibling = PNIL;
        nd[b].sibling = PNIL;
        uint32_t m = pheap_link(nd, a, b);
        nd[m].sibling = stack;
        stack = m;
        a = next;
    }
    /* Pass 2: link the pairs right to left. */
    uint32_t root = PNIL;
    while (stack != PNIL) {
        uint32_t next = nd[stack].sibling;
        nd[stack].sibling = PNIL;
        root = root == PNIL ? stack : pheap_link(nd, root, stack);
        stack = next;
    }
    h->root = root;
    nd[r].sibling = h->free_list;
    h->free_list = r;
    h->n--;
    return 1;
}

/* ---------------------------------------------------------------------------------------------
 * The hold model on each variant. The hash of the popped (time, seq) sequence proves every
 * variant did the same work in the same order.
 */

enum {
    V_HEAP2,
    V_HEAP4,
    V_HEAP8,
    V_SPLIT4,
    V_PAIRING,
    V_AS_QUEUE,
    V_AS_QUEUE_AUTO,
    V_COUNT
};
static const char *const variant_name[V_COUNT] = {"binary heap",  "4-ary heap",   "8-ary heap",
                                                  "4-ary split",  "pairing heap", "as_queue",
                                                  "as_queue, far"};

typedef struct workload {
    size_t pending;     /* N */
    size_t events;      /* M hold operations */
    const double *init; /* N initial times */
    const double *incr; /* M increments */
} workload;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static inline uint64_t mix(uint64_t h, const as_event *ev)
{
    uint64_t bits;
    memcpy(&bits, &ev->time, sizeof bits);
    h ^= bits + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
    h ^= ev->seq + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
    return h;
}

#define HOLD_LOOP(PUSH, POP, H)                                                                    \
    do {                                                                                           \
        for (size_t i = 0; i < w->pending; i++) {                                                  \
            PUSH(H, w->init[i], (uint32_t)i);                                                      \
        }                                                                                          \
        double t0 = now_seconds();                                                                 \
        for (size_t i = 0; i < w->events; i++) {                                                   \
            as_event ev;                                                                           \
            int ok = POP(H, &ev);                                                                  \
            assert(ok);                                                                            \
            (void)ok;                                                                              \
            hash = mix(hash, &ev);                                                                 \
            PUSH(H, ev.time + w->incr[i], ev.entity);                                              \
        }                                                                                          \
        seconds = now_seconds() - t0;                                                              \
    } while (0)

/* The library's queue, as the engine calls it (not inlined into the loop). */
static inline void lib_push(as_queue *q, double time, uint32_t entity)
{
    as_status st = as_queue_push(q, time, entity, 0, 0);
    assert(st == AS_OK);
    (void)st;
}

/* One timed run of variant v; returns events/second and sets *hash_out. */
static double run_once(int v, const workload *w, uint64_t *hash_out)
{
    uint64_t hash = 0;
    double seconds = 0;
    size_t cap = w->pending + 1;
    if (v == V_AS_QUEUE || v == V_AS_QUEUE_AUTO) {
        as_queue *q = as_queue_create(cap);
        if (!q || (v == V_AS_QUEUE_AUTO && as_queue_set_far(q, 0, NULL, NULL) != AS_OK)) {
            fprintf(stderr, "queue_variants: out of memory\n");
            exit(EXIT_FAILURE);
        }
        HOLD_LOOP(lib_push, as_queue_pop, q);
        as_queue_destroy(q);
    } else if (v == V_PAIRING) {
        pheap h;
        if (pheap_init(&h, cap) != 0) {
            fprintf(stderr, "queue_variants: out of memory\n");
            exit(EXIT_FAILURE);
        }
        HOLD_LOOP(pheap_push, pheap_pop, &h);
        pheap_finish(&h);
    } else if (v == V_SPLIT4) {
        sheap h;
        if (sheap_init(&h, cap) != 0) {
            fprintf(stderr, "queue_variants: out of memory\n");
            exit(EXIT_FAILURE);
        }
        HOLD_LOOP(sheap_push, sheap_pop, &h);
        sheap_finish(&h);
    } else {
        dheap h;
        if (dheap_init(&h, cap) != 0) {
            fprintf(stderr, "queue_variants: out of memory\n");
            exit(EXIT_FAILURE);
        }
        if (v == V_HEAP2) {
            HOLD_LOOP(heap2_push, heap2_pop, &h);
        } else if (v == V_HEAP4) {
            HOLD_LOOP(heap4_push, heap4_pop, &h);
        } else {
            HOLD_LOOP(heap8_push, heap8_pop, &h);
        }
        dheap_finish(&h);
    }
    *hash_out = hash;
    return (double)w->events / seconds;
}

static void usage(void)
{
    fprintf(stderr, "usage: queue_variants [--quick] [--events M] [--reps R]\n");
    exit(2);
}

static size_t parse_count(const char *s)
{
    char *end;
    double x = strtod(s, &end);
    if (*end != '\0' || !(x >= 1) || x > 1e12) {
        usage();
    }
    return (size_t)x;
}

int main(int argc, char **argv)
{
    size_t events = 5000000, reps = 5;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) {
            events = 500000;
        } else if (strcmp(argv[i], "--events") == 0 && i + 1 < argc) {
            events = parse_count(argv[++i]);
        } else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) {
            reps = parse_count(argv[++i]);
        } else {
            usage();
        }
    }
    enum {
        N_SIZES = 4
    };
    static const size_t pendings[N_SIZES] = {1000, 10000, 100000, 1000000};
    gsl_rng *r = as_rng_create();
    double *incr = malloc(events * sizeof *incr);
    double *init = malloc(pendings[N_SIZES - 1] * sizeof *init);
    double *rate = malloc(V_COUNT * reps * sizeof *rate);
    if (!r || !incr || !init || !rate) {
        fprintf(stderr, "queue_variants: out of memory\n");
        return EXIT_FAILURE;
    }
    /* Stream (2385, 0, 0, 0, substream): substream 0 for the initial times, 1 for increments. */
    as_rng_seek(r, 2385, 0, 0, 0, 0);
    for (size_t i = 0; i < pendings[N_SIZES - 1]; i++) {
        init[i] = gsl_ran_exponential(r, 1.0);
    }
    as_rng_seek(r, 2385, 0, 0, 0, 1);
    for (size_t i = 0; i < events; i++) {
        incr[i] = gsl_ran_exponential(r, 1.0);
    }
    printf("hold model: %zu hold operations (pop + push), Exp(1) increments pre-drawn, "
           "median of %zu runs, events/second\n",
           events, reps);
    printf("%-14s %12s %12s %12s %12s\n", "structure", "N = 1e3", "N = 1e4", "N = 1e5", "N = 1e6");
    /* Repetitions outer, variants inner: a slow spell of the machine hits every variant alike. */
    double table[V_COUNT][N_SIZES];
    int mismatch = 0;
    for (int k = 0; k < N_SIZES; k++) {
        workload w = {pendings[k], events, init, incr};
        uint64_t ref_hash = 0;
        for (size_t j = 0; j < reps; j++) {
            for (int v = 0; v < V_COUNT; v++) {
                uint64_t hash;
                rate[v * reps + j] = run_once(v, &w, &hash);
                if (v == 0 && j == 0) {
                    ref_hash = hash;
                } else if (hash != ref_hash) {
                    mismatch = 1;
                    fprintf(stderr, "queue_variants: %s popped a different sequence (N = %zu)\n",
                            variant_name[v], w.pending);
                }
            }
        }
        for (int v = 0; v < V_COUNT; v++) {
            double *x = rate + v * reps;
            gsl_sort(x, 1, reps);
            table[v][k] = reps % 2 ? x[reps / 2] : 0.5 * (x[reps / 2 - 1] + x[reps / 2]);
        }
    }
    for (int v = 0; v < V_COUNT; v++) {
        printf("%-14s %12.3e %12.3e %12.3e %12.3e\n", variant_name[v], table[v][0], table[v][1],
               table[v][2], table[v][3]);
    }
    free(rate);
    free(init);
    free(incr);
    gsl_rng_free(r);
    return mismatch ? EXIT_FAILURE : EXIT_SUCCESS;
}
