/*
 * The init plan's hook ops: HOOKS_SYNC, READ_STATE and HOOK, and the line reader on the sync
 * socket. Child side: async-signal-safe only (see init_plan.c).
 */
#define _GNU_SOURCE
#include "cruntime.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "init_plan_internal.h"
#include "spawn_internal.h"

long cri_read_line_part(int fd, char *dst, size_t cap, int *line_end) {
    *line_end = 0;
    if (cap == 0) return 0;
    /* Peek first, then take exactly up to the newline: what follows the line stays queued for
     * whoever reads next. */
    long n = EINTR_RETRY(recv(fd, dst, cap, MSG_PEEK));
    if (n < 0 && errno == ENOTSOCK) {
        size_t got = 0;
        while (got < cap) {
            long r = EINTR_RETRY(read(fd, dst + got, 1));
            if (r < 0) return got > 0 ? (long)got : -errno;
            if (r == 0) break;
            if (dst[got++] == '\n') {
                *line_end = 1;
                break;
            }
        }
        return (long)got;
    }
    if (n <= 0) return n < 0 ? -errno : 0;
    const char *newline = memchr(dst, '\n', (size_t)n);
    size_t want = newline != NULL ? (size_t)(newline - dst) + 1 : (size_t)n;
    size_t got = 0;
    while (got < want) {
        long r = EINTR_RETRY(read(fd, dst + got, want - got));
        if (r < 0) return -errno;
        if (r == 0) break;
        got += (size_t)r;
    }
    *line_end = newline != NULL && got == want;
    return (long)got;
}

void cri_op_hooks_sync(struct cri_ctx *ctx, const struct cri_op *op) {
    static const char ask[] = "{\"type\":\"hooks\"}\n";
    static const char go[] = "{\"type\":\"continue\"}";
    (void)ctx, (void)op;
    if (cri_write_all(CR_INIT_SYNC_FD, ask, sizeof ask - 1) != 0) _exit(127);
    char head[64], rest[256];
    size_t have = 0;
    int end = 0;
    while (!end) {
        /* The first bytes of the line are kept, the rest is read and dropped. */
        char *dst = have < sizeof head ? head + have : rest;
        size_t cap = have < sizeof head ? sizeof head - have : sizeof rest;
        long n = cri_read_line_part(CR_INIT_SYNC_FD, dst, cap, &end);
        if (n <= 0) _exit(127); /* the runtime reports its own failure */
        if (have < sizeof head) have += (size_t)n;
    }
    if (have < sizeof go - 1 || memcmp(head, go, sizeof go - 1) != 0) _exit(127);
}

