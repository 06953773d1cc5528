/* Heap and mapping probe for Toolchain/device-memory, preloaded into the aarch64 device program
   under qemu-user (LD_PRELOAD): it measures the program from outside, without its cooperation.
   - Counts live heap bytes (malloc_usable_size of every block) and prints the peak at exit.
   - PEAK_MAPS=FILE, PEAK_MAPS_AFTER=S: S seconds after start, a thread writes the program's own
     /proc/self/maps (under qemu-user: the guest's mappings) to FILE, creates FILE.ready and waits
     until it is removed, so the host can read the emulator's /proc/PID/smaps at that moment. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static size_t live, peak, blocks;
static void *(*next_malloc)(size_t);
static void (*next_free)(void *);
static void *(*next_realloc)(void *, size_t);
static void *(*next_calloc)(size_t, size_t);
static int (*next_memalign)(void **, size_t, size_t);

/* dlsym may call calloc before next_calloc is known: serve that from a static pool. */
static char pool[4096];
static size_t pooled;
static int in_pool(void *p) { return (char *)p >= pool && (char *)p < pool + sizeof pool; }
static void *from_pool(size_t n) {
    void *p = pool + pooled;
    pooled += (n + 15) & ~(size_t)15;
    return pooled <= sizeof pool ? memset(p, 0, n) : 0;
}

static void resolve(void) {
    next_calloc = dlsym(RTLD_NEXT, "calloc");
    next_malloc = dlsym(RTLD_NEXT, "malloc");
    next_free = dlsym(RTLD_NEXT, "free");
    next_realloc = dlsym(RTLD_NEXT, "realloc");
    next_memalign = dlsym(RTLD_NEXT, "posix_memalign");
}
static void gained(void *p) {
    if (!p) return;
    live += malloc_usable_size(p);
    if (live > peak) peak = live;
    blocks++;
}
static void lost(void *p) { if (p && !in_pool(p)) live -= malloc_usable_size(p); }

void *malloc(size_t n) { if (!next_malloc) resolve(); void *p = next_malloc(n); gained(p); return p; }
void *calloc(size_t a, size_t b) {
    static int resolving;
    if (!next_calloc) { if (resolving) return from_pool(a * b); resolving = 1; resolve(); }
    void *p = next_calloc(a, b); gained(p); return p;
}
void free(void *p) { if (in_pool(p)) return; if (!next_free) resolve(); lost(p); next_free(p); }
void *realloc(void *p, size_t n) { if (!next_realloc) resolve(); lost(p); void *q = next_realloc(p, n); gained(q); return q; }
int posix_memalign(void **out, size_t align, size_t n) {
    if (!next_memalign) resolve();
    int r = next_memalign(out, align, n);
    if (r == 0) gained(*out);
    return r;
}

static void snapshot(const char *path) {
    int in = open("/proc/self/maps", O_RDONLY), out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    char b[4096];
    ssize_t n;
    while (in >= 0 && out >= 0 && (n = read(in, b, sizeof b)) > 0) if (write(out, b, n) != n) break;
    close(in); close(out);
    char ready[4096];
    snprintf(ready, sizeof ready, "%s.ready", path);
    close(open(ready, O_WRONLY | O_CREAT, 0644));
    for (int i = 0; i < 600 && access(ready, F_OK) == 0; i++) usleep(100000);
}
static void *snapshot_later(void *arg) {
    sleep((unsigned)atoi(getenv("PEAK_MAPS_AFTER")));
    snapshot(getenv("PEAK_MAPS"));
    return arg;
}
__attribute__((constructor)) static void start(void) {
    pthread_t t;
    if (getenv("PEAK_MAPS") && getenv("PEAK_MAPS_AFTER")) pthread_create(&t, 0, snapshot_later, 0);
}
__attribute__((destructor)) static void report(void) {
    char s[160];
    int k = snprintf(s, sizeof s, "malloc-peak: %zu bytes peak, %zu live at exit, %zu blocks\n", peak, live, blocks);
    if (write(2, s, (size_t)k) != k) return;
}
