// See edgepack_cli.h. statx rather than stat: stat is a GLIBC_2.33 symbol, statx exists since 2.28,
// so the device program keeps running on older Pi OS releases.
#define _GNU_SOURCE
#include "edgepack_cli.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int ep_stdout_flush_checked(void) {
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) return errno != 0 ? errno : EIO;
    return 0;
}

// The path with its directory resolved; the last component kept as written (it may not exist yet).
static char *resolved_path(const char *path) {
    char *full = realpath(path, NULL);
    if (full) return full;
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    char dir[PATH_MAX];
    if (!slash) strcpy(dir, ".");
    else if (slash == path) strcpy(dir, "/");
    else {
        size_t n = (size_t)(slash - path);
        if (n >= sizeof dir) return NULL;
        memcpy(dir, path, n);
        dir[n] = 0;
    }
    char *parent = realpath(dir, NULL);
    if (!parent) return NULL;
    size_t length = strlen(parent) + strlen(base) + 2;
    char *out = malloc(length);
    if (out) snprintf(out, length, "%s/%s", strcmp(parent, "/") == 0 ? "" : parent, base);
    free(parent);
    return out;
}

int ep_same_file(const char *a, const char *b) {
    struct statx sa, sb;
    if (statx(AT_FDCWD, a, 0, STATX_INO, &sa) == 0 && statx(AT_FDCWD, b, 0, STATX_INO, &sb) == 0) {
        return sa.stx_dev_major == sb.stx_dev_major && sa.stx_dev_minor == sb.stx_dev_minor && sa.stx_ino == sb.stx_ino;
    }
    char *ra = resolved_path(a), *rb = resolved_path(b);
    int same = ra && rb && strcmp(ra, rb) == 0;
    free(ra);
    free(rb);
    return same;
}
