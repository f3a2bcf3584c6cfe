/* The event queue (include/asylsim/engine.h): an implicit 4-ary min-heap ordered by (time, seq),
 * where seq is a counter assigned at push, so equal times pop in insertion order. It grows by
 * doubling and never shrinks, so once warm it does not allocate. Stale events and epochs are the
 * engine's business (engine.c); this file only orders records.
 *
 * Layout: the times live in one array and the rest of each event (seq, entity, process, epoch:
 * 16 bytes) in a parallel one, moved together. Choosing a child compares times only (the seq is
 * read on a tie), so a family of four children is 32 bytes of one or two cache lines instead of
 * 96 bytes over two or three, and the loads of the record bodies are off the critical path. On the
 * way down the grandchildren's times are prefetched while the children are compared: in a large
 * queue each level is a cache miss, and this overlaps them. Peek returns a copy of the least
 * event kept in the struct, since no as_event is stored whole.
 *
 * The structure was chosen by measurement: bench/queue_variants.c runs the hold model (pop the
 * least event, push it back at time + Exp(1), increments pre-drawn) with 5e6 hold operations,
 * median of 5 interleaved runs, in events/second; gcc 12 (-O3 release, asserts on), a 2-core AMD
 * EPYC VM with another job running on one core:
 *
 *     structure        N = 1e3    N = 1e4    N = 1e5    N = 1e6
 *     binary heap      1.349e7    9.692e6    6.517e6    2.259e6
 *     4-ary heap       1.347e7    9.275e6    6.283e6    3.013e6   (24-byte records)
 *     8-ary heap       1.278e7    8.701e6    6.147e6    3.167e6
 *     4-ary split      1.276e7    9.155e6    7.081e6    3.694e6   (times apart, prefetch)
 *     pairing heap     9.388e6    5.894e6    2.902e6    5.156e5
 *     as_queue         1.312e7    9.781e6    6.763e6    2.746e6   (this file, through the library)
 *
 * Runs vary by +-10% at 1e5 and +-15% at 1e6 (as_queue's 1e6 figure above is such a low run: in
 * three interleaved runs of bench/hold --pending 1e6 it made 3.0-3.5e6 against 2.2-3.1e6 for the
 * former 24-byte-record as_queue). At 1e3 everything fits in L1 and the layouts tie; from 1e5 the
 * split layout leads the 24-byte 4-ary heap by 10-15% at 1e5 and 20-40% at 1e6. Tried and
 * dropped: branch-free selection of the least child (cmov chains lengthen the dependency from one
 * level to the next and lost 10-15%: the predicted branches let the next level's loads start
 * early), a hole left at the root by pop and filled by the next push (no gain), cache-line
 * alignment of the families (no gain), 8 and 16 children on the split layout (more comparisons,
 * slower). The 8-ary heap with 24-byte records was close at 1e6 only; the pairing heap's pointer
 * chasing lost everywhere. bench/compare-hold compares bench/hold with a bare 4-ary heap loop and
 * SimPy.
 *
 * Far events (as_queue_set_far, which the engine's user turns on: the model with a fixed width,
 * bench/hold with the automatic one). A model whose events are mostly months ahead and often
 * re-timed keeps a heap of thousands (millions at scale-eu) in which a quarter of the pops were
 * stale. With a bucket width W, an event whose bucket (bucket_of: about time / W) is later than
 * the heap's current bucket goes unsorted into a ring of 256 buckets (or an overflow list beyond
 * it); when the heap runs empty, the next bucket comes in and the caller's liveness test drops its
 * stale events on the way. Every far event is later than every heap event (the bucket is monotone
 * in time), so pops come in exactly the same (time, seq) order as with the heap alone;
 * tests/unit/test_engine.c checks the engine against its reference with and without buckets. The
 * model's width is 4 days (bench/instructions, 2026-12-02: 1, 2, 4, 8, 16 and 32 days took 3,056,
 * 3,048, 3,064, 3,085, 3,112 and 3,140 instructions per event; an earlier model had done worse with
 * 4 than with 32).
 *
 * Width 0 lets the queue choose the width from the events' density and change it as that changes
 * (see "Automatic width" below; tests/unit/test_queue.c checks it pops exactly as the heap alone
 * through jumps of the time scale by up to 1e6). bench/queue_variants, median of 3, busy host
 * (2026-12-02), events/second:
 *
 *     structure        N = 1e3    N = 1e4    N = 1e5    N = 1e6
 *     4-ary split      1.247e7    8.035e6    6.774e6    3.108e6
 *     4-ary handles    1.253e7    8.272e6    6.868e6    3.144e6   (12 bytes per level moved)
 *     as_queue         1.021e7    8.463e6    6.605e6    2.853e6
 *     as_queue, far    1.039e7    8.370e6    9.977e6    7.906e6   (automatic width)
 *
 * ("4-ary handles": the split heap moving (time, 32-bit handle) and leaving each record's body in
 * a slot of its own from push to pop; within noise of the split heap, so it was dropped again:
 * its code is in bench/queue_variants.c of commit a2b543a.)
 *
 * Below 16,384 events the automatic queue is the heap alone (in cache, the heap is as fast as
 * anything); above, its heap holds a bucket of about 2,048 events and the rest wait unsorted.
 * Targets of 512 to 4,096 events per bucket and starts at 16,384 or 32,768 were measured on
 * bench/hold: 2,048 from 16,384 was best or within noise of it at 2e4, 5e4, 1e5 and 1e6 pending.
 * Spilling the overflow into the ring only when its first bucket is due (not as soon as it fits
 * the ring) scans it once per 256 buckets instead of once per bucket. */
