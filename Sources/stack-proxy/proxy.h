/* stack-proxy: the userland port proxy (docker-proxy's role). It serves published ports where the
 * DNAT rules do not apply (connections to 127.0.0.1): one process per container, one epoll loop,
 * IPv4 only. The host sockets are bound by stackd and inherited; see main.c for the command line. */
#ifndef STACK_PROXY_H
#define STACK_PROXY_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* What an epoll event points at: every registered object starts with this. */
enum handler_kind { H_SIGNAL, H_TIMER, H_TCP_LISTENER, H_TCP_SIDE, H_UDP_LISTENER, H_UDP_FLOW, H_CONNECTION };

struct handler {
    unsigned char kind;
    bool dead;                 /* closed during this batch of events: ignore what remains of it */
    struct handler *next_dead; /* freed after the batch (see retire) */
};

enum protocol { PROTO_TCP, PROTO_UDP };

struct mapping {
    enum protocol proto;
    int fd;                      /* the inherited host socket */
    struct sockaddr_in upstream; /* the container's address and port */
};

struct options {
    const char *pid_file;
    long udp_timeout; /* seconds a UDP flow may stay idle */
    struct mapping *mappings;
    size_t mapping_count;
};

/* main.c: the loop's shared state. */
extern int epoll_fd;
/* Puts a closed object on the list freed after the current batch of events. */
void retire(struct handler *handler);
/* epoll_ctl for `fd` so that exactly `wanted` events are watched (0: not registered at all). */
int watch(int fd, struct handler *handler, uint32_t *registered, uint32_t wanted);
/* Writes "stack-proxy: <what>: <strerror>" into the error buffer of the start-up report. */
void fail_step(const char *what);
void fail_message(const char *format, ...) __attribute__((format(printf, 1, 2)));
extern char failure[512];

/* args.c */
int parse_options(int argc, char **argv, struct options *options);

/* util.c */
int set_nonblocking(int fd);
int set_cloexec(int fd);
int write_all(int fd, const void *data, size_t size);
int write_file_atomically(const char *path, const char *data, size_t size);
void close_fds_except(const int *keep, size_t count);
/* Seconds on the monotonic clock. */
long long monotonic_seconds(void);
/* accept4 that survives EMFILE: a spare fd is given up to take the connection and refuse it. */
int accept_or_shed(int listener);

/* tcp.c */
struct tcp_listener;
struct tcp_listener *tcp_listener_create(const struct mapping *mapping);
void tcp_listener_ready(struct tcp_listener *listener);
/* Events on one socket of a relayed connection. */
void tcp_side_ready(struct handler *side, uint32_t events);

/* udp.c */
struct udp_listener;
struct udp_listener *udp_listener_create(const struct mapping *mapping, long idle_timeout);
void udp_listener_ready(struct udp_listener *listener);
void udp_flow_ready(struct handler *flow);
/* The idle-flow timer fired (`timer_fd` is a timerfd the UDP side arms while flows exist). */
void udp_sweep(void);
int udp_timer_init(void);
extern int udp_timer_fd;

#endif
