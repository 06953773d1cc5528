// Passing detections on to other programs (`kws --exec`, `kws --socket`) and stopping on a signal.
// Every call returns at once: the audio path calls them between reads and must never stall.
#ifndef EDGEPACK_NOTIFY_H
#define EDGEPACK_NOTIFY_H

#include <errno.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Starts `/bin/sh -c command` with `count` "NAME=value" entries added to this process's
/// environment. Its standard input is /dev/null (it must not take audio from `--raw -`), its
/// standard output our standard error (ours carries the detections). Returns the pid, or -errno.
int ep_spawn_shell(const char *command, const char *const *extra_env, int count);

/// Reaps one finished child, waiting up to `wait_ms` for one (0: not at all). Returns its pid with
/// *status its exit status (128 + signal when killed), 0 when none has finished, -ECHILD when
/// there are none.
int ep_reap_child(int wait_ms, int *status);

/// A listening Unix stream socket at `path`, non-blocking. A socket file left by a process that is
/// gone is replaced; a live one gives -EADDRINUSE, any other file -EEXIST. Returns the fd or -errno.
int ep_socket_listen(const char *path);
enum { EP_SOCKET_IN_USE = -EADDRINUSE, EP_SOCKET_NOT_A_SOCKET = -EEXIST };

/// A connection waiting on `server` (non-blocking), -EAGAIN when none waits, or -errno.
int ep_socket_accept(int server);

/// Sends all of `data` without blocking: 0, -EAGAIN when the reader is too far behind to take it
/// whole now, or -errno (-EPIPE: the reader has gone). Never raises SIGPIPE.
int ep_socket_send(int fd, const void *data, size_t size);

/// 1 when the peer has closed its end (what it sent us is read and discarded), else 0.
int ep_socket_peer_closed(int fd);

/// Removes the socket file at `path` if it is one; 0 or errno.
int ep_socket_remove(const char *path);

/// SIGTERM, SIGINT and SIGHUP from now on only record that a stop was asked for (no restart of
/// interrupted reads, so a blocking capture returns within a period).
void ep_stop_on_signals(void);

/// The signal that asked to stop, 0 when none has.
int ep_stop_signal(void);

#ifdef __cplusplus
}
#endif
#endif