#include "asylsim/engine.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "sim/engine/heap.h"

/* Arity of the heap: children of i are D*i+1 .. D*i+D, its parent (i-1)/D. */
#define D 4

/* Everything of an as_event but its time, stored beside it (see the note at the top). */
typedef struct rest {
    uint64_t seq;
    uint32_t entity;
    uint16_t process;
    uint16_t epoch;
} rest;

/* An unordered list of events waiting in a far bucket. */
typedef struct bucket {
    double *time;
    rest *rest;
    size_t n, cap;
} bucket;

/* Far buckets in the ring: bucket b (> cur) sits at ring[b % RING] while b <= cur + RING - 1. */
#define RING 256
/* Room (events) an emptied bucket may keep. */
#define BUCKET_KEEP 1024
/* Automatic width: events per bucket aimed at, the heap size at which buckets begin, and the
 * buckets a width is judged over before it is re-scaled. */
#define AUTO_TARGET 2048
#define AUTO_START  (8 * AUTO_TARGET)
#define AUTO_JUDGE  64

struct as_queue {
    double *time;   /* the heap's keys; time[0] is the least */
    rest *rest;     /* rest[i] belongs to time[i] */
    size_t n;       /* events in the heap */
    size_t cap;     /* room in time and rest */
    uint64_t seq;   /* sequence number of the next push */
    as_event least; /* a copy of event 0 when n > 0, for peek */

    /* Far events (as_queue_set_far): width > 0 puts an event of bucket (bucket_of, about
     * time / width) > cur in a bucket, not the heap; the heap holds the buckets <= cur. Every far
     * event is later than every heap event, so the least of the heap is the least of all, and the
     * heap is never empty while a bucket is not. */
    double width;                               /* days per bucket; 0: heap only */
    int (*keep)(const as_event *ev, void *ctx); /* NULL, or drops events on their way in */
    void *keep_ctx;
    /* 1 / width, or 0 when that is not finite (bucket_of divides then). */
    double inv_width;
    int64_t cur;        /* last bucket moved into the heap */
    bucket *ring;       /* RING buckets */
    bucket over;        /* buckets beyond the ring */
    int64_t over_min;   /* least bucket in `over`; INT64_MAX if empty */
    size_t n_far;       /* events in ring and over */
    size_t n_ring;      /* of which in the ring */
    uint64_t n_dropped; /* events `keep` dropped */
    int failed;         /* the heap could not grow to take a bucket in: the queue is stuck */
    size_t max_cap;     /* tests: the heap's room never exceeds this (0: no limit) */

    /* Automatic width (as_queue_set_far with width 0; see "Automatic width" below). */
    int autow;          /* the width is the queue's to choose */
    size_t split_at;    /* heap size at which the width is narrowed (and buckets begin) */
    uint64_t pulled;    /* events the buckets brought in since the width last changed */
    uint64_t steps;     /* buckets moved into the heap since then */
    uint64_t n_rewidth; /* width changes since the last clear */
};

/* Sets the bucket width (0: heap only) and its reciprocal. */
static void set_width(as_queue *q, double w)
{
    q->width = w;
    q->inv_width = w > 0 && isfinite(1.0 / w) ? 1.0 / w : 0.0;
}

