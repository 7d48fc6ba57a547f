/* stack-monitor: detaches, runs `RUNTIME create`, reports the container's pid on the sync fd, then
 * logs the container's output, serves attach.sock and control.sock, and records its exit status. */
#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static struct options options;
static struct log_writer log_writer;

/* Children reaped before we knew their pid matters (e.g. the container, killed before its pid was read). */
static struct { pid_t pid; int status; } reaped[32];
static size_t reaped_count;

/* Reaps every child that ended; returns whether `want` (if > 0) was among them, with its status. */
static bool reap(pid_t want, int *want_status) {
    bool found = false;
    for (;;) {
        int status;
        pid_t pid = waitpid(-1, &status, WNOHANG);
        if (pid <= 0) break;
        if (pid == want) {
            found = true;
            *want_status = status;
        } else if (reaped_count < sizeof reaped / sizeof reaped[0]) {
            reaped[reaped_count].pid = pid;
            reaped[reaped_count++].status = status;
        }
    }
    return found;
}

static bool reaped_before(pid_t pid, int *status) {
    for (size_t i = 0; i < reaped_count; i++) {
        if (reaped[i].pid == pid) {
            *status = reaped[i].status;
            return true;
        }
    }
    return false;
}

static void drain_signalfd(int fd) {
    struct signalfd_siginfo info[8];
    while (read_retry(fd, info, sizeof info) > 0) {}
}

static pid_t read_pid_file(const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    char text[32];
    ssize_t n = read_retry(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0) return -1;
    text[n] = '\0';
    long pid = strtol(text, NULL, 10);
    return pid > 0 ? (pid_t)pid : -1;
}

/* Output of one fd: into the log and to attached clients. Returns false at EOF or on error. */
static bool pump(int fd, enum stream_kind stream, struct attach_server *server) {
    static unsigned char buffer[32768];
    for (;;) {
        ssize_t n = read_retry(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EAGAIN) return true;
        if (n <= 0) return false; /* EOF, or EIO from a pty master whose slave is gone */
        log_data(&log_writer, stream, buffer, (size_t)n);
        attach_broadcast(server, stream, buffer, (size_t)n);
        if ((size_t)n < sizeof buffer) return true;
    }
}

static bool in_directory; /* cwd is --dir: the relative names below are the container's files */

