// POSIX glue for the runtime core; see edgepack_sys.h for why it exists.
#define _GNU_SOURCE
#include "edgepack_sys.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

// Type, size and modification time of a file. On Linux through statx (glibc 2.28): stat and fstat
// are glibc 2.33 symbols, above the device program's floor (Raspberry Pi OS bullseye has 2.31).
typedef struct { mode_t mode; int64_t size; int64_t mtime_ns; } file_info;

static int get_file_info(int fd, const char *path, file_info *info) {
#ifdef __linux__
    struct statx st;
    if (statx(fd, path ? path : "", path ? 0 : AT_EMPTY_PATH, STATX_TYPE | STATX_SIZE | STATX_MTIME, &st) != 0)
        return errno;
    info->mode = st.stx_mode;
    info->size = (int64_t)st.stx_size;
    info->mtime_ns = (int64_t)st.stx_mtime.tv_sec * 1000000000 + st.stx_mtime.tv_nsec;
#else
    struct stat st;
    if ((path ? stat(path, &st) : fstat(fd, &st)) != 0) return errno;
    info->mode = st.st_mode;
    info->size = (int64_t)st.st_size;
#ifdef __APPLE__
    info->mtime_ns = (int64_t)st.st_mtimespec.tv_sec * 1000000000 + st.st_mtimespec.tv_nsec;
#else
    info->mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
#endif
#endif
    return 0;
}

ep_file_view ep_read_fd(int fd, size_t max) {
    ep_file_view view = {0, 0, 0, 0, -1};
    size_t capacity = 1 << 16, size = 0;
    uint8_t *buffer = malloc(capacity);
    if (!buffer) { view.error = ENOMEM; return view; }
    for (;;) {
        if (size == capacity) {            // grow to at most max + 1: one byte more proves "too large"
            size_t next = capacity <= max / 2 ? capacity * 2 : max + 1;
            uint8_t *grown = realloc(buffer, next);
            if (!grown) { free(buffer); view.error = ENOMEM; return view; }
            buffer = grown; capacity = next;
        }
        ssize_t n = read(fd, buffer + size, capacity - size);
        if (n < 0) { if (errno == EINTR) continue; view.error = errno; free(buffer); return view; }
        if (n == 0) break;
        size += (size_t)n;
        if (size > max) { free(buffer); view.error = EP_ERR_TOO_LARGE; return view; }
    }
    view.data = buffer; view.size = size; view.mapped = 0;
    return view;
}

ep_file_view ep_map_file(const char *path, size_t max_read, int map) {
    ep_file_view view = {0, 0, 0, 0, -1};
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) { view.error = errno; return view; }
    file_info st;
    int failed = get_file_info(fd, NULL, &st);
    if (failed) { view.error = failed; close(fd); return view; }
    if (S_ISDIR(st.mode)) { view.error = EP_ERR_DIRECTORY; close(fd); return view; }
    if (S_ISCHR(st.mode) || S_ISBLK(st.mode)) { view.error = EP_ERR_DEVICE; close(fd); return view; }
    if (!S_ISREG(st.mode)) {            // FIFOs and sockets: read them, up to the limit
        view = ep_read_fd(fd, max_read);
        close(fd);
        return view;
    }
    if (st.size == 0 || !map) {        // mmap cannot map nothing; callers may ask for a copy
        view = ep_read_fd(fd, max_read);
        close(fd);
        return view;
    }
    void *p = mmap(NULL, (size_t)st.size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) { view.error = errno; close(fd); return view; }
    view.data = p; view.size = (size_t)st.size; view.mapped = 1; view.fd = fd;
    return view;
}

long ep_view_read(ep_file_view view, size_t offset, void *buffer, size_t count) {
    if (offset >= view.size) return 0;
    if (count > view.size - offset) count = view.size - offset;
    if (view.fd < 0) { memcpy(buffer, view.data + offset, count); return (long)count; }
    size_t done = 0;
    while (done < count) {
        ssize_t n = pread(view.fd, (uint8_t *)buffer + done, count - done, (off_t)(offset + done));
        if (n < 0) { if (errno == EINTR) continue; return -(long)errno; }
        if (n == 0) break;                       // the file shrank since it was mapped
        done += (size_t)n;
    }
    return (long)done;
}