/* (time, seq) order of slots a and b. NaN never enters (asserted in push), so "not later" is "not
 * greater"; the sequence numbers are read only on a tie. */
static inline int slot_less(const double *time, const rest *r, size_t a, size_t b)
{
    return time[a] < time[b] || (!(time[b] < time[a]) && r[a].seq < r[b].seq);
}

/* (time, seq) order of an event held outside the arrays against slot b, and the reverse. */
static inline int x_less(double xt, uint64_t xseq, const double *time, const rest *r, size_t b)
{
    return xt < time[b] || (!(time[b] < xt) && xseq < r[b].seq);
}

static inline int less_x(const double *time, const rest *r, size_t a, double xt, uint64_t xseq)
{
    return time[a] < xt || (!(xt < time[a]) && r[a].seq < xseq);
}

static void set_least(as_queue *q)
{
    const rest *r = &q->rest[0];
    q->least = (as_event){q->time[0], r->seq, r->entity, r->process, r->epoch};
}

as_queue *as_queue_create(size_t capacity)
{
    as_queue *q = calloc(1, sizeof *q);
    if (!q) {
        return NULL;
    }
    if (capacity > 0) {
        if (capacity > SIZE_MAX / sizeof *q->rest) {
            free(q);
            return NULL;
        }
        q->time = malloc(capacity * sizeof *q->time);
        q->rest = malloc(capacity * sizeof *q->rest);
        if (!q->time || !q->rest) {
            as_queue_destroy(q);
            return NULL;
        }
        q->cap = capacity;
    }
    return q;
}

void as_queue_destroy(as_queue *q)
{
    if (!q) {
        return;
    }
    free(q->time);
    free(q->rest);
    if (q->ring) {
        for (size_t k = 0; k < RING; k++) {
            free(q->ring[k].time);
            free(q->ring[k].rest);
        }
        free(q->ring);
    }
    free(q->over.time);
    free(q->over.rest);
    free(q);
}

void as_queue_clear(as_queue *q)
{
    q->n = 0;
    q->seq = 0;
    if (q->ring) {
        for (size_t k = 0; k < RING; k++) {
            q->ring[k].n = 0;
        }
    }
    q->over.n = 0;
    q->over_min = INT64_MAX;
    q->n_far = q->n_ring = 0;
    q->n_dropped = 0;
    q->failed = 0;
    if (q->autow) {
        set_width(q, 0); /* the next run learns its own scale */
        q->split_at = AUTO_START;
        q->pulled = q->steps = q->n_rewidth = 0;
    }
}

/* Reallocates a pair of time and rest arrays to `cap` events; -1 if out of memory (the time array
 * may have grown already: harmless, the caller keeps its old room and the next call reuses it). */
static int resize(double **time, rest **r, size_t cap)
{
    double *t = realloc(*time, cap * sizeof *t);
    if (!t) {
        return -1;
    }
    *time = t;
    rest *x = realloc(*r, cap * sizeof *x);
    if (!x) {
        return -1;
    }
    *r = x;
    return 0;
}

/* Doubles the room (at least 16 events); -1 if out of memory, room unchanged (an array may have
 * grown already; the next call reuses it). */
static int grow(as_queue *q)
{
    if (q->max_cap && q->cap >= q->max_cap) {
        return -1; /* tests: as if out of memory */
    }
    size_t cap = q->cap < 16 ? 16 : q->cap;
    if (q->cap >= 16) {
        if (cap > SIZE_MAX / 2 / sizeof *q->rest) {
            return -1;
        }
        cap *= 2;
    }
    if (resize(&q->time, &q->rest, cap) != 0) {
        return -1;
    }
    q->cap = cap;
    return 0;
}

/* Moves (xt, x) up from the hole at i; returns where it landed. */
static size_t sift_up(double *time, rest *r, size_t i, double xt, rest x)
{
    while (i > 0) {
        size_t p = (i - 1) / D;
        if (!x_less(xt, x.seq, time, r, p)) {
            break;
        }
        time[i] = time[p];
        r[i] = r[p];
        i = p;
    }
    time[i] = xt;
    r[i] = x;
    return i;
}

/* Asks for the keys of the grandchildren of the hole while its children are compared, so the next
 * level's loads overlap this level's work (memory latency dominates in large queues). */
