// POSIX calls the command layer (EdgePackApp) needs beyond the runtime's: checked standard
// output and file identity. Kept apart from edgepack_sys.h, which belongs to the runtime core.
#ifndef EDGEPACK_CLI_H
#define EDGEPACK_CLI_H

#ifdef __cplusplus
extern "C" {
#endif

/// Flushes stdout; returns 0, or the errno of a failed write since the program started
/// (EIO when the stream only knows that a write failed).
int ep_stdout_flush_checked(void);

/// 1 when both paths name the same file: the same device and inode when both exist, else the
/// same path once directories and symbolic links are resolved; 0 otherwise.
int ep_same_file(const char *a, const char *b);

#ifdef __cplusplus
}
#endif
#endif
