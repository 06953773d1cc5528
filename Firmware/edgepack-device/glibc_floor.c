// Keeps the device program's glibc floor at 2.17..2.31 (Raspberry Pi OS bullseye has 2.31) although it
// is linked against a newer cross glibc. Checked by GlibcFloorTests on the binary's symbol versions.
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <sys/random.h>

// The Embedded Swift standard library seeds hashing with arc4random_buf, a glibc 2.36 symbol.
// A definition here wins over libc's; getrandom exists since glibc 2.25 and blocks only until
// the kernel's pool is first initialized.
void arc4random_buf(void *buffer, size_t count) {
    unsigned char *p = buffer;
    while (count > 0) {
        ssize_t n = getrandom(p, count, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            break;  // no entropy source: a fixed hash seed is still a working hash table
        }
        p += n;
        count -= (size_t)n;
    }
}

// glibc 2.34 gave __libc_start_main a new default version, which every new Scrt1.o calls with no
// init function. Older glibc runs the program's constructors only through that init function, so
// Scrt1's call lands here and goes on to the 2.17 version with an init that runs them (_init and
// .init_array, as the old crt did). New glibc calls a given init the same way, so it runs once.
typedef int (*main_function)(int, char **, char **);
int compat_libc_start_main(main_function, int, char **, void (*)(int, char **, char **), void (*)(void),
                           void (*)(void), void *);
__asm__(".symver compat_libc_start_main, __libc_start_main@GLIBC_2.17");

extern void _init(void);
extern void (*__init_array_start[])(int, char **, char **) __attribute__((visibility("hidden")));
extern void (*__init_array_end[])(int, char **, char **) __attribute__((visibility("hidden")));

static void run_constructors(int argc, char **argv, char **envp) {
    _init();
    for (size_t i = 0; i < (size_t)(__init_array_end - __init_array_start); i++)
        __init_array_start[i](argc, argv, envp);
}

__attribute__((visibility("hidden")))
int __libc_start_main(main_function main, int argc, char **argv, void (*init)(int, char **, char **),
                      void (*fini)(void), void (*rtld_fini)(void), void *stack_end) {
    (void)init;
    (void)fini;
    return compat_libc_start_main(main, argc, argv, run_constructors, NULL, rtld_fini, stack_end);
}