static inline void prefetch_keys(const double *time, size_t n, size_t i)
{
    size_t g = D * (D * i + 1) + 1; /* first grandchild; the D * D of them are contiguous */
    if (g + D * D <= n) {
        __builtin_prefetch(&time[g]);
        __builtin_prefetch(&time[g + D]);
        __builtin_prefetch(&time[g + 2 * D]);
        __builtin_prefetch(&time[g + 3 * D]);
    }
}

/* Moves (xt, x) down from the hole at i in a heap of n events. */
static void sift_down(double *time, rest *r, size_t n, size_t i, double xt, rest x)
{
    for (;;) {
        size_t c = D * i + 1;
        if (c >= n) {
            break;
        }
        prefetch_keys(time, n, i);
        size_t end = n - c > D ? c + D : n, m = c;
        for (size_t k = c + 1; k < end; k++) {
            if (slot_less(time, r, k, m)) {
                m = k;
            }
        }
        if (!less_x(time, r, m, xt, x.seq)) {
            break;
        }
        time[i] = time[m];
        r[i] = r[m];
        i = m;
    }
    time[i] = xt;
    r[i] = x;
}

/* The bucket of time t: floor(t x (1 / width)), monotone in t (a product with a positive constant
 * is), which is all the queue needs of it: the pop order does not depend on how times fall into
 * buckets. Times too far to count go to the last. A multiplication and a truncation instead of a
 * division and floor(): 0.9% of the model's instructions (bench/instructions). */
static int64_t bucket_of(const as_queue *q, double t)
{
    double b = q->inv_width > 0 ? t * q->inv_width : t / q->width;
    if (b >= 0 && b < 4.0e18) {
        return (int64_t)b; /* truncation is floor here */
    }
    b = floor(b);
    if (!(b < 4.0e18)) {
        return INT64_MAX / 2;
    }
    if (!(b > -4.0e18)) {
        return -INT64_MAX / 2;
    }
    return (int64_t)b;
}

/* Appends (t, x) to bucket k; -1 if out of memory (bucket unchanged). */
static int bucket_add(bucket *k, double t, rest x)
{
    if (k->n == k->cap) {
        size_t cap = k->cap ? 2 * k->cap : 64;
        if (cap > SIZE_MAX / sizeof *k->rest) {
            return -1;
        }
        if (resize(&k->time, &k->rest, cap) != 0) {
            return -1;
        }
        k->cap = cap;
    }
    k->time[k->n] = t;
    k->rest[k->n] = x;
    k->n++;
    return 0;
}

/* Files (t, x), of bucket b > cur, in the ring or, beyond it, the overflow; -1 if out of memory
 * (queue unchanged). */
static int file_far(as_queue *q, int64_t b, double t, rest x)
{
    assert(b > q->cur);
    bucket *k = b <= q->cur + RING - 1 ? &q->ring[(uint64_t)b % RING] : &q->over;
    if (bucket_add(k, t, x) != 0) {
        return -1;
    }
    if (k == &q->over) {
        q->over_min = b < q->over_min ? b : q->over_min;
    } else {
        q->n_ring++;
    }
    q->n_far++;
    return 0;
}

/* Moves the events of `over` that now fall inside the ring into it (the ring's buckets have
 * room: each grew to hold them before, or grows now; on failure they stay in `over`, where the
 * next call finds them). */
static void spill_over(as_queue *q)
{
    int64_t last = q->cur + RING - 1, least = INT64_MAX;
    size_t kept = 0;
    for (size_t i = 0; i < q->over.n; i++) {
        double t = q->over.time[i];
        int64_t b = bucket_of(q, t);
        if (b <= last && bucket_add(&q->ring[(uint64_t)b % RING], t, q->over.rest[i]) == 0) {
            q->n_ring++;
            continue;
        }
        least = b < least ? b : least;
        q->over.time[kept] = t;
        q->over.rest[kept++] = q->over.rest[i];
    }
    q->over.n = kept;
    q->over_min = least;
}

/* Floyd's heap construction over time[0..n) and r[0..n): sift down every parent, last first;
 * O(n) in all. */
static void heapify(double *time, rest *r, size_t n)
{
    if (n > 1) {
        for (size_t i = (n - 2) / D + 1; i-- > 0;) {
            sift_down(time, r, n, i, time[i], r[i]);
        }
    }
}

