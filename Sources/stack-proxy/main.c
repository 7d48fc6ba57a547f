/* stack-proxy --pid-file FILE [--udp-timeout SECONDS] MAPPING...
 *
 * stackd binds the host sockets (so that a port in use is its error, before anything starts) and
 * passes them at the fds the mappings name. The proxy checks them, detaches (fork, setsid: the
 * first process exits as soon as the second is serving and has written FILE, so the spawner reaps
 * it and knows the pid), and then relays connections and datagrams to the container until SIGTERM.
 * Errors before serving are printed on the first process's stderr, which then exits 1. */
#include "proxy.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

int epoll_fd = -1;
char failure[512];
static struct handler *dead_list;
static struct handler signal_handler = {.kind = H_SIGNAL};
static struct handler timer_handler = {.kind = H_TIMER};

void fail_message(const char *format, ...) {
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(failure, sizeof failure, format, arguments);
    va_end(arguments);
}

void fail_step(const char *what) { fail_message("%s: %s", what, strerror(errno)); }

void retire(struct handler *handler) {
    if (handler->dead) return;
    handler->dead = true;
    handler->next_dead = dead_list;
    dead_list = handler;
}

static void free_retired(void) {
    while (dead_list) {
        struct handler *next = dead_list->next_dead;
        free(dead_list);
        dead_list = next;
    }
}

int watch(int fd, struct handler *handler, uint32_t *registered, uint32_t wanted) {
    if (wanted == *registered) return 0;
    struct epoll_event event = {.events = wanted, .data.ptr = handler};
    int operation = *registered == 0 ? EPOLL_CTL_ADD : wanted == 0 ? EPOLL_CTL_DEL : EPOLL_CTL_MOD;
    if (epoll_ctl(epoll_fd, operation, fd, &event) < 0) return -1;
    *registered = wanted;
    return 0;
}

/* The inherited socket must be what the mapping says: IPv4, the right type, listening for TCP. */
static int check_socket(const struct mapping *mapping) {
    const char *proto = mapping->proto == PROTO_TCP ? "tcp" : "udp";
    if (mapping->fd < 3) {
        fail_message("%s fd %d: must be 3 or above (0-2 become /dev/null)", proto, mapping->fd);
        return -1;
    }
    int value = 0;
    socklen_t length = sizeof value;
    if (getsockopt(mapping->fd, SOL_SOCKET, SO_TYPE, &value, &length) < 0) {
        fail_message("%s fd %d: not a socket: %s", proto, mapping->fd, strerror(errno));
        return -1;
    }
    if (value != (mapping->proto == PROTO_TCP ? SOCK_STREAM : SOCK_DGRAM)) {
        fail_message("%s fd %d: not a %s socket", proto, mapping->fd, mapping->proto == PROTO_TCP ? "stream" : "datagram");
        return -1;
    }
    length = sizeof value;
    if (getsockopt(mapping->fd, SOL_SOCKET, SO_DOMAIN, &value, &length) < 0 || value != AF_INET) {
        fail_message("%s fd %d: not an IPv4 socket (stack-proxy serves IPv4 only)", proto, mapping->fd);
        return -1;
    }
    length = sizeof value;
    if (mapping->proto == PROTO_TCP &&
        (getsockopt(mapping->fd, SOL_SOCKET, SO_ACCEPTCONN, &value, &length) < 0 || value == 0)) {
        fail_message("tcp fd %d: not listening", mapping->fd);
        return -1;
    }
    return 0;
}

