#include "monitor.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* Runs in the forked child only: async-signal-safe calls, then execv. */
pid_t spawn_create(const struct options *o, const char *pid_file, const char *console_socket,
                   int stdin_fd, int stdout_fd, int stderr_fd) {
    const char *argv[16];
    int n = 0;
    argv[n++] = o->runtime;
    argv[n++] = "--root";
    argv[n++] = o->runtime_root;
    argv[n++] = "create";
    argv[n++] = "--bundle";
    argv[n++] = o->bundle;
    argv[n++] = "--pid-file";
    argv[n++] = pid_file;
    if (console_socket) {
        argv[n++] = "--console-socket";
        argv[n++] = console_socket;
    }
    argv[n++] = o->id;
    argv[n] = NULL;

    pid_t pid = fork();
    if (pid != 0) return pid;

    /* The child: stdio onto the pipes, default signal state, exec. */
    if (dup2(stdin_fd, 0) < 0 || dup2(stdout_fd, 1) < 0 || dup2(stderr_fd, 2) < 0) _exit(127);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    execv(o->runtime, (char *const *)argv);
    const char *reason = strerror(errno);
    (void)!write(2, "exec ", 5);
    (void)!write(2, o->runtime, strlen(o->runtime));
    (void)!write(2, ": ", 2);
    (void)!write(2, reason, strlen(reason));
    _exit(127);
}

int receive_pty_master(int listen_fd) {
    int connection = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (connection < 0) return -1;
    struct timeval timeout = {.tv_sec = 5, .tv_usec = 0}; /* a runtime that connects but never sends */
    setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    char name[512];
    struct iovec iov = {.iov_base = name, .iov_len = sizeof name};
    union {
        struct cmsghdr header;
        char space[CMSG_SPACE(sizeof(int))];
    } control;
    struct msghdr message = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.space,
                             .msg_controllen = sizeof control.space};
    ssize_t received;
    do { received = recvmsg(connection, &message, MSG_CMSG_CLOEXEC); } while (received < 0 && errno == EINTR);
    close(connection);
    if (received < 0) return -1;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&message); c != NULL; c = CMSG_NXTHDR(&message, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && c->cmsg_len >= CMSG_LEN(sizeof(int))) {
            int fd;
            memcpy(&fd, CMSG_DATA(c), sizeof fd);
            return fd;
        }
    }
    errno = EBADMSG;
    return -1;
}