/* Room for `need` events in bucket k; -1 if out of memory (bucket unchanged but for its room). */
static int bucket_reserve(bucket *k, size_t need)
{
    if (k->cap >= need) {
        return 0;
    }
    size_t cap = need < 64 ? 64 : need;
    if (cap > SIZE_MAX / sizeof *k->rest || resize(&k->time, &k->rest, cap) != 0) {
        return -1;
    }
    k->cap = cap;
    return 0;
}

/* ---------------------------------------------------------------------------------------------
 * Automatic width (as_queue_set_far(q, 0, ...)). The best width depends on how densely the
 * events lie in time, which the queue's user may not know (bench/hold's Exp(1) increments, a
 * model whose scale changes with its scenario), so the queue measures it:
 * - heap only until the heap holds AUTO_START events; then, and whenever the heap reaches
 *   split_at again, the width becomes the heap's time span x AUTO_TARGET / its size (the heap's
 *   events spread over AUTO_TARGET-sized buckets);
 * - once AUTO_JUDGE buckets have come in at fewer than AUTO_TARGET / 8 or more than
 *   4 x AUTO_TARGET events each on average, the width changes by the factor that would have
 *   brought AUTO_TARGET (at most 256).
 * A change of width re-files every event (rebucket, O(events)); split_at doubles past the heap's
 * size after each, so a queue whose events share a time cannot make it thrash. The order of pops
 * is the same for every width (every far event is later than every heap event), so the width is
 * free to change in mid-run without moving a single output. Out of memory while re-filing keeps
 * the old width. */

/* Re-files every event under width w: the heap takes the bucket of the least event, the ring and
 * the overflow the rest. Returns 0, or -1 (queue unchanged) if the room could not be made. */
static int rebucket(as_queue *q, double w)
{
    assert(w > 0 && isfinite(w));
    size_t total = q->n + q->n_far;
    if (total == 0) {
        set_width(q, w);
        return 0;
    }
    double *t = malloc(total * sizeof *t);
    rest *x = malloc(total * sizeof *x);
    if (!t || !x) {
        free(t);
        free(x);
        return -1;
    }
    size_t j = 0;
    for (size_t i = 0; i < q->n; i++, j++) {
        t[j] = q->time[i];
        x[j] = q->rest[i];
    }
    bucket *all[RING + 1];
    for (size_t k = 0; k < RING; k++) {
        all[k] = &q->ring[k];
    }
    all[RING] = &q->over;
    for (size_t k = 0; k <= RING; k++) {
        for (size_t i = 0; i < all[k]->n; i++, j++) {
            t[j] = all[k]->time[i];
            x[j] = all[k]->rest[i];
        }
    }
    assert(j == total);
    double least = q->n > 0 ? q->time[0] : t[0];
    for (size_t i = 0; q->n == 0 && i < total; i++) {
        least = t[i] < least ? t[i] : least;
    }
    /* Count where each event goes under the new width and make the room first, so that a failure
     * leaves the queue as it was. */
    double old_w = q->width;
    set_width(q, w);
    int64_t cur = bucket_of(q, least);
    size_t n_heap = 0, n_over = 0, cnt[RING] = {0};
    for (size_t i = 0; i < total; i++) {
        int64_t b = bucket_of(q, t[i]);
        if (b <= cur) {
            n_heap++;
        } else if (b <= cur + RING - 1) {
            cnt[(uint64_t)b % RING]++;
        } else {
            n_over++;
        }
    }
    int ok = bucket_reserve(&q->over, n_over) == 0;
    for (size_t k = 0; ok && k < RING; k++) {
        ok = bucket_reserve(&q->ring[k], cnt[k]) == 0;
    }
    while (ok && q->cap < n_heap) {
        ok = grow(q) == 0;
    }
    if (!ok) {
        set_width(q, old_w);
        free(t);
        free(x);
        return -1;
    }
    q->n = 0;
    for (size_t k = 0; k <= RING; k++) {
        all[k]->n = 0;
    }
    q->n_far = q->n_ring = 0;
    q->over_min = INT64_MAX;
    q->cur = cur;
    for (size_t i = 0; i < total; i++) {
        int64_t b = bucket_of(q, t[i]);
        if (b <= cur) {
            q->time[q->n] = t[i];
            q->rest[q->n++] = x[i];
            continue;
        }
        int filed = file_far(q, b, t[i], x[i]); /* cannot fail: room made above */
        assert(filed == 0);
        (void)filed;
    }
    free(t);
    free(x);
    heapify(q->time, q->rest, q->n);
    set_least(q);
    q->pulled = q->steps = 0;
    q->split_at = 2 * q->n > AUTO_START ? 2 * q->n : AUTO_START;
    q->n_rewidth++;
    return 0;
}

