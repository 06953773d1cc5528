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
    int fd;          // a mapped file's descriptor, kept for ep_view_read; -1 for copies
} ep_file_view;

/// Errors of our own (negative, unlike errno values) from ep_map_file and ep_read_fd.
#define EP_ERR_DEVICE (-1)      // a character or block device: no size, and may never end
#define EP_ERR_TOO_LARGE (-2)   // a pipe delivered more than the stated limit
#define EP_ERR_DIRECTORY (-3)

/// Maps a regular file (or, with map = 0, reads it: a file being rewritten while mapped would raise
/// SIGBUS); reads a pipe, FIFO or socket into memory. Whatever is read is limited to `max_read` bytes.
/// Devices and directories are refused: /dev/zero would otherwise be read forever.
ep_file_view ep_map_file(const char *path, size_t max_read, int map);
/// Copies up to `count` bytes at `offset` of the view into `buffer` and returns how many (fewer at
/// the end, or when the file shrank); -errno on a read error. A mapped file is read with pread, not
/// through the mapping: a long file read front to back as a stream (a WAV) then never becomes
/// resident in the process, whether or not the system honours MADV_DONTNEED (qemu-user does not).
long ep_view_read(ep_file_view view, size_t offset, void *buffer, size_t count);

void ep_unmap_file(ep_file_view view);

/// Reads an fd to its end into memory, refusing more than `max` bytes; error set on failure.
ep_file_view ep_read_fd(int fd, size_t max);

/// Reads up to `count` bytes from fd; returns bytes read, 0 at end of file, -errno on error.
long ep_read(int fd, void *buffer, size_t count);

/// Opens a file for reading (fd >= 0) or returns -errno.
int ep_open_read(const char *path);
/// 0 when fd may be read as a stream (file, FIFO, socket); EP_ERR_DEVICE for a device such as
/// /dev/zero (it would never end), EP_ERR_DIRECTORY, or an errno.
int ep_stream_source_error(int fd);
int ep_close(int fd);

/// Writes a whole buffer to a new file (created or truncated); 0 or errno.
int ep_write_file(const char *path, const void *data, size_t size);

/// Writes bytes to stdout/stderr without buffering surprises between Swift print and C.
void ep_write_stdout(const char *data, size_t size);
void ep_write_stderr(const char *data, size_t size);
/* 1 when standard error is a terminal (progress lines go only there, never into logs). */
int ep_stderr_is_terminal(void);
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

/// Size and modification time (nanoseconds since the epoch) of a path; 0 or errno.
int ep_file_state(const char *path, int64_t *size, int64_t *mtime_ns);

/// Wall-clock time in nanoseconds since the epoch (to compare with modification times).
int64_t ep_realtime_ns(void);

/// Watches a directory with inotify (Linux) for files closed after writing, moved in, deleted or
/// moved away. Returns the watch fd, or -errno (-ENOSYS where inotify does not exist).
int ep_watch_open(const char *dir);

/// Waits up to timeout_ms for events and returns all that are queued as a malloc'd text, one
/// event a line: a letter then the name ('W' written and closed, 'M' moved in, 'D' deleted or
/// moved away, 'O' events were lost: list the directory again, 'X' the directory went away).
/// NULL with *error 0 on timeout, NULL with *error set on failure. Free with ep_free.
char *ep_watch_wait(int fd, int timeout_ms, int *error);

#ifdef __cplusplus
}
#endif
#endif