static int run(void) {
    /* Detached already; the container's parent once the runtime exits. */
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    if (chdir(options.dir) < 0) { error_step("chdir --dir"); return -1; }
    in_directory = true;
    char text[32];
    int n = snprintf(text, sizeof text, "%d\n", (int)getpid());
    if (write_file_atomically("monitor.pid", text, (size_t)n) < 0) { error_step("write monitor.pid"); return -1; }

    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    int signal_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    if (signal_fd < 0) { error_step("signalfd"); return -1; }

    if (log_open(&log_writer, options.log_file, options.log_max_size, options.log_max_files) < 0) {
        error_step("open --log-file");
        return -1;
    }

    /* stdio pipes: [0] read end, [1] write end; the monitor's ends are non-blocking. */
    int in[2] = {-1, -1}, out[2], err[2];
    if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) { error_step("pipe"); return -1; }
    if (options.open_stdin && !options.terminal) {
        if (pipe2(in, O_CLOEXEC) < 0) { error_step("pipe"); return -1; }
        set_nonblocking(in[1]);
    } else {
        in[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
    }
    set_nonblocking(out[0]);
    set_nonblocking(err[0]);

    int console_listen = -1;
    char console_path[4096];
    if (options.terminal) {
        console_listen = listen_unix("console.sock");
        if (console_listen < 0) { error_step("listen console.sock"); return -1; }
        /* The runtime runs in this directory too; the absolute path only when it fits a sockaddr_un. */
        if (snprintf(console_path, sizeof console_path, "%s/console.sock", options.dir) >= 100)
            strcpy(console_path, "console.sock");
    }

    char pid_path[4096];
    snprintf(pid_path, sizeof pid_path, "%s/container.pid", options.dir);
    if (pid_path[0] != '/') strcpy(pid_path, "container.pid");
    unlink("container.pid");
    unlink("exit.json");

    pid_t runtime = spawn_create(&options, pid_path, options.terminal ? console_path : NULL, in[0], out[1], err[1]);
    if (runtime < 0) { error_step("fork"); return -1; }
    close(in[0]);
    close(out[1]);
    close(err[1]);

    /* Creating: collect the runtime's stderr (its error message) until it exits; take the pty master. */
    int pty = -1, status = 0;
    error_clear();
    bool created = false;
    while (!created) {
        struct pollfd fds[4] = {{.fd = signal_fd, .events = POLLIN}, {.fd = err[0], .events = POLLIN},
                                {.fd = out[0], .events = POLLIN}, {.fd = pty < 0 ? console_listen : -1, .events = POLLIN}};
        if (poll(fds, 4, -1) < 0 && errno != EINTR) { error_step("poll"); return -1; }
        char buffer[4096];
        ssize_t got;
        if (fds[1].revents) while ((got = read_retry(err[0], buffer, sizeof buffer)) > 0) error_append(buffer, (size_t)got);
        if (fds[2].revents) while (read_retry(out[0], buffer, sizeof buffer) > 0) {}
        if (fds[3].revents & POLLIN) pty = receive_pty_master(console_listen);
        if (fds[0].revents & POLLIN) {
            drain_signalfd(signal_fd);
            created = reap(runtime, &status);
        }
    }
    /* Everything create wrote is in the pipe by now; the container has not started. */
    char buffer[4096];
    ssize_t got;
    while ((got = read_retry(err[0], buffer, sizeof buffer)) > 0) error_append(buffer, (size_t)got);
    if (options.terminal && pty < 0) pty = receive_pty_master(console_listen);
    if (console_listen >= 0) {
        close(console_listen);
        unlink("console.sock");
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (error_empty()) {
            n = snprintf(buffer, sizeof buffer, "%s create exited with status %d", options.runtime,
                         WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
            error_append(buffer, (size_t)n);
        }
        return -1;
    }
    pid_t container = read_pid_file("container.pid");
    if (container < 0) { error_step("read container.pid"); return -1; }
    if (options.terminal && pty < 0) {
        static const char text[] = "stack-monitor: the runtime sent no pty master on the console socket";
        error_clear();
        error_append(text, sizeof text - 1);
        return -1;
    }
    if (pty >= 0) set_nonblocking(pty);

    struct attach_hooks hooks = {.stdin_fd = options.terminal ? (options.open_stdin ? pty : -1) : in[1],
                                 .close_stdin_on_eof = !options.terminal, .pty_fd = pty, .raw = options.terminal};
    struct attach_server *server = attach_create("attach.sock", "control.sock", hooks);
    if (!server) { error_step("listen attach.sock/control.sock"); return -1; }

    send_sync(&options.sync_fd, true, container);

    /* Running: until the container's pid ends. */
    int stdout_fd = options.terminal ? pty : out[0];
    int stderr_fd = options.terminal ? -1 : err[0];
    if (options.terminal) {
        close(out[0]);
        close(err[0]);
    }
    bool ended = reaped_before(container, &status);
    size_t extra = attach_max_pollfds();
    struct pollfd *fds = calloc(3 + extra, sizeof *fds);
    if (!fds) return -1;
    while (!ended) {
        fds[0] = (struct pollfd){.fd = signal_fd, .events = POLLIN};
        fds[1] = (struct pollfd){.fd = stdout_fd, .events = POLLIN};
        fds[2] = (struct pollfd){.fd = stderr_fd, .events = POLLIN};
        size_t count = attach_pollfds(server, fds + 3);
        if (poll(fds, 3 + count, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        /* Clients first: one that connected before `start` (stackd attaches so) must be accepted
         * before the container's first output is handed out, or that output would miss it. */
        attach_handle(server, fds + 3, count);
        if (fds[1].revents && !pump(stdout_fd, STREAM_STDOUT, server)) {
            log_flush(&log_writer, STREAM_STDOUT);
            if (!options.terminal) close(stdout_fd); /* the pty master stays for resize until the end */
            stdout_fd = -1;
        }
        if (fds[2].revents && !pump(stderr_fd, STREAM_STDERR, server)) {
            log_flush(&log_writer, STREAM_STDERR);
            close(stderr_fd);
            stderr_fd = -1;
        }
        if (fds[0].revents & POLLIN) {
            drain_signalfd(signal_fd);
            ended = reap(container, &status);
        }
    }
    /* Drain: what the container wrote before it ended is in the pipes (other holders may keep them open). */
    if (stdout_fd >= 0) pump(stdout_fd, STREAM_STDOUT, server);
    if (stderr_fd >= 0) pump(stderr_fd, STREAM_STDERR, server);
    log_flush(&log_writer, STREAM_STDOUT);
    log_flush(&log_writer, STREAM_STDERR);
    write_exit_record(container, status);
    attach_finish(server, 1000);
    return 0;
}

int main(int argc, char **argv) {
    char message[1024];
    /* The sync fd first, so that any other problem with the arguments can be reported on it. */
    int early_sync_fd = -1;
    for (int i = 1; i + 1 < argc; i++) {
        if (strcmp(argv[i], "--sync-fd") == 0) {
            char *end;
            long fd = strtol(argv[i + 1], &end, 10);
            if (*end == '\0' && fd >= 0 && fcntl((int)fd, F_GETFD) >= 0) early_sync_fd = (int)fd;
        }
    }
    if (parse_options(argc, argv, &options, message, sizeof message) < 0) {
        options.sync_fd = early_sync_fd; /* parse_options reset it */
        if (options.sync_fd >= 0) {
            error_append(message, strlen(message));
            send_sync(&options.sync_fd, false, 0);
        }
        fprintf(stderr, "stack-monitor: %s\n", message);
        return 2;
    }
    if (fcntl(options.sync_fd, F_GETFD) < 0) {
        fprintf(stderr, "stack-monitor: --sync-fd %d: %s\n", options.sync_fd, strerror(errno));
        return 2;
    }
    if (options.sync_fd <= 2) { /* keep it clear of the stdio slots that become /dev/null */
        int moved = fcntl(options.sync_fd, F_DUPFD_CLOEXEC, 3);
        if (moved < 0) return 2;
        options.sync_fd = moved;
    }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGCHLD, SIG_DFL); /* an inherited SIG_IGN would make the kernel reap the container for us */
    close_fds_except(options.sync_fd);
    set_cloexec(options.sync_fd); /* neither the runtime nor the container may hold it */
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null >= 0) {
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        if (null > 2) close(null);
    }

    pid_t child = fork();
    if (child < 0) {
        error_step("fork");
        send_sync(&options.sync_fd, false, 0);
        return 1;
    }
    if (child > 0) {
        close(options.sync_fd); /* the monitor keeps its copy; EOF comes when it closes it */
        return 0;
    }
    setsid();
    if (run() < 0) {
        if (in_directory) { /* nothing of this monitor is left once the launcher hears of the failure */
            unlink("monitor.pid");
            unlink("attach.sock");
            unlink("control.sock");
            unlink("console.sock");
        }
        send_sync(&options.sync_fd, false, 0);
        return 1;
    }
    return 0;
}
