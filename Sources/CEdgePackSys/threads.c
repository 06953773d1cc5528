// See edgepack_threads.h. A job is one 64-bit ticket: generation, part count and next part.
// Threads claim parts by compare-and-swap on it, so a claim can only succeed while its job is
// unfinished, and the caller waits for the parts to be done, not for every worker to wake up
// (a worker descheduled on a busy machine holds up nothing it has not claimed). Workers spin
// briefly before sleeping on a condition variable: layers follow one another within
// microseconds, a futex wake costs more than that, and a short spin leaves a shared core alone.
#define _GNU_SOURCE
#include "edgepack_threads.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#if defined(__aarch64__) && defined(__GLIBC__)
// glibc 2.34 moved these two into libc.so.6 under a new version; the aarch64 base version 2.17
// resolves on every glibc (from libpthread.so.0 before 2.34), so the device program keeps
// loading on Pi OS bullseye (2.31). Toolchain/build-device links libpthread.so.0 for those.
__asm__(".symver pthread_create, pthread_create@GLIBC_2.17");
__asm__(".symver pthread_join, pthread_join@GLIBC_2.17");
#endif

enum { spin_rounds = 10000 };

// ticket: generation << 32 | parts << 16 | next part
#define GENERATION(t) ((uint32_t)((t) >> 32))
#define PARTS(t) ((long)(((t) >> 16) & 0xFFFF))
#define NEXT(t) ((long)((t) & 0xFFFF))

struct ep_pool {
    int workers;
    pthread_t *ids;
    pthread_mutex_t lock;
    pthread_cond_t wake, finished;
    _Atomic uint64_t ticket;
    atomic_int stop;
    atomic_int sleepers;   // workers waiting (or about to wait) on `wake`
    atomic_long done;      // parts of the current job finished
    ep_part_fn part;       // written before the ticket that publishes the job
    void *context;
};

int ep_online_cores(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (n > 1024 ? 1024 : (int)n);
}

static inline void relax(void) {
#if defined(__aarch64__)
    __asm__ __volatile__("yield");
#elif defined(__x86_64__)
    __asm__ __volatile__("pause");
#endif
}

// Claims and runs parts of job `generation` until none is left or a newer job is published.
static void claim_parts(ep_pool *pool, uint32_t generation) {
    uint64_t t = atomic_load(&pool->ticket);
    while (GENERATION(t) == generation && NEXT(t) < PARTS(t)) {
        if (!atomic_compare_exchange_weak(&pool->ticket, &t, t + 1)) continue;
        // The claim proves the job unfinished, so its function and context are still in place.
        pool->part(pool->context, NEXT(t));
        if (atomic_fetch_add(&pool->done, 1) + 1 == PARTS(t)) {
            pthread_mutex_lock(&pool->lock);
            pthread_cond_signal(&pool->finished);
            pthread_mutex_unlock(&pool->lock);
        }
        t = atomic_load(&pool->ticket);
    }
}

static void *worker(void *argument) {
    ep_pool *pool = argument;
    uint32_t seen = 0;
    for (;;) {
        uint32_t now = GENERATION(atomic_load(&pool->ticket));
        for (int s = 0; now == seen && s < spin_rounds; s++) {
            relax();
            now = GENERATION(atomic_load(&pool->ticket));
        }
        if (now == seen) {
            pthread_mutex_lock(&pool->lock);
            atomic_fetch_add(&pool->sleepers, 1);
            while ((now = GENERATION(atomic_load(&pool->ticket))) == seen && !atomic_load(&pool->stop))
                pthread_cond_wait(&pool->wake, &pool->lock);
            atomic_fetch_sub(&pool->sleepers, 1);
            pthread_mutex_unlock(&pool->lock);
        }
        if (atomic_load(&pool->stop)) return NULL;
        seen = now;
        claim_parts(pool, seen);
    }
}

ep_pool *ep_pool_create(int threads, int *error) {
    *error = 0;
    if (threads < 2) return NULL;
    ep_pool *pool = calloc(1, sizeof *pool);
    if (!pool || !(pool->ids = calloc((size_t)threads - 1, sizeof(pthread_t)))) {
        free(pool);
        *error = ENOMEM;
        return NULL;
    }
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->wake, NULL);
    pthread_cond_init(&pool->finished, NULL);
    for (int t = 0; t < threads - 1; t++) {
        int e = pthread_create(&pool->ids[t], NULL, worker, pool);
        if (e != 0) {
            *error = e;
            ep_pool_destroy(pool);
            return NULL;
        }
        pool->workers = t + 1;
    }
    return pool;
}

void ep_pool_run(ep_pool *pool, ep_part_fn part, void *context, long parts) {
    if (!pool || parts < 2 || parts > 0xFFFF) {
        for (long i = 0; i < parts; i++) part(context, i);
        return;
    }
    uint32_t generation = GENERATION(atomic_load(&pool->ticket)) + 1;
    pool->part = part;
    pool->context = context;
    atomic_store(&pool->done, 0);
    atomic_store(&pool->ticket, (uint64_t)generation << 32 | (uint64_t)parts << 16);
    if (atomic_load(&pool->sleepers) > 0) {
        pthread_mutex_lock(&pool->lock);
        pthread_cond_broadcast(&pool->wake);
        pthread_mutex_unlock(&pool->lock);
    }
    claim_parts(pool, generation);
    // Parts other threads claimed may still run: the context lives on the caller's stack.
    for (int s = 0; atomic_load(&pool->done) < parts && s < spin_rounds; s++) relax();
    if (atomic_load(&pool->done) < parts) {
        pthread_mutex_lock(&pool->lock);
        while (atomic_load(&pool->done) < parts) pthread_cond_wait(&pool->finished, &pool->lock);
        pthread_mutex_unlock(&pool->lock);
    }
}

void ep_pool_destroy(ep_pool *pool) {
    if (!pool) return;
    pthread_mutex_lock(&pool->lock);
    atomic_store(&pool->stop, 1);
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->lock);
    for (int t = 0; t < pool->workers; t++) pthread_join(pool->ids[t], NULL);
    pthread_cond_destroy(&pool->wake);
    pthread_cond_destroy(&pool->finished);
    pthread_mutex_destroy(&pool->lock);
    free(pool->ids);
    free(pool);
}
