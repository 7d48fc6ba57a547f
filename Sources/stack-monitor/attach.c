#include "monitor.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 16
#define MAX_CONTROLS 4
#define CLIENT_BUFFER_MAX (256 * 1024) /* a client this far behind is disconnected */
#define STDIN_CHUNK 16384

struct client {
    int fd;
    bool reading; /* false after the client's half-close */
    unsigned char *out;
    size_t out_len, out_cap;
};

struct control {
    int fd;
    char line[128];
    size_t len;
};

struct attach_server {
    int attach_listen, control_listen;
    const char *attach_path, *control_path;
    struct attach_hooks hooks;
    struct client clients[MAX_CLIENTS];
    struct control controls[MAX_CONTROLS];
    /* stdin bytes read from a client but not yet taken by the container */
    unsigned char stdin_buffer[STDIN_CHUNK];
    size_t stdin_len, stdin_off;
};

static struct attach_server the_server; /* one per monitor */

struct attach_server *attach_create(const char *attach_path, const char *control_path, struct attach_hooks hooks) {
    struct attach_server *s = &the_server;
    memset(s, 0, sizeof *s);
    s->hooks = hooks;
    s->attach_path = attach_path;
    s->control_path = control_path;
    for (int i = 0; i < MAX_CLIENTS; i++) s->clients[i].fd = -1;
    for (int i = 0; i < MAX_CONTROLS; i++) s->controls[i].fd = -1;
    s->attach_listen = listen_unix(attach_path);
    if (s->attach_listen < 0) return NULL;
    s->control_listen = listen_unix(control_path);
    if (s->control_listen < 0) {
        close(s->attach_listen);
        return NULL;
    }
    return s;
}

size_t attach_max_pollfds(void) { return 3 + MAX_CLIENTS + MAX_CONTROLS; }

static void drop_client(struct client *c) {
    if (c->fd >= 0) close(c->fd);
    free(c->out);
    memset(c, 0, sizeof *c);
    c->fd = -1;
}

static void close_stdin(struct attach_server *s) {
    if (s->hooks.stdin_fd >= 0 && s->hooks.close_stdin_on_eof) {
        close(s->hooks.stdin_fd);
        s->hooks.stdin_fd = -1;
        s->stdin_len = s->stdin_off = 0;
    }
}

/* Order of fds: attach listener, control listener, [stdin when bytes wait], clients…, controls… */
size_t attach_pollfds(struct attach_server *s, struct pollfd *fds) {
    size_t n = 0;
    fds[n++] = (struct pollfd){.fd = s->attach_listen, .events = POLLIN};
    fds[n++] = (struct pollfd){.fd = s->control_listen, .events = POLLIN};
    bool waiting = s->stdin_off < s->stdin_len;
    fds[n++] = (struct pollfd){.fd = waiting ? s->hooks.stdin_fd : -1, .events = POLLOUT};
    for (int i = 0; i < MAX_CLIENTS; i++) {
        struct client *c = &s->clients[i];
        short events = 0;
        if (c->fd >= 0 && c->reading && !waiting) events |= POLLIN; /* backpressure while stdin is full */
        if (c->fd >= 0 && c->out_len > 0) events |= POLLOUT;
        fds[n++] = (struct pollfd){.fd = c->fd, .events = events};
    }
    for (int i = 0; i < MAX_CONTROLS; i++) fds[n++] = (struct pollfd){.fd = s->controls[i].fd, .events = POLLIN};
    return n;
}

static void accept_client(struct attach_server *s) {
    for (;;) {
        int fd = accept4(s->attach_listen, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd < 0) return;
        struct client *slot = NULL;
        for (int i = 0; i < MAX_CLIENTS && !slot; i++) if (s->clients[i].fd < 0) slot = &s->clients[i];
        if (!slot) { close(fd); continue; }
        slot->fd = fd;
        slot->reading = true;
    }
}

static void accept_control(struct attach_server *s) {
    for (;;) {
        int fd = accept4(s->control_listen, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd < 0) return;
        struct control *slot = NULL;
        for (int i = 0; i < MAX_CONTROLS && !slot; i++) if (s->controls[i].fd < 0) slot = &s->controls[i];
        if (!slot) { close(fd); continue; }
        slot->fd = fd;
        slot->len = 0;
    }
}

static void push_stdin(struct attach_server *s) {
    while (s->stdin_off < s->stdin_len && s->hooks.stdin_fd >= 0) {
        ssize_t n = write(s->hooks.stdin_fd, s->stdin_buffer + s->stdin_off, s->stdin_len - s->stdin_off);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) return;
            s->stdin_len = s->stdin_off = 0; /* EPIPE: the container closed its stdin */
            return;
        }
        s->stdin_off += (size_t)n;
    }
    s->stdin_len = s->stdin_off = 0;
}

static void read_client(struct attach_server *s, struct client *c) {
    ssize_t n = read_retry(c->fd, s->stdin_buffer, sizeof s->stdin_buffer);
    if (n < 0) {
        if (errno != EAGAIN) drop_client(c);
        return;
    }
    if (n == 0) {
        c->reading = false;
        close_stdin(s);
        return;
    }
    if (s->hooks.stdin_fd < 0) return; /* no stdin: input is discarded */
    s->stdin_off = 0;
    s->stdin_len = (size_t)n;
    push_stdin(s);
}

