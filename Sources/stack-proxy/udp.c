/* UDP: per client address a socket connected to the container; replies go back to the client from
 * the host socket (from the very address the client wrote to, when that socket is bound to
 * 0.0.0.0). A flow idle for the timeout is dropped. */
#include "proxy.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

enum { BUCKETS = 64, MAX_FLOWS = 4096, BATCH = 64 };

struct udp_flow;

struct udp_listener {
    struct handler h;
    int fd;
    uint32_t registered;
    bool wildcard; /* bound to 0.0.0.0: replies name their source address (IP_PKTINFO) */
    struct sockaddr_in upstream;
    long idle_timeout;
    struct udp_flow *buckets[BUCKETS];
    struct udp_listener *next;
};

struct udp_flow {
    struct handler h;
    struct udp_listener *listener;
    int fd;
    uint32_t registered;
    struct sockaddr_in client;
    struct in_addr local; /* where the client sent to */
    long long last_active;
    struct udp_flow *next;
};

int udp_timer_fd = -1;
static struct udp_listener *listeners;
static size_t flow_count;
static bool timer_armed;
/* One datagram at a time: the largest UDP payload. Untouched (so not resident) until UDP is used. */
static unsigned char datagram[65536];

int udp_timer_init(void) {
    udp_timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    return udp_timer_fd;
}

static long sweep_interval(void) {
    long shortest = 30;
    for (struct udp_listener *l = listeners; l; l = l->next) if (l->idle_timeout < shortest) shortest = l->idle_timeout;
    long interval = shortest / 3;
    return interval < 1 ? 1 : interval;
}

/* The timer runs only while flows exist, so an idle proxy never wakes up. */
static void arm_timer(bool on) {
    if (on == timer_armed || udp_timer_fd < 0) return;
    struct itimerspec spec;
    memset(&spec, 0, sizeof spec);
    if (on) spec.it_value.tv_sec = spec.it_interval.tv_sec = sweep_interval();
    if (timerfd_settime(udp_timer_fd, 0, &spec, NULL) == 0) timer_armed = on;
}

struct udp_listener *udp_listener_create(const struct mapping *mapping, long idle_timeout) {
    struct udp_listener *listener = calloc(1, sizeof *listener);
    if (!listener) return NULL;
    listener->h.kind = H_UDP_LISTENER;
    listener->fd = mapping->fd;
    listener->upstream = mapping->upstream;
    listener->idle_timeout = idle_timeout;
    struct sockaddr_in bound;
    socklen_t length = sizeof bound;
    if (getsockname(listener->fd, (struct sockaddr *)&bound, &length) == 0 && bound.sin_addr.s_addr == htonl(INADDR_ANY)) {
        int on = 1;
        listener->wildcard = setsockopt(listener->fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof on) == 0;
    }
    if (watch(listener->fd, &listener->h, &listener->registered, EPOLLIN) < 0) {
        free(listener);
        return NULL;
    }
    listener->next = listeners;
    listeners = listener;
    return listener;
}

static unsigned bucket_of(const struct sockaddr_in *client) {
    uint32_t key = client->sin_addr.s_addr * 2654435761u ^ client->sin_port;
    return (key ^ (key >> 16)) % BUCKETS;
}

static struct udp_flow *flow_find(struct udp_listener *listener, const struct sockaddr_in *client) {
    for (struct udp_flow *f = listener->buckets[bucket_of(client)]; f; f = f->next)
        if (f->client.sin_addr.s_addr == client->sin_addr.s_addr && f->client.sin_port == client->sin_port) return f;
    return NULL;
}

static struct udp_flow *flow_create(struct udp_listener *listener, const struct sockaddr_in *client) {
    if (flow_count >= MAX_FLOWS) return NULL;
    struct udp_flow *flow = calloc(1, sizeof *flow);
    if (!flow) return NULL;
    flow->h.kind = H_UDP_FLOW;
    flow->listener = listener;
    flow->client = *client;
    flow->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (flow->fd < 0 ||
        connect(flow->fd, (const struct sockaddr *)&listener->upstream, sizeof listener->upstream) < 0 ||
        watch(flow->fd, &flow->h, &flow->registered, EPOLLIN) < 0) {
        if (flow->fd >= 0) close(flow->fd);
        free(flow);
        return NULL;
    }
    unsigned bucket = bucket_of(client);
    flow->next = listener->buckets[bucket];
    listener->buckets[bucket] = flow;
    flow_count++;
    arm_timer(true);
    return flow;
}