/* The heap reached split_at: narrows the width to spread the heap's events over buckets of about
 * AUTO_TARGET. A heap of one time, or a failure, waits until the heap doubles. */
static void auto_split(as_queue *q)
{
    double lo = q->time[0], hi = lo;
    for (size_t i = 1; i < q->n; i++) {
        hi = q->time[i] > hi ? q->time[i] : hi;
    }
    double w = (hi - lo) / (double)q->n * AUTO_TARGET;
    /* The span guesses well for evenly spread times only; narrow until the least event's bucket
     * holds at most 2 x AUTO_TARGET of the heap's (each pass shrinks w; skewed times take a few).
     */
    for (int pass = 0; pass < 16 && w > 0 && isfinite(w); pass++) {
        double b0 = floor(lo / w);
        size_t in_first = 0;
        for (size_t i = 0; i < q->n; i++) {
            in_first += floor(q->time[i] / w) <= b0;
        }
        if (in_first <= 2 * AUTO_TARGET) {
            break;
        }
        w *= (double)AUTO_TARGET / (double)in_first;
    }
    if (!(w > 0 && isfinite(w) && (!(q->width > 0) || w < q->width)) || rebucket(q, w) != 0) {
        q->split_at = 2 * q->n;
    }
}

/* Before a refill: re-scales the width when the last AUTO_JUDGE buckets brought in on average
 * fewer than AUTO_TARGET / 8 or more than 4 x AUTO_TARGET events each (see above). */
static void auto_rescale(as_queue *q)
{
    if (q->steps < AUTO_JUDGE ||
        (q->pulled * 8 >= q->steps * AUTO_TARGET && q->pulled <= q->steps * 4 * AUTO_TARGET)) {
        return;
    }
    double f = (double)AUTO_TARGET * (double)q->steps / (double)(q->pulled > 0 ? q->pulled : 1);
    double w = q->width * (f < 256 ? f : 256);
    if (!(w > 0 && isfinite(w)) || rebucket(q, w) != 0) {
        q->pulled = q->steps = 0; /* judge again later */
    }
}

/* With the heap empty and far events waiting: moves the next non-empty bucket into the heap,
 * dropping what `keep` refuses, until the heap holds something or nothing is left. If the heap
 * cannot grow to take a bucket, the queue is marked failed and pops nothing more (the bucket
 * stays where it is; as_queue_failed tells the caller). */
static void refill(as_queue *q)
{
    if (q->autow) {
        auto_rescale(q); /* may fill the heap itself */
    }
    while (q->n == 0 && q->n_far > 0 && !q->failed) {
        if (q->n_ring == 0) {
            q->cur = q->over_min - 1; /* nothing in the ring: jump to the first overflow bucket */
        }
        q->cur++;
        if (q->over.n > 0 && q->over_min <= q->cur) {
            spill_over(q); /* brings the next RING buckets' worth: once per RING buckets */
        }
        bucket *k = &q->ring[(uint64_t)q->cur % RING];
        while (k->n > q->cap) {
            if (grow(q) != 0) {
                q->failed = 1;
                return;
            }
        }
        for (size_t i = 0; i < k->n; i++) {
            const rest *x = &k->rest[i];
            as_event ev = {k->time[i], x->seq, x->entity, x->process, x->epoch};
            if (q->keep && !q->keep(&ev, q->keep_ctx)) {
                q->n_dropped++;
                continue;
            }
            assert(q->n < q->cap);
            sift_up(q->time, q->rest, q->n++, k->time[i], *x);
        }
        q->n_far -= k->n;
        q->n_ring -= k->n;
        q->pulled += k->n;
        q->steps++;
        k->n = 0;
        /* A ring slot is used again only RING buckets later (years, in the model): a large one
         * gives its memory back rather than holding it until then. */
        if (k->cap > BUCKET_KEEP) {
            free(k->time);
            free(k->rest);
            k->time = NULL;
            k->rest = NULL;
            k->cap = 0;
        }
    }
    if (q->autow && q->n >= q->split_at && !q->failed) {
        auto_split(q);
    }
    if (q->n > 0) {
        set_least(q);
    }
}

