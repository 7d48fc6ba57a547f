#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *stream_names[2] = {"stdout", "stderr"};

/* One entry: {"log":"…","stream":"…","time":"…"}\n. Static: the monitor writes one at a time. */
static char entry[LOG_LINE_MAX * 6 + 128];

static int open_log(const char *path) {
    return open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
}

int log_open(struct log_writer *log, const char *path, long long max_size, int max_files) {
    memset(log->pending_len, 0, sizeof log->pending_len);
    log->path = path;
    log->max_size = max_size;
    log->max_files = max_files < 1 ? 1 : max_files;
    log->fd = open_log(path);
    if (log->fd < 0) return -1;
    struct stat st;
    log->size = fstat(log->fd, &st) == 0 ? st.st_size : 0;
    return 0;
}

/* F.(n-2) → F.(n-1) … F → F.1, then a new F; with one file the log is truncated instead. */
static void rotate(struct log_writer *log) {
    if (log->max_files <= 1) {
        if (ftruncate(log->fd, 0) == 0) log->size = 0;
        return;
    }
    char from[4096], to[4096];
    for (int i = log->max_files - 1; i >= 2; i--) {
        snprintf(from, sizeof from, "%s.%d", log->path, i - 1);
        snprintf(to, sizeof to, "%s.%d", log->path, i);
        rename(from, to); /* ENOENT when there are fewer files yet */
    }
    snprintf(to, sizeof to, "%s.1", log->path);
    if (rename(log->path, to) < 0) return;
    int fd = open_log(log->path);
    if (fd < 0) return; /* keep writing to the renamed file rather than losing output */
    close(log->fd);
    log->fd = fd;
    log->size = 0;
}

static void write_entry(struct log_writer *log, enum stream_kind stream, const unsigned char *text, size_t size) {
    if (log->fd < 0) return;
    if (log->max_size > 0 && log->size >= log->max_size) rotate(log);
    char time[40];
    rfc3339_now(time);
    size_t n = 0;
    memcpy(entry, "{\"log\":\"", 8);
    n = 8;
    n += json_escape(text, size, entry + n);
    n += (size_t)snprintf(entry + n, sizeof entry - n, "\",\"stream\":\"%s\",\"time\":\"%s\"}\n",
                          stream_names[stream], time);
    if (write_all(log->fd, entry, n) == 0) log->size += (long long)n;
}

void log_data(struct log_writer *log, enum stream_kind stream, const unsigned char *data, size_t size) {
    unsigned char *pending = log->pending[stream];
    size_t *length = &log->pending_len[stream];
    while (size > 0) {
        const unsigned char *newline = memchr(data, '\n', size);
        size_t upto = newline ? (size_t)(newline - data) + 1 : size;
        size_t room = LOG_LINE_MAX - *length;
        if (upto > room) upto = room; /* a partial entry of exactly LOG_LINE_MAX bytes */
        if (*length == 0 && (upto == LOG_LINE_MAX || (newline && upto == (size_t)(newline - data) + 1))) {
            write_entry(log, stream, data, upto); /* a whole line straight from the read buffer */
        } else {
            memcpy(pending + *length, data, upto);
            *length += upto;
            if (pending[*length - 1] == '\n' || *length == LOG_LINE_MAX) {
                write_entry(log, stream, pending, *length);
                *length = 0;
            }
        }
        data += upto;
        size -= upto;
    }
}

void log_flush(struct log_writer *log, enum stream_kind stream) {
    if (log->pending_len[stream] == 0) return;
    write_entry(log, stream, log->pending[stream], log->pending_len[stream]);
    log->pending_len[stream] = 0;
}