/* Everything up to serving; on error `failure` says what. */
static int start(const struct options *options, int ready_fd, int *signal_fd) {
    int *keep = calloc(options->mapping_count + 1, sizeof *keep);
    if (!keep) { fail_step("calloc"); return -1; }
    for (size_t i = 0; i < options->mapping_count; i++) keep[i] = options->mappings[i].fd;
    keep[options->mapping_count] = ready_fd;
    close_fds_except(keep, options->mapping_count + 1);
    free(keep);
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null < 0) { fail_step("open /dev/null"); return -1; }
    for (int fd = 0; fd <= 2; fd++) dup2(null, fd);
    if (null > 2) close(null);

    /* Six fds per TCP connection (two sockets, two pipes): take all the kernel allows us. */
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }

    epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd < 0) { fail_step("epoll_create1"); return -1; }
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    *signal_fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    uint32_t registered = 0;
    if (*signal_fd < 0 || watch(*signal_fd, &signal_handler, &registered, EPOLLIN) < 0) {
        fail_step("signalfd");
        return -1;
    }
    registered = 0;
    if (udp_timer_init() < 0 || watch(udp_timer_fd, &timer_handler, &registered, EPOLLIN) < 0) {
        fail_step("timerfd");
        return -1;
    }
    for (size_t i = 0; i < options->mapping_count; i++) {
        const struct mapping *mapping = &options->mappings[i];
        set_cloexec(mapping->fd);
        if (set_nonblocking(mapping->fd) < 0) { fail_step("fcntl O_NONBLOCK"); return -1; }
        bool created = mapping->proto == PROTO_TCP ? tcp_listener_create(mapping) != NULL
                                                   : udp_listener_create(mapping, options->udp_timeout) != NULL;
        if (!created) { fail_step("epoll_ctl"); return -1; }
    }

    char text[32];
    int n = snprintf(text, sizeof text, "%d\n", (int)getpid());
    if (write_file_atomically(options->pid_file, text, (size_t)n) < 0) {
        fail_message("write %s: %s", options->pid_file, strerror(errno));
        return -1;
    }
    if (chdir("/") < 0) { /* not fatal: only keeps a directory busy */ }
    return 0;
}

static int serve(int signal_fd) {
    for (;;) {
        struct epoll_event events[64];
        int count = epoll_wait(epoll_fd, events, 64, -1);
        if (count < 0) {
            if (errno == EINTR) continue;
            return 1;
        }
        for (int i = 0; i < count; i++) {
            struct handler *handler = events[i].data.ptr;
            if (handler->dead) continue;
            switch (handler->kind) {
            case H_SIGNAL: {
                struct signalfd_siginfo info;
                while (read(signal_fd, &info, sizeof info) == (ssize_t)sizeof info) {
                    if (info.ssi_signo == SIGTERM || info.ssi_signo == SIGINT) return 0;
                }
                break;
            }
            case H_TIMER: udp_sweep(); break;
            case H_TCP_LISTENER: tcp_listener_ready((struct tcp_listener *)handler); break;
            case H_TCP_SIDE: tcp_side_ready(handler, events[i].events); break;
            case H_UDP_LISTENER: udp_listener_ready((struct udp_listener *)handler); break;
            case H_UDP_FLOW: udp_flow_ready(handler); break;
            default: break;
            }
        }
        free_retired();
    }
}

int main(int argc, char **argv) {
    struct options options;
    if (parse_options(argc, argv, &options) < 0) {
        fprintf(stderr, "stack-proxy: %s\n", failure);
        return 2;
    }
    for (size_t i = 0; i < options.mapping_count; i++) {
        if (check_socket(&options.mappings[i]) < 0) {
            fprintf(stderr, "stack-proxy: %s\n", failure);
            return 2;
        }
    }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigprocmask(SIG_BLOCK, &mask, NULL); /* from now on they arrive on the signalfd */

    int ready[2];
    if (pipe2(ready, O_CLOEXEC) < 0) {
        fprintf(stderr, "stack-proxy: pipe: %s\n", strerror(errno));
        return 1;
    }
    pid_t child = fork();
    if (child < 0) {
        fprintf(stderr, "stack-proxy: fork: %s\n", strerror(errno));
        return 1;
    }
    if (child > 0) {
        /* Wait for "ok" (serving, pid file written) or the error; EOF alone means it died. */
        close(ready[1]);
        char report[sizeof failure];
        size_t got = 0;
        for (;;) {
            ssize_t n = read(ready[0], report + got, sizeof report - 1 - got);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            got += (size_t)n;
            if (got == sizeof report - 1) break;
        }
        report[got] = '\0';
        if (strcmp(report, "ok") == 0) return 0;
        fprintf(stderr, "stack-proxy: %s\n", got > 0 ? report : "the proxy process ended while starting");
        return 1;
    }

    close(ready[0]);
    setsid();
    int signal_fd = -1;
    if (start(&options, ready[1], &signal_fd) < 0) {
        write_all(ready[1], failure, strlen(failure));
        return 1;
    }
    write_all(ready[1], "ok", 2);
    close(ready[1]);
    return serve(signal_fd);
}