void cri_op_read_state(struct cri_ctx *ctx, const struct cri_op *op) {
    static const char label[] = "read the container state";
    (void)op;
    size_t cap = 64 * 1024, len = 0;
    char *buf = mmap(NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (buf == MAP_FAILED) cri_fail(ctx, label, NULL, errno);
    int end = 0;
    while (!end) {
        if (len == cap) {
            void *bigger = (void *)syscall(SYS_mremap, buf, cap, cap * 2, MREMAP_MAYMOVE);
            if (bigger == MAP_FAILED) cri_fail(ctx, label, NULL, errno);
            buf = bigger;
            cap *= 2;
        }
        long n = cri_read_line_part(CR_INIT_SYNC_FD, buf + len, cap - len, &end);
        if (n < 0) cri_fail(ctx, label, NULL, (int)-n);
        if (n == 0) cri_fail(ctx, label, NULL, EPIPE); /* end of file before the line's end */
        len += (size_t)n;
    }
    if (ctx->state != NULL) munmap((void *)(uintptr_t)ctx->state, ctx->state_len);
    ctx->state = buf;
    ctx->state_len = len - 1; /* without the "\n" */
}

/* "KIND hook #D (PATH): TEXT[NUMBER[UNIT]][: ENAME (description)]", exit 127. */
__attribute__((noreturn)) static void fail_hook_unit(struct cri_ctx *ctx, const struct cri_op *op,
                                                     const char *text, long long number,
                                                     const char *unit, int err) {
    struct cri_msg m;
    cri_msg_init(&m);
    cri_msg_str(&m, op->item[0]);
    cri_msg_str(&m, " hook #");
    cri_msg_num(&m, (long long)op->d);
    cri_msg_str(&m, " (");
    cri_msg_str(&m, op->item[1]);
    cri_msg_str(&m, "): ");
    cri_msg_str(&m, text);
    if (number >= 0) cri_msg_num(&m, number);
    cri_msg_str(&m, unit);
    if (err != 0) cri_msg_errno(&m, err);
    cri_die_msg(ctx, &m, 127);
}

__attribute__((noreturn)) static void fail_hook(struct cri_ctx *ctx, const struct cri_op *op,
                                                const char *text, long long number, int err) {
    fail_hook_unit(ctx, op, text, number, NULL, err);
}

static uint64_t now_ns(void) {
    struct timespec ts;
    syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Wait for pid; past timeout seconds (0: none) kill it. Returns the status, or -1 on timeout. */
static int wait_hook(pid_t pid, uint64_t timeout) {
    int status = 0;
    if (timeout > 0) {
        uint64_t limit = timeout > 1000000000ULL ? 1000000000ULL : timeout; /* ~31 years */
        uint64_t deadline = now_ns() + limit * 1000000000ULL;
        int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
        uint64_t pause_ns = 200000;
        for (;;) {
            uint64_t now = now_ns();
            if (now >= deadline) break;
            uint64_t left_ms = (deadline - now + 999999) / 1000000;
            if (pidfd >= 0) {
                struct pollfd p = {pidfd, POLLIN, 0};
                int r = poll(&p, 1, left_ms > 0x7fffffff ? 0x7fffffff : (int)left_ms);
                if (r > 0) break;
                if (r < 0 && errno != EINTR) {
                    close(pidfd); /* poll cannot wait on it: fall back to the loop */
                    pidfd = -1;
                }
            } else {
                long r = waitpid(pid, &status, WNOHANG);
                if (r == pid) return status;
                if (r < 0 && errno != EINTR) return 0x7f00; /* ECHILD: reads as exit status 127 */
                uint64_t pause = pause_ns < (deadline - now) ? pause_ns : (deadline - now);
                struct timespec ts = {(time_t)(pause / 1000000000ULL), (long)(pause % 1000000000ULL)};
                nanosleep(&ts, NULL);
                if (pause_ns < 20000000) pause_ns *= 2;
            }
        }
        if (pidfd >= 0) close(pidfd);
        if (waitpid(pid, &status, WNOHANG) == pid) return status;
        if (now_ns() >= deadline) {
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
            return -1;
        }
    }
    for (;;) {
        long r = waitpid(pid, &status, 0);
        if (r == pid) return status;
        if (r < 0 && errno != EINTR) return 0x7f00;
    }
}

/* The hook's stdin: the state, with SIGPIPE blocked (a hook may exit without reading) and a
 * SIGPIPE raised meanwhile taken off the pending set before the mask is restored. */
static void feed_state(int fd, const char *text, size_t len) {
    unsigned long pipe_set[4] = {0}, old[4] = {0};
    pipe_set[(SIGPIPE - 1) / (8 * sizeof(unsigned long))] |=
        1UL << ((SIGPIPE - 1) % (8 * sizeof(unsigned long)));
    syscall(SYS_rt_sigprocmask, SIG_BLOCK, pipe_set, old, CR_KERNEL_SIGSET_BYTES);
    int err = cri_write_all(fd, text, len);
    if (err == EPIPE) {
        struct timespec zero = {0, 0};
        syscall(SYS_rt_sigtimedwait, pipe_set, NULL, &zero, CR_KERNEL_SIGSET_BYTES);
    }
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, old, NULL, CR_KERNEL_SIGSET_BYTES);
}

/* The hook's child: stdin from the pipe, every other fd >= 3 closed at exec, an empty signal
 * mask; an execve() failure goes back as its errno on the error pipe. */
__attribute__((noreturn)) static void hook_child(int in, int error_w, const char *path,
                                                 char **argv, char **envp) {
    cr_child_unblock_signals();
    int err = 0;
    if (in != 0 && dup2(in, 0) < 0) err = errno;
    if (err == 0 && fcntl(0, F_SETFD, 0) < 0) err = errno;
    if (err == 0) (void)cr_child_cloexec_from(3); /* best effort; the error pipe is close-on-exec */
    if (err == 0) {
        execve(path, argv, envp);
        err = errno;
    }
    cri_write_all(error_w, &err, sizeof err);
    _exit(127);
}

/* items: kind, path, a arguments, b environment entries. c = timeout, d = index. */
void cri_op_hook(struct cri_ctx *ctx, const struct cri_op *op) {
    const char *path = op->item[1];
    size_t argc = (size_t)op->a, envc = (size_t)op->b;
    size_t slots = (argc > 0 ? argc : 1) + 1 + envc + 1;
    size_t bytes = slots * sizeof(char *);
    void *memory = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) fail_hook(ctx, op, "spawn", -1, errno);
    char **argv = memory;
    struct cri_cursor cur;
    cri_cursor_init(&cur, op);
    cri_cursor_next(&cur, NULL); /* kind */
    cri_cursor_next(&cur, NULL); /* path */
    size_t i = 0;
    for (; i < argc; i++) argv[i] = (char *)(uintptr_t)cri_cursor_next(&cur, NULL);
    if (argc == 0) argv[i++] = (char *)(uintptr_t)path; /* no args: argv[0] is the path */
    argv[i++] = NULL;
    char **envp = argv + i;
    for (size_t j = 0; j < envc; j++) envp[j] = (char *)(uintptr_t)cri_cursor_next(&cur, NULL);
    envp[envc] = NULL;

    int in[2], error_pipe[2];
    if (pipe2(in, O_CLOEXEC) < 0) fail_hook(ctx, op, "spawn", -1, errno);
    if (pipe2(error_pipe, O_CLOEXEC) < 0) fail_hook(ctx, op, "spawn", -1, errno);
    pid_t pid = cr_raw_clone(0, 0, -1, NULL, NULL); /* fork-like, no glibc bookkeeping */
    if (pid < 0) fail_hook(ctx, op, "spawn", -1, errno);
    if (pid == 0) hook_child(in[0], error_pipe[1], path, argv, envp);
    close(in[0]);
    close(error_pipe[1]);
    int child_err = 0;
    long n = EINTR_RETRY(read(error_pipe[0], &child_err, sizeof child_err));
    close(error_pipe[0]);
    if (n == (long)sizeof child_err) {
        close(in[1]);
        wait_hook(pid, 0);
        fail_hook(ctx, op, "spawn", -1, child_err);
    }
    if (ctx->state != NULL)
        feed_state(in[1], ctx->state, ctx->state_len);
    else
        feed_state(in[1], "{}", 2);
    close(in[1]);
    int status = wait_hook(pid, op->c);
    munmap(memory, bytes);
    if (status == -1) fail_hook_unit(ctx, op, "timed out after ", (long long)op->c, "s", 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
    if (WIFEXITED(status)) fail_hook(ctx, op, "exit status ", WEXITSTATUS(status), 0);
    if (WIFSIGNALED(status)) fail_hook(ctx, op, "killed by signal ", WTERMSIG(status), 0);
    fail_hook(ctx, op, "ended with status ", status, 0);
}