void ep_unmap_file(ep_file_view view) {
    if (view.mapped) munmap((void *)view.data, view.size);
    else free((void *)view.data);
    if (view.fd >= 0) close(view.fd);
}

long ep_read(int fd, void *buffer, size_t count) {
    for (;;) {
        ssize_t n = read(fd, buffer, count);
        if (n < 0 && errno == EINTR) continue;
        return n < 0 ? -(long)errno : (long)n;
    }
}

int ep_open_read(const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

int ep_stream_source_error(int fd) {
    file_info st;
    int failed = get_file_info(fd, NULL, &st);
    if (failed) return failed;
    if (S_ISDIR(st.mode)) return EP_ERR_DIRECTORY;
    if (S_ISCHR(st.mode) || S_ISBLK(st.mode)) return EP_ERR_DEVICE;
    return 0;
}

int ep_close(int fd) { return close(fd); }

int ep_write_file(const char *path, const void *data, size_t size) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return errno;
    const uint8_t *p = data;
    while (size > 0) {
        ssize_t n = write(fd, p, size);
        if (n < 0) { if (errno == EINTR) continue; int e = errno; close(fd); return e; }
        p += n; size -= (size_t)n;
    }
    return close(fd) == 0 ? 0 : errno;
}

void ep_write_stdout(const char *data, size_t size) { fwrite(data, 1, size, stdout); }
void ep_write_stderr(const char *data, size_t size) { fflush(stdout); fwrite(data, 1, size, stderr); }
void ep_flush_stdout(void) { fflush(stdout); }
int ep_stderr_is_terminal(void) { return isatty(2); }

uint64_t ep_monotonic_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

const char *ep_strerror(int code) { return strerror(code); }

long ep_peak_rss_kb(void) {
    struct rusage usage;
    return getrusage(RUSAGE_SELF, &usage) == 0 ? usage.ru_maxrss : 0;
}

static int compare_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char *ep_list_dir(const char *path, int *error) {
    DIR *dir = opendir(path);
    if (!dir) { *error = errno; return NULL; }
    size_t count = 0, capacity = 64;
    char **names = malloc(capacity * sizeof(char *));
    struct dirent *entry;
    size_t total = 1;
    while (names && (entry = readdir(dir)) != NULL) {
        if (entry->d_name[0] == '.') continue;
        if (entry->d_type != DT_REG && entry->d_type != DT_UNKNOWN && entry->d_type != DT_LNK) continue;
        if (count == capacity) {
            char **grown = realloc(names, capacity * 2 * sizeof(char *));
            if (!grown) break;
            names = grown; capacity *= 2;
        }
        names[count] = strdup(entry->d_name);
        total += strlen(entry->d_name) + 1;
        count++;
    }
    closedir(dir);
    if (!names) { *error = ENOMEM; return NULL; }
    qsort(names, count, sizeof(char *), compare_names);
    char *out = malloc(total);
    size_t at = 0;
    for (size_t i = 0; i < count; i++) {
        size_t len = strlen(names[i]);
        if (out) { memcpy(out + at, names[i], len); out[at + len] = '\n'; }
        at += len + 1;
        free(names[i]);
    }
    free(names);
    if (!out) { *error = ENOMEM; return NULL; }
    out[at] = 0;
    *error = 0;
    return out;
}

void ep_free(void *pointer) { free(pointer); }

void ep_sleep_ms(unsigned milliseconds) { usleep(milliseconds * 1000u); }

void ep_exit(int status) { fflush(stdout); exit(status); }

// ---- Decimal parsing for PCD ascii data (EdgePackPointCloud). glibc's strtod/strtof are correctly rounded on every
// architecture; the "C" locale pins the decimal point whatever the process locale is.

