/* stack-monitor: the per-container monitor (the job conmon does for podman).
 * Plain C, one poll loop, no threads; linked statically without the Swift runtime. */
#ifndef STACK_MONITOR_H
#define STACK_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* ---- command line (args.c) ---- */
struct options {
    const char *id;
    const char *bundle;
    const char *runtime;
    const char *runtime_root;
    const char *dir;
    const char *log_file;
    long long log_max_size; /* bytes; <= 0: never rotate */
    int log_max_files;      /* files kept in all, the live one included */
    bool open_stdin;
    bool terminal;
    int sync_fd;
};

/* Parses argv; on failure writes a message into `error` and returns -1. */
int parse_options(int argc, char **argv, struct options *options, char *error, size_t error_size);

/* ---- small helpers (util.c) ---- */
ssize_t read_retry(int fd, void *buffer, size_t size);
/* Writes everything (blocking fds) or fails; EINTR retried. */
int write_all(int fd, const void *data, size_t size);
int set_nonblocking(int fd);
int set_cloexec(int fd);
/* Writes `data` to `path` through `path.tmp` + rename. */
int write_file_atomically(const char *path, const char *data, size_t size);
/* Closes every fd >= 3 except `keep`. */
void close_fds_except(int keep);
/* A listening unix stream socket at `path` (relative to the cwd), mode 0600, non-blocking, CLOEXEC. */
int listen_unix(const char *path);

/* ---- JSON and time text (json.c) ---- */
/* Appends `data` as the inside of a JSON string: Go's escaping (<>& as \u003c…, U+2028/9),
 * invalid UTF-8 becomes \ufffd. `out` needs room for 6 * size bytes. Returns bytes written. */
size_t json_escape(const unsigned char *data, size_t size, char *out);
/* The current time as RFC 3339 with nanoseconds in UTC, e.g. 2026-11-29T08:00:00.123456789Z. */
void rfc3339_now(char out[40]);

/* ---- what the monitor reports (report.c) ---- */
/* The error text for the sync line: the runtime's stderr, or what failed. */
void error_clear(void);
bool error_empty(void);
void error_append(const char *data, size_t size);
/* Replaces the text with "stack-monitor: STEP: strerror(errno)". */
void error_step(const char *step);
/* ONE line on the sync fd ({"pid":N} or {"error":"…"}), then it is closed and set to -1. */
void send_sync(int *sync_fd, bool ok, pid_t pid);
/* exit.json in the cwd (the container directory), through a temp file and rename. */
void write_exit_record(pid_t pid, int status);

/* ---- json-file log (log.c) ---- */
#define LOG_LINE_MAX 16384 /* Docker's line buffer: longer lines become partial entries */

enum stream_kind { STREAM_STDOUT = 0, STREAM_STDERR = 1 };

struct log_writer {
    int fd;
    const char *path;
    long long size;
    long long max_size;
    int max_files;
    unsigned char pending[2][LOG_LINE_MAX];
    size_t pending_len[2];
};

int log_open(struct log_writer *log, const char *path, long long max_size, int max_files);
/* Splits `data` into entries at newlines and at LOG_LINE_MAX bytes. */
void log_data(struct log_writer *log, enum stream_kind stream, const unsigned char *data, size_t size);
/* Writes what is left of a line without its newline (at EOF). */
void log_flush(struct log_writer *log, enum stream_kind stream);

/* ---- attach and control sockets (attach.c) ---- */
struct pollfd;
struct attach_server;

struct attach_hooks {
    int stdin_fd;      /* container's stdin (pipe write end or pty master), -1: none */
    bool close_stdin_on_eof; /* a client's half-close closes the container's stdin */
    int pty_fd;        /* pty master for resize, -1: none */
    bool raw;          /* terminal: raw bytes instead of stdcopy frames */
};

struct attach_server *attach_create(const char *attach_path, const char *control_path, struct attach_hooks hooks);
/* Adds the server's fds to `fds`; returns how many were added (at most attach_max_pollfds()). */
size_t attach_pollfds(struct attach_server *server, struct pollfd *fds);
size_t attach_max_pollfds(void);
/* Handles the events of the fds added by attach_pollfds (same order). */
void attach_handle(struct attach_server *server, struct pollfd *fds, size_t count);
/* Sends container output to every attached client (never blocks; slow clients are dropped). */
void attach_broadcast(struct attach_server *server, enum stream_kind stream, const unsigned char *data, size_t size);
/* At the container's exit: flush client buffers for at most `timeout_ms`, close everything, unlink the sockets. */
void attach_finish(struct attach_server *server, int timeout_ms);

/* ---- the runtime (runtime.c) ---- */
/* Forks and execs `RUNTIME --root R create --bundle B --pid-file P [--console-socket S] ID` with the given stdio. */
pid_t spawn_create(const struct options *options, const char *pid_file, const char *console_socket,
                   int stdin_fd, int stdout_fd, int stderr_fd);
/* Accepts one connection on the console socket and receives the pty master (SCM_RIGHTS); -1 if none yet. */
int receive_pty_master(int listen_fd);

#endif