static void flush_client(struct client *c) {
    while (c->out_len > 0) {
        ssize_t n = send(c->fd, c->out, c->out_len, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno != EAGAIN) drop_client(c);
            return;
        }
        memmove(c->out, c->out + n, c->out_len - (size_t)n);
        c->out_len -= (size_t)n;
    }
}

static void handle_control_line(struct attach_server *s, const char *line) {
    unsigned rows, cols;
    if (sscanf(line, "resize %u %u", &rows, &cols) == 2 && s->hooks.pty_fd >= 0) {
        struct winsize size = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
        ioctl(s->hooks.pty_fd, TIOCSWINSZ, &size);
    }
}

static void read_control(struct attach_server *s, struct control *c) {
    ssize_t n = read_retry(c->fd, c->line + c->len, sizeof c->line - 1 - c->len);
    if (n < 0 && errno == EAGAIN) return;
    if (n <= 0) {
        close(c->fd);
        c->fd = -1;
        return;
    }
    c->len += (size_t)n;
    char *newline;
    while ((newline = memchr(c->line, '\n', c->len)) != NULL) {
        *newline = '\0';
        handle_control_line(s, c->line);
        size_t used = (size_t)(newline - c->line) + 1;
        memmove(c->line, newline + 1, c->len - used);
        c->len -= used;
    }
    if (c->len == sizeof c->line - 1) c->len = 0; /* an overlong line is dropped */
}

void attach_handle(struct attach_server *s, struct pollfd *fds, size_t count) {
    if (count < attach_max_pollfds()) return;
    if (fds[0].revents & POLLIN) accept_client(s);
    if (fds[1].revents & POLLIN) accept_control(s);
    if (fds[2].revents & (POLLOUT | POLLERR | POLLHUP)) push_stdin(s);
    for (int i = 0; i < MAX_CLIENTS; i++) {
        struct client *c = &s->clients[i];
        short revents = fds[3 + i].revents;
        if (c->fd < 0 || revents == 0) continue;
        if (revents & POLLOUT) flush_client(c);
        if (c->fd >= 0 && (revents & (POLLIN | POLLHUP | POLLERR)) && c->reading && s->stdin_off >= s->stdin_len)
            read_client(s, c);
        else if (c->fd >= 0 && (revents & (POLLHUP | POLLERR)) && !c->reading)
            drop_client(c);
    }
    for (int i = 0; i < MAX_CONTROLS; i++) {
        if (s->controls[i].fd >= 0 && (fds[3 + MAX_CLIENTS + i].revents & (POLLIN | POLLHUP | POLLERR)))
            read_control(s, &s->controls[i]);
    }
}

static void queue(struct client *c, const unsigned char *data, size_t size) {
    if (c->out_len + size > CLIENT_BUFFER_MAX) {
        drop_client(c);
        return;
    }
    if (c->out_len + size > c->out_cap) {
        size_t cap = c->out_cap ? c->out_cap : 4096;
        while (cap < c->out_len + size) cap *= 2;
        unsigned char *grown = realloc(c->out, cap);
        if (!grown) {
            drop_client(c);
            return;
        }
        c->out = grown;
        c->out_cap = cap;
    }
    memcpy(c->out + c->out_len, data, size);
    c->out_len += size;
}

void attach_broadcast(struct attach_server *s, enum stream_kind stream, const unsigned char *data, size_t size) {
    unsigned char header[8] = {(unsigned char)(stream == STREAM_STDERR ? 2 : 1), 0, 0, 0,
                               (unsigned char)(size >> 24), (unsigned char)(size >> 16),
                               (unsigned char)(size >> 8), (unsigned char)size};
    for (int i = 0; i < MAX_CLIENTS; i++) {
        struct client *c = &s->clients[i];
        if (c->fd < 0) continue;
        if (!s->hooks.raw) queue(c, header, sizeof header);
        if (c->fd >= 0) queue(c, data, size);
        if (c->fd >= 0) flush_client(c);
    }
}

static long long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

void attach_finish(struct attach_server *s, int timeout_ms) {
    close(s->attach_listen);
    close(s->control_listen);
    unlink(s->attach_path);
    unlink(s->control_path);
    long long deadline = now_ms() + timeout_ms;
    for (;;) {
        struct pollfd fds[MAX_CLIENTS];
        nfds_t n = 0;
        for (int i = 0; i < MAX_CLIENTS; i++) {
            if (s->clients[i].fd >= 0 && s->clients[i].out_len > 0)
                fds[n++] = (struct pollfd){.fd = s->clients[i].fd, .events = POLLOUT};
        }
        long long left = deadline - now_ms();
        if (n == 0 || left <= 0) break;
        if (poll(fds, n, (int)left) < 0 && errno != EINTR) break;
        for (int i = 0; i < MAX_CLIENTS; i++) if (s->clients[i].fd >= 0) flush_client(&s->clients[i]);
    }
    for (int i = 0; i < MAX_CLIENTS; i++) drop_client(&s->clients[i]);
    for (int i = 0; i < MAX_CONTROLS; i++) if (s->controls[i].fd >= 0) close(s->controls[i].fd);
}
