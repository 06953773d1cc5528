// Thin, non-variadic wrappers over the POSIX calls the runtime core needs.
// Swift cannot call variadic C functions (open, printf), and Embedded Swift has no Glibc module,
// so the host build and the aarch64 device build both import exactly this header.
#ifndef EDGEPACK_SYS_H
#define EDGEPACK_SYS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A read-only view of a whole file: mapped when possible, read into memory otherwise (pipes).
typedef struct {
    const uint8_t *data;
    size_t size;
    int mapped;      // 1: munmap on close, 0: free on close
    int error;       // errno of the failing call, 0 on success
} ep_file_view;

ep_file_view ep_map_file(const char *path);
void ep_unmap_file(ep_file_view view);

/// Reads all of standard input (or any fd) into memory; error set on failure.
ep_file_view ep_read_fd(int fd);

/// Reads up to `count` bytes from fd; returns bytes read, 0 at end of file, -errno on error.
long ep_read(int fd, void *buffer, size_t count);

/// Opens a file for reading (fd >= 0) or returns -errno.
int ep_open_read(const char *path);
int ep_close(int fd);

/// Writes a whole buffer to a new file (created or truncated); 0 or errno.
int ep_write_file(const char *path, const void *data, size_t size);

/// Writes bytes to stdout/stderr without buffering surprises between Swift print and C.
void ep_write_stdout(const char *data, size_t size);
void ep_write_stderr(const char *data, size_t size);
void ep_flush_stdout(void);

/// Monotonic clock in nanoseconds.
uint64_t ep_monotonic_ns(void);

/// Text of an errno value (static storage).
const char *ep_strerror(int code);

/// Peak resident set size of this process in kilobytes (getrusage), 0 when unknown.
long ep_peak_rss_kb(void);

/// Lists regular-file names in a directory, sorted, separated by '\n' into a malloc'd buffer.
/// Returns NULL and sets *error on failure. Caller frees with ep_free.
char *ep_list_dir(const char *path, int *error);
void ep_free(void *pointer);

/// Sleeps for the given number of milliseconds.
void ep_sleep_ms(unsigned milliseconds);

/// Process exit with status.
void ep_exit(int status) __attribute__((noreturn));

/// Decimal text to floating point, correctly rounded (glibc strtod_l/strtof_l in the "C" locale, so
/// host and device agree bit for bit). `text` need not be NUL-terminated. Returns the number of
/// bytes consumed (0 when nothing parsed, or when length exceeds 511).
size_t ep_parse_double(const char *text, size_t length, double *value);
size_t ep_parse_float(const char *text, size_t length, float *value);

#ifdef __cplusplus
}
#endif
#endif
