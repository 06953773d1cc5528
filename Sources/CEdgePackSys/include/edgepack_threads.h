// A small persistent worker pool for splitting one kernel across cores. The caller hands over a
// C function and a context pointer (no Swift closures: the runtime core is Embedded Swift); the
// parts 0..<parts are claimed one at a time by the caller and the workers, so a core busy with
// other work takes fewer parts. Which thread computes a part never changes what it computes.
#ifndef EDGEPACK_THREADS_H
#define EDGEPACK_THREADS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ep_pool ep_pool;
typedef void (*ep_part_fn)(void *context, long part);

/// Online cores (sysconf), at least 1.
int ep_online_cores(void);

/// A pool of `threads` - 1 workers (the caller is the last thread). NULL when threads < 2 or a
/// thread could not be started (*error then holds the errno).
ep_pool *ep_pool_create(int threads, int *error);

/// Runs part(context, i) for every i in 0..<parts and returns when all have finished.
void ep_pool_run(ep_pool *pool, ep_part_fn part, void *context, long parts);

/// Stops and joins the workers, then frees the pool.
void ep_pool_destroy(ep_pool *pool);

#ifdef __cplusplus
}
#endif
#endif