#include <locale.h>

static locale_t ep_c_locale(void) {
    static locale_t cached = (locale_t)0;
    locale_t current = __atomic_load_n(&cached, __ATOMIC_ACQUIRE);
    if (current) return current;
    locale_t made = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    locale_t expected = (locale_t)0;
    if (!__atomic_compare_exchange_n(&cached, &expected, made, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        freelocale(made);
        return expected;
    }
    return made;
}

size_t ep_parse_double(const char *text, size_t length, double *value) {
    char buffer[512];
    if (length == 0 || length >= sizeof buffer) return 0;
    memcpy(buffer, text, length);
    buffer[length] = 0;
    char *end = buffer;
    *value = strtod_l(buffer, &end, ep_c_locale());
    return (size_t)(end - buffer);
}

size_t ep_parse_float(const char *text, size_t length, float *value) {
    char buffer[512];
    if (length == 0 || length >= sizeof buffer) return 0;
    memcpy(buffer, text, length);
    buffer[length] = 0;
    char *end = buffer;
    *value = strtof_l(buffer, &end, ep_c_locale());
    return (size_t)(end - buffer);
}

// ---- Folder watching for `pointcloud --dir --follow` (EdgePackPointCloud/Watch).

int ep_file_state(const char *path, int64_t *size, int64_t *mtime_ns) {
    file_info st;
    int failed = get_file_info(AT_FDCWD, path, &st);
    if (failed) return failed;
    *size = st.size;
    *mtime_ns = st.mtime_ns;
    return 0;
}

int64_t ep_realtime_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

#ifdef __linux__
#include <poll.h>
#include <sys/inotify.h>

int ep_watch_open(const char *dir) {
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) return -errno;
    uint32_t mask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;
    if (inotify_add_watch(fd, dir, mask) < 0) { int e = errno; close(fd); return -e; }
    return fd;
}

char *ep_watch_wait(int fd, int timeout_ms, int *error) {
    *error = 0;
    struct pollfd p = { fd, POLLIN, 0 };
    int ready = poll(&p, 1, timeout_ms);
    if (ready < 0) { *error = errno == EINTR ? 0 : errno; return NULL; }
    if (ready == 0) return NULL;
    size_t capacity = 4096, used = 0;
    char *out = malloc(capacity);
    if (!out) { *error = ENOMEM; return NULL; }
    char events[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    for (;;) {
        ssize_t n = read(fd, events, sizeof events);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) break;
            *error = errno; free(out); return NULL;
        }
        if (n == 0) break;
        for (char *at = events; at < events + n; ) {
            const struct inotify_event *e = (const struct inotify_event *)at;
            at += sizeof *e + e->len;
            char kind = 0;
            if (e->mask & IN_Q_OVERFLOW) kind = 'O';
            else if (e->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) kind = 'X';
            else if (e->mask & IN_CLOSE_WRITE) kind = 'W';
            else if (e->mask & IN_MOVED_TO) kind = 'M';
            else if (e->mask & (IN_DELETE | IN_MOVED_FROM)) kind = 'D';
            if (!kind) continue;
            const char *name = e->len > 0 ? e->name : "";
            size_t len = strlen(name);
            if (used + len + 3 > capacity) {
                size_t grown_size = (used + len + 3) * 2;
                char *grown = realloc(out, grown_size);
                if (!grown) { free(out); *error = ENOMEM; return NULL; }
                out = grown; capacity = grown_size;
            }
            out[used++] = kind;
            memcpy(out + used, name, len);
            used += len;
            out[used++] = '\n';
        }
    }
    out[used] = 0;
    return out;
}
#else
int ep_watch_open(const char *dir) { (void)dir; return -ENOSYS; }
char *ep_watch_wait(int fd, int timeout_ms, int *error) { (void)fd; (void)timeout_ms; *error = ENOSYS; return NULL; }
#endif
