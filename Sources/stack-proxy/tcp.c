/* TCP: accept on the host socket, connect to the container, then move bytes both ways through a
 * pipe per direction with splice (the data never enters this process), propagating half-closes. */
#include "proxy.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

/* Bytes asked of one splice; a pipe holds 64 KiB by default. */
enum { SPLICE_CHUNK = 1 << 16, PUMP_ROUNDS = 16 };

struct tcp_listener {
    struct handler h;
    int fd;
    uint32_t registered;
    struct sockaddr_in upstream;
};

struct connection;

/* One socket of a relayed connection: 0 = the client, 1 = the container. */
struct side {
    struct handler h;
    struct connection *connection;
    int index;
    int fd;
    uint32_t registered;
};

/* Bytes from side[i] to side[1 - i]. */
struct direction {
    int pipe[2];
    size_t pending; /* in the pipe, not yet written */
    bool eof;       /* the source has sent FIN */
    bool shut;      /* shutdown(SHUT_WR) done on the destination */
};

struct connection {
    struct handler h; /* kind H_CONNECTION: only for the dead list */
    struct side side[2];
    struct direction direction[2];
    bool connecting;
};

struct tcp_listener *tcp_listener_create(const struct mapping *mapping) {
    struct tcp_listener *listener = calloc(1, sizeof *listener);
    if (!listener) return NULL;
    listener->h.kind = H_TCP_LISTENER;
    listener->fd = mapping->fd;
    listener->upstream = mapping->upstream;
    if (watch(listener->fd, &listener->h, &listener->registered, EPOLLIN) < 0) {
        free(listener);
        return NULL;
    }
    return listener;
}

static void connection_close(struct connection *c) {
    if (c->h.dead) return;
    for (int i = 0; i < 2; i++) {
        if (c->side[i].fd >= 0) close(c->side[i].fd); /* closing also drops the epoll registration */
        for (int end = 0; end < 2; end++) if (c->direction[i].pipe[end] >= 0) close(c->direction[i].pipe[end]);
    }
    retire(&c->h);
}

/* Moves what it can from side[d] to side[1 - d] without blocking; -1 when the connection broke. */
static int pump(struct connection *c, int d) {
    struct direction *dir = &c->direction[d];
    int from = c->side[d].fd, to = c->side[1 - d].fd;
    for (int round = 0; round < PUMP_ROUNDS; round++) {
        if (dir->pending > 0) {
            ssize_t n = splice(dir->pipe[0], NULL, to, NULL, dir->pending, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
            if (n > 0) {
                dir->pending -= (size_t)n;
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && errno == EAGAIN) return 0;
            return -1;
        }
        if (dir->eof) {
            if (!dir->shut) {
                dir->shut = true;
                if (shutdown(to, SHUT_WR) < 0 && errno != ENOTCONN) return -1;
            }
            return 0;
        }
        ssize_t n = splice(from, NULL, dir->pipe[1], NULL, SPLICE_CHUNK, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
        if (n > 0) {
            dir->pending += (size_t)n;
        } else if (n == 0) {
            dir->eof = true;
        } else if (errno == EAGAIN) {
            return 0;
        } else if (errno != EINTR) {
            return -1;
        }
    }
    return 0; /* more may be there: level-triggered epoll brings us back */
}

/* Watches exactly what the connection's state needs; closes it when both directions are done. */
static void update(struct connection *c) {
    if (c->direction[0].shut && c->direction[1].shut) {
        connection_close(c);
        return;
    }
    for (int i = 0; i < 2; i++) {
        uint32_t wanted = 0;
        if (c->connecting) {
            wanted = i == 1 ? EPOLLOUT : 0;
        } else {
            const struct direction *out = &c->direction[i], *in = &c->direction[1 - i];
            if (!out->eof && out->pending == 0) wanted |= EPOLLIN;
            if (in->pending > 0) wanted |= EPOLLOUT;
        }
        if (watch(c->side[i].fd, &c->side[i].h, &c->side[i].registered, wanted) < 0) {
            connection_close(c);
            return;
        }
    }
}

static void relay(struct connection *c) {
    if (pump(c, 0) < 0 || pump(c, 1) < 0) {
        connection_close(c);
        return;
    }
    update(c);
}

static void connection_start(struct tcp_listener *listener, int client) {
    struct connection *c = calloc(1, sizeof *c);
    if (!c) {
        close(client);
        return;
    }
    c->h.kind = H_CONNECTION;
    for (int i = 0; i < 2; i++) {
        c->side[i].h.kind = H_TCP_SIDE;
        c->side[i].connection = c;
        c->side[i].index = i;
        c->direction[i].pipe[0] = c->direction[i].pipe[1] = -1;
    }
    c->side[0].fd = client;
    c->side[1].fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->side[1].fd < 0 || pipe2(c->direction[0].pipe, O_NONBLOCK | O_CLOEXEC) < 0 ||
        pipe2(c->direction[1].pipe, O_NONBLOCK | O_CLOEXEC) < 0) {
        connection_close(c);
        return;
    }
    int on = 1; /* as Go (docker-proxy) does: small writes leave at once */
    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    setsockopt(c->side[1].fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    if (connect(c->side[1].fd, (const struct sockaddr *)&listener->upstream, sizeof listener->upstream) < 0) {
        if (errno != EINPROGRESS) {
            connection_close(c);
            return;
        }
        c->connecting = true;
    }
    update(c);
}

void tcp_listener_ready(struct tcp_listener *listener) {
    for (int accepted = 0; accepted < 64; accepted++) {
        int client = accept_or_shed(listener->fd);
        if (client < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            return; /* EAGAIN, or a transient error (ENOBUFS…): the next wake-up retries */
        }
        connection_start(listener, client);
    }
}

void tcp_side_ready(struct handler *handler, uint32_t events) {
    struct side *side = (struct side *)handler;
    struct connection *c = side->connection;
    if (c->h.dead) return;
    if (c->connecting) {
        if (side->index != 1) return;
        int error = 0;
        socklen_t length = sizeof error;
        if (getsockopt(side->fd, SOL_SOCKET, SO_ERROR, &error, &length) < 0) error = errno;
        if (error == EINPROGRESS || (error == 0 && !(events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))) return;
        if (error != 0) { /* the container refuses: the client sees its connection closed */
            connection_close(c);
            return;
        }
        c->connecting = false;
    }
    relay(c);
}