as_status as_queue_push(as_queue *q, double time, uint32_t entity, uint16_t process, uint16_t epoch)
{
    assert(!isnan(time));
    if (q->failed) {
        return AS_ERR_NOMEM;
    }
    rest x = {q->seq, entity, process, epoch};
    if (q->width > 0) {
        int64_t b = bucket_of(q, time);
        if (q->n == 0) {
            assert(q->n_far == 0);
            q->cur = b; /* an empty queue: the heap starts at this event's bucket */
        } else if (b > q->cur) {
            if (file_far(q, b, time, x) != 0) {
                return AS_ERR_NOMEM;
            }
            q->seq++;
            return AS_OK;
        }
    }
    if (q->n == q->cap && grow(q) != 0) {
        return AS_ERR_NOMEM;
    }
    q->seq++;
    if (sift_up(q->time, q->rest, q->n++, time, x) == 0) {
        q->least = (as_event){time, x.seq, entity, process, epoch};
    }
    if (q->autow && q->n >= q->split_at) {
        auto_split(q);
    }
    return AS_OK;
}

int as_queue_pop(as_queue *q, as_event *out)
{
    if (q->n == 0) {
        return 0;
    }
    *out = q->least;
    size_t n = --q->n;
    if (n > 0) {
        sift_down(q->time, q->rest, n, 0, q->time[n], q->rest[n]);
        set_least(q);
    } else if (q->n_far > 0) {
        refill(q);
    }
    return 1;
}

as_status
as_queue_set_far(as_queue *q, double width, int (*keep)(const as_event *ev, void *ctx), void *ctx)
{
    assert(width >= 0 && isfinite(width));
    assert(q->n == 0 && q->n_far == 0); /* set on an empty queue */
    if (!q->ring) {
        q->ring = calloc(RING, sizeof *q->ring);
        if (!q->ring) {
            return AS_ERR_NOMEM;
        }
    }
    set_width(q, width);
    q->autow = !(width > 0);
    q->split_at = AUTO_START;
    q->pulled = q->steps = q->n_rewidth = 0;
    q->keep = keep;
    q->keep_ctx = ctx;
    q->over_min = INT64_MAX;
    return AS_OK;
}

double as_queue_width(const as_queue *q, uint64_t *changes)
{
    if (changes) {
        *changes = q->n_rewidth;
    }
    return q->width;
}

uint64_t as_queue_dropped(const as_queue *q)
{
    return q->n_dropped;
}

int as_queue_failed(const as_queue *q)
{
    return q->failed;
}

void as_queue_limit_room(as_queue *q, size_t max_cap)
{
    q->max_cap = max_cap;
}

const as_event *as_queue_peek(const as_queue *q)
{
    return q->n ? &q->least : NULL;
}

size_t as_queue_size(const as_queue *q)
{
    return q->n + q->n_far;
}

/* Moves the events of time[0..n) and r[0..n) that keep() accepts to the front, in order; returns
 * how many there are. */
static size_t
keep_front(double *time, rest *r, size_t n, int (*keep)(const as_event *ev, void *ctx), void *ctx)
{
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        as_event ev = {time[i], r[i].seq, r[i].entity, r[i].process, r[i].epoch};
        if (keep(&ev, ctx)) {
            time[kept] = time[i];
            r[kept++] = r[i];
        }
    }
    return kept;
}

/* Keeps the events of bucket k that keep() accepts; returns how many were dropped. */
static size_t filter_bucket(bucket *k, int (*keep)(const as_event *ev, void *ctx), void *ctx)
{
    size_t n = keep_front(k->time, k->rest, k->n, keep, ctx), dropped = k->n - n;
    k->n = n;
    return dropped;
}

void as_queue_filter(as_queue *q, int (*keep)(const as_event *ev, void *ctx), void *ctx)
{
    size_t n = keep_front(q->time, q->rest, q->n, keep, ctx);
    q->n = n;
    heapify(q->time, q->rest, n);
    if (q->n_far > 0) {
        for (size_t k = 0; k < RING; k++) {
            size_t d = filter_bucket(&q->ring[k], keep, ctx);
            q->n_ring -= d;
            q->n_far -= d;
        }
        q->n_far -= filter_bucket(&q->over, keep, ctx);
        if (q->over.n == 0) {
            q->over_min = INT64_MAX; /* otherwise a bound, not exact: spill_over finds out */
        }
    }
    if (n > 0) {
        set_least(q);
    } else if (q->n_far > 0) {
        refill(q);
    }
}
