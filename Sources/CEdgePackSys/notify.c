// See edgepack_notify.h.
#define _GNU_SOURCE
#include "edgepack_notify.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0     // macOS: no SIGPIPE is raised for sockets set SO_NOSIGPIPE (below)
#endif
#include <time.h>
#include <unistd.h>

extern char **environ;

// posix_spawn is glibc's fork/exec through clone(CLONE_VM | CLONE_VFORK): the parent is paused
// only until the exec, with no copy of its page tables, so a detection costs the audio path
// well under a millisecond.
int ep_spawn_shell(const char *command, const char *const *extra_env, int count) {
    size_t inherited = 0;
    while (environ && environ[inherited]) inherited++;
    char **env = malloc((inherited + (size_t)count + 1) * sizeof(char *));
    if (!env) return -ENOMEM;
    size_t n = 0;
    for (int k = 0; k < count; k++) env[n++] = (char *)extra_env[k];
    for (size_t i = 0; i < inherited; i++) {      // ours take precedence over inherited ones
        const char *eq = strchr(environ[i], '=');
        size_t name = eq ? (size_t)(eq - environ[i]) + 1 : strlen(environ[i]);
        int shadowed = 0;
        for (int k = 0; k < count && !shadowed; k++) shadowed = strncmp(extra_env[k], environ[i], name) == 0;
        if (!shadowed) env[n++] = environ[i];
    }
    env[n] = NULL;

    posix_spawn_file_actions_t files;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&files);
    posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&files, 2, 1);
    posix_spawnattr_init(&attr);
    // The child starts with default signal handling and nothing blocked, whatever we changed.
    sigset_t all, none;
    sigfillset(&all);
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    char *argv[] = { "sh", "-c", (char *)command, NULL };
    pid_t pid;
    int err = posix_spawn(&pid, "/bin/sh", &files, &attr, argv, env);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&files);
    free(env);
    return err ? -err : (int)pid;
}

int ep_reap_child(int wait_ms, int *status) {
    for (int waited = 0;; waited++) {
        int st = 0;
        pid_t pid = waitpid(-1, &st, WNOHANG);
        if (pid < 0) { if (errno == EINTR) continue; return -errno; }
        if (pid > 0) {
            *status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
            return (int)pid;
        }
        if (waited >= wait_ms) return 0;
        struct timespec ms = { 0, 1000000 };
        nanosleep(&ms, NULL);
    }
}

// 1 when path is a socket, 0 when it is something else, -errno when it cannot be examined. statx on
// Linux: lstat is a glibc 2.33 symbol, above the device program's floor.
static int is_socket(const char *path) {
#ifdef __linux__
    struct statx st;
    if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_TYPE, &st) != 0) return -errno;
    return S_ISSOCK(st.stx_mode);
#else
    struct stat st;
    if (lstat(path, &st) != 0) return -errno;
    return S_ISSOCK(st.st_mode);
#endif
}

static int socket_address(const char *path, struct sockaddr_un *address) {
    memset(address, 0, sizeof *address);
    address->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof address->sun_path) return -ENAMETOOLONG;
    strcpy(address->sun_path, path);
    return 0;
}

int ep_socket_listen(const char *path) {
    struct sockaddr_un address;
    int err = socket_address(path, &address);
    if (err) return err;
    int kind = is_socket(path);
    if (kind == 0) return -EEXIST;
    if (kind > 0) {
        int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (probe < 0) return -errno;
        int live = connect(probe, (struct sockaddr *)&address, sizeof address) == 0;
        close(probe);
        if (live) return -EADDRINUSE;
        if (unlink(path) != 0) return -errno;
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    fcntl(fd, F_SETFL, O_NONBLOCK);
    if (bind(fd, (struct sockaddr *)&address, sizeof address) != 0 || listen(fd, 16) != 0) {
        err = errno;
        close(fd);
        return -err;
    }
    return fd;
}

int ep_socket_accept(int server) {
    for (;;) {
#ifdef __linux__
        int fd = accept4(server, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
#else
        int fd = accept(server, NULL, NULL);
        if (fd >= 0) {
            int on = 1;
            fcntl(fd, F_SETFL, O_NONBLOCK);
            fcntl(fd, F_SETFD, FD_CLOEXEC);
            setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, sizeof on);
        }
#endif
        if (fd >= 0) return fd;
        if (errno == EINTR || errno == ECONNABORTED) continue;
        return errno == EWOULDBLOCK ? -EAGAIN : -errno;
    }
}

int ep_socket_send(int fd, const void *data, size_t size) {
    // A line is far below the socket buffer: when it does not fit, the reader has stopped reading.
    for (;;) {
        ssize_t n = send(fd, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return errno == EWOULDBLOCK ? -EAGAIN : -errno;
        return (size_t)n == size ? 0 : -EAGAIN;
    }
}

int ep_socket_peer_closed(int fd) {
    struct pollfd p = { fd, POLLIN, 0 };
    while (poll(&p, 1, 0) > 0) {
        if (p.revents & (POLLHUP | POLLERR | POLLNVAL)) return 1;
        if (!(p.revents & POLLIN)) return 0;
        char discard[256];
        ssize_t n = recv(fd, discard, sizeof discard, MSG_DONTWAIT);
        if (n == 0) return 1;
        if (n < 0) return errno == EAGAIN || errno == EINTR ? 0 : 1;
    }
    return 0;
}

int ep_socket_remove(const char *path) {
    int kind = is_socket(path);
    if (kind < 0) return -kind;
    if (kind == 0) return EEXIST;
    return unlink(path) == 0 ? 0 : errno;
}

static volatile sig_atomic_t stop_signal;

static void record_stop(int signal_number) { stop_signal = signal_number; }

void ep_stop_on_signals(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = record_stop;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;     // no SA_RESTART
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
    // A parent may have started us with them blocked (the mask survives exec).
    sigset_t stops;
    sigemptyset(&stops);
    sigaddset(&stops, SIGTERM);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGHUP);
    sigprocmask(SIG_UNBLOCK, &stops, NULL);
}

int ep_stop_signal(void) { return stop_signal; }