/* Reads one datagram from the host socket; the destination address too on a wildcard socket. */
static ssize_t receive(struct udp_listener *listener, struct sockaddr_in *client, struct in_addr *local) {
    struct iovec iov = {.iov_base = datagram, .iov_len = sizeof datagram};
    union {
        char buffer[CMSG_SPACE(sizeof(struct in_pktinfo))];
        struct cmsghdr align;
    } control;
    struct msghdr message = {.msg_name = client, .msg_namelen = sizeof *client, .msg_iov = &iov, .msg_iovlen = 1,
                             .msg_control = control.buffer, .msg_controllen = sizeof control.buffer};
    ssize_t n = recvmsg(listener->fd, &message, 0);
    if (n < 0) return n;
    local->s_addr = htonl(INADDR_ANY);
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&message); c; c = CMSG_NXTHDR(&message, c)) {
        if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
            struct in_pktinfo info;
            memcpy(&info, CMSG_DATA(c), sizeof info);
            *local = info.ipi_addr;
        }
    }
    return n;
}

void udp_listener_ready(struct udp_listener *listener) {
    for (int i = 0; i < BATCH; i++) {
        struct sockaddr_in client;
        struct in_addr local;
        ssize_t n = receive(listener, &client, &local);
        if (n < 0) {
            if (errno == EINTR) continue;
            return;
        }
        if (client.sin_family != AF_INET) continue;
        struct udp_flow *flow = flow_find(listener, &client);
        if (!flow) flow = flow_create(listener, &client);
        if (!flow) continue; /* out of flows or fds: the datagram is dropped, as the network may */
        flow->local = local;
        flow->last_active = monotonic_seconds();
        /* An ICMP error from an earlier datagram is reported by this send, which then did not send. */
        if (send(flow->fd, datagram, (size_t)n, 0) < 0 && errno == ECONNREFUSED) send(flow->fd, datagram, (size_t)n, 0);
    }
}

/* A reply from the container: back to the client, from the address it wrote to. */
static void reply(struct udp_flow *flow, size_t size) {
    struct udp_listener *listener = flow->listener;
    struct iovec iov = {.iov_base = datagram, .iov_len = size};
    union {
        char buffer[CMSG_SPACE(sizeof(struct in_pktinfo))];
        struct cmsghdr align;
    } control;
    memset(&control, 0, sizeof control);
    struct msghdr message = {.msg_name = &flow->client, .msg_namelen = sizeof flow->client, .msg_iov = &iov, .msg_iovlen = 1};
    if (listener->wildcard && flow->local.s_addr != htonl(INADDR_ANY)) {
        message.msg_control = control.buffer;
        message.msg_controllen = sizeof control.buffer;
        struct cmsghdr *c = CMSG_FIRSTHDR(&message);
        c->cmsg_level = IPPROTO_IP;
        c->cmsg_type = IP_PKTINFO;
        c->cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo));
        struct in_pktinfo info;
        memset(&info, 0, sizeof info);
        info.ipi_spec_dst = flow->local;
        memcpy(CMSG_DATA(c), &info, sizeof info);
    }
    sendmsg(listener->fd, &message, 0); /* best effort, as UDP */
}

void udp_flow_ready(struct handler *handler) {
    struct udp_flow *flow = (struct udp_flow *)handler;
    if (flow->h.dead) return;
    for (int i = 0; i < BATCH; i++) {
        ssize_t n = recv(flow->fd, datagram, sizeof datagram, 0);
        if (n < 0) {
            if (errno == EINTR || errno == ECONNREFUSED) continue; /* nothing listens in the container (yet) */
            return;
        }
        flow->last_active = monotonic_seconds();
        reply(flow, (size_t)n);
    }
}

void udp_sweep(void) {
    uint64_t expirations;
    while (read(udp_timer_fd, &expirations, sizeof expirations) > 0) {}
    long long now = monotonic_seconds();
    for (struct udp_listener *l = listeners; l; l = l->next) {
        for (unsigned b = 0; b < BUCKETS; b++) {
            struct udp_flow **link = &l->buckets[b];
            while (*link) {
                struct udp_flow *flow = *link;
                if (now - flow->last_active >= l->idle_timeout) {
                    *link = flow->next;
                    close(flow->fd);
                    flow_count--;
                    retire(&flow->h);
                } else {
                    link = &flow->next;
                }
            }
        }
    }
    if (flow_count == 0) arm_timer(false);
}
