/*
 * cr_spawn: clone a child into new (or joined) namespaces, hold it until the parent has done its
 * part (uid/gid maps, cgroups), then let it execve().
 *
 * Parent                                   Child (code below child_* only)
 * ------                                   -----
 * validate, plan the fd remap
 * lock (no other cr_spawn clones until
 *   our copies of the child's ends close)
 * socketpair (sync), pipe2 (errors), both
 *   CLOEXEC and moved above every fd the
 *   remap mentions
 * block all signals
 * clone3 (or clone) ---------------------> reset every disposition to SIG_DFL, unblock all
 * restore the signal mask, unlock         [setns into joined namespaces]
 * [write the pid to cgroup.procs]          read the go byte (EOF: the parent is gone, _exit)
 * return the handle                        setsid, mark fds >= 3 close-on-exec, remap, chdir
 * ... the caller writes uid_map, joins     execve
 *     v1 cgroups ...                       on failure: write {step, errno} to the error pipe,
 * cr_spawn_release: write the go byte,       _exit(127)
 *   read the error pipe: EOF = exec'd
 *
 * When a user or pid namespace is joined (or a new user namespace goes with joins), a first child
 * joins everything, then clones the real child with CLONE_PARENT and the new-namespace flags, so
 * the real child is our child, sits in the joined pid namespace, and its new namespaces are owned
 * by the joined user namespace. The first child reports the pid on the error pipe and exits.
 *
 * The sync channel is a socketpair rather than a pipe so that sending the go byte to a child
 * that already failed gives EPIPE instead of raising SIGPIPE in the parent.
 *
 * The clone is fork-like: a raw clone3/clone system call without CLONE_VM and without a new stack,
 * so the child continues in this function on a copy-on-write copy of our stack and can read the
 * plan and arguments prepared above. glibc's fork() bookkeeping (atfork handlers, lock resets) is
 * skipped on purpose; the child therefore calls nothing that takes a lock or allocates.
 */
#define _GNU_SOURCE
#include "cruntime.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

#define CR_CLONE_PARENT 0x00008000ULL
#define CR_CLONE_PIDFD 0x00001000ULL
#define CR_CLONE_INTO_CGROUP 0x200000000ULL

/* The kernel's struct clone_args (linux/sched.h), declared here for older headers. */
struct cr_clone_args {
    uint64_t flags;
    uint64_t pidfd;
    uint64_t child_tid;
    uint64_t parent_tid;
    uint64_t exit_signal;
    uint64_t stack;
    uint64_t stack_size;
    uint64_t tls;
    uint64_t set_tid;
    uint64_t set_tid_size;
    uint64_t cgroup;
};
#define CR_CLONE_ARGS_SIZE_VER0 64
#define CR_CLONE_ARGS_SIZE_VER2 88

/* What the child writes on the error pipe. 16 bytes: one atomic pipe write. */
enum { CR_RECORD_ERROR = 1, CR_RECORD_PID = 2 };
struct cr_record {
    int32_t kind;
    int32_t step;
    int32_t err;
    int32_t pid;
};

/* The kernel's sigset size (the raw rt_sig* calls need it). */
#define CR_KERNEL_SIGSET_BYTES (((_NSIG - 1) + 7) / 8)

/* Everything the child needs, prepared by the parent before the clone. */
struct cr_child_context {
    const struct cr_spawn_args *args;
    struct cr_ns_join joins[CR_MAX_JOINS];
    size_t join_count;
    struct cr_fd_op plan[CR_MAX_PLAN];
    int plan_count;
    int sync_fd;  /* the child's end of the sync socketpair */
    int error_fd; /* the write end of the error pipe */
    int clone3;   /* whether clone3 exists (for the second clone) */
};

static pthread_mutex_t spawn_lock = PTHREAD_MUTEX_INITIALIZER;
static int clone3_state = -1; /* -1 unknown, 0 absent, 1 present */

int cr_clone3_available(void) {
    int state = __atomic_load_n(&clone3_state, __ATOMIC_RELAXED);
    if (state < 0) {
        /* A zero size is always EINVAL where clone3 exists; ENOSYS (or a seccomp EPERM) where not. */
        long r = syscall(SYS_clone3, NULL, 0);
        state = (r < 0 && errno == EINVAL) ? 1 : 0;
        __atomic_store_n(&clone3_state, state, __ATOMIC_RELAXED);
    }
    return state;
}

/* ---- child side: async-signal-safe only ---- */

static void child_report(int fd, int kind, int step, int err, pid_t pid) {
    struct cr_record record = {kind, step, err, (int32_t)pid};
    ssize_t n;
    do {
        n = write(fd, &record, sizeof record);
    } while (n < 0 && errno == EINTR);
}

__attribute__((noreturn)) static void child_fail(const struct cr_child_context *c, int step,
                                                 int err) {
    child_report(c->error_fd, CR_RECORD_ERROR, step, err, 0);
    _exit(127);
}

/* Reset every signal to SIG_DFL (a zeroed kernel sigaction is SIG_DFL, no flags, empty mask on
 * every architecture) through the raw system call, which never takes a libc lock. */
static void child_reset_signals(void) {
    unsigned long zero[8] = {0};
    for (int sig = 1; sig < _NSIG; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        syscall(SYS_rt_sigaction, sig, zero, NULL, CR_KERNEL_SIGSET_BYTES);
    }
}

static void child_unblock_signals(void) {
    unsigned long empty[4] = {0};
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, empty, NULL, CR_KERNEL_SIGSET_BYTES);
}

static int step_for_nstype(int nstype) {
    switch (nstype) {
    case CR_CLONE_NEWUSER: return CR_STEP_SETNS_USER;
    case CR_CLONE_NEWNS: return CR_STEP_SETNS_MNT;
    case CR_CLONE_NEWUTS: return CR_STEP_SETNS_UTS;
    case CR_CLONE_NEWIPC: return CR_STEP_SETNS_IPC;
    case CR_CLONE_NEWPID: return CR_STEP_SETNS_PID;
    case CR_CLONE_NEWNET: return CR_STEP_SETNS_NET;
    case CR_CLONE_NEWCGROUP: return CR_STEP_SETNS_CGROUP;
    case CR_CLONE_NEWTIME: return CR_STEP_SETNS_TIME;
    default: return CR_STEP_SETNS;
    }
}

static void child_join(const struct cr_child_context *c) {
    for (size_t i = 0; i < c->join_count; i++)
        if (syscall(SYS_setns, c->joins[i].fd, c->joins[i].nstype) < 0)
            child_fail(c, step_for_nstype(c->joins[i].nstype), errno);
}

/* Parse a decimal fd name from /proc/self/fd; -1 for "." and "..". */
static int parse_fd_name(const char *name) {
    if (*name == '\0') return -1;
    long value = 0;
    for (const char *p = name; *p; p++) {
        if (*p < '0' || *p > '9') return -1;
        value = value * 10 + (*p - '0');
        if (value > INT_MAX) return -1;
    }
    return (int)value;
}

static int set_cloexec(int fd) {
    int flags = fcntl(fd, F_GETFD);
    if (flags < 0) return errno == EBADF ? 0 : -1;
    if (flags & FD_CLOEXEC) return 0;
    return fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

/* Mark every fd >= first close-on-exec: close_range, else /proc/self/fd, else every number up to
 * the fd limit. */
static int child_cloexec_from(int first) {
    if (syscall(SYS_close_range, (unsigned)first, ~0U, CR_CLOSE_RANGE_CLOEXEC) == 0) return 0;
    int dir = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        char buffer[4096] __attribute__((aligned(8)));
        for (;;) {
            long n = syscall(SYS_getdents64, dir, buffer, sizeof buffer);
            if (n < 0) {
                int saved = errno;
                close(dir);
                errno = saved;
                return -1;
            }
            if (n == 0) break;
            for (long offset = 0; offset < n;) {
                /* struct linux_dirent64: ino (8), off (8), reclen (2), type (1), name */
                unsigned short reclen;
                memcpy(&reclen, buffer + offset + 16, sizeof reclen);
                int fd = parse_fd_name(buffer + offset + 19);
                if (fd >= first && fd != dir && set_cloexec(fd) < 0) {
                    int saved = errno;
                    close(dir);
                    errno = saved;
                    return -1;
                }
                offset += reclen;
            }
        }
        close(dir);
        return 0;
    }
    struct rlimit limit;
    long last = 65536;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY &&
        limit.rlim_cur < (rlim_t)(1 << 20))
        last = (long)limit.rlim_cur;
    for (long fd = first; fd < last; fd++)
        if (set_cloexec((int)fd) < 0) return -1;
    return 0;
}

static int child_run_plan(const struct cr_child_context *c) {
    int slots[CR_MAX_FDS];
    for (int i = 0; i < c->plan_count; i++) {
        const struct cr_fd_op *op = &c->plan[i];
        switch (op->kind) {
        case CR_FD_OP_STASH:
            slots[op->a] = fcntl(op->b, F_DUPFD_CLOEXEC, op->c);
            if (slots[op->a] < 0) return -1;
            break;
        case CR_FD_OP_DUP2: {
            int source = op->a >= 0 ? slots[op->a] : op->b;
            int r;
            do {
                r = dup2(source, op->c);
            } while (r < 0 && (errno == EINTR || errno == EBUSY));
            if (r < 0) return -1;
            break;
        }
        case CR_FD_OP_KEEP: {
            int flags = fcntl(op->c, F_GETFD);
            if (flags < 0 || fcntl(op->c, F_SETFD, flags & ~FD_CLOEXEC) < 0) return -1;
            break;
        }
        default: errno = EINVAL; return -1;
        }
    }
    return 0;
}

/* The child that execs: wait for the go byte, then fds, session, cwd, execve. */
__attribute__((noreturn)) static void child_exec(const struct cr_child_context *c, int join) {
    const struct cr_spawn_args *args = c->args;
    child_unblock_signals();
    if (join) child_join(c);

    char go = 0;
    ssize_t n;
    do {
        n = read(c->sync_fd, &go, 1);
    } while (n < 0 && errno == EINTR);
    if (n == 0) _exit(127); /* the parent went away or aborted us: nobody to report to */
    if (n < 0) child_fail(c, CR_STEP_SYNC, errno);
    close(c->sync_fd);

    /* After the go byte: in a two-stage spawn nothing but the first child's pid record may reach
     * the error pipe before it. A parent dying before this point closes the sync channel. */
    if (args->parent_death_signal > 0 &&
        prctl(PR_SET_PDEATHSIG, (unsigned long)args->parent_death_signal, 0, 0, 0) < 0)
        child_fail(c, CR_STEP_PDEATHSIG, errno);
    if (args->setsid && setsid() < 0) child_fail(c, CR_STEP_SETSID, errno);
    /* Everything >= 3 becomes close-on-exec first; the plan then clears the flag on its targets
     * (dup2 does so itself, KEEP explicitly). The error pipe stays close-on-exec. */
    if (child_cloexec_from(3) < 0) child_fail(c, CR_STEP_CLOEXEC, errno);
    if (child_run_plan(c) < 0) child_fail(c, CR_STEP_FD_REMAP, errno);
    if (args->cwd != NULL && chdir(args->cwd) < 0) child_fail(c, CR_STEP_CHDIR, errno);
    execve(args->path, args->argv, args->envp);
    child_fail(c, CR_STEP_EXECVE, errno);
}

/* A fork-like clone: clone3 when present (into the cgroup, with a pidfd on request), else clone.
 * Returns the pid (0 in the child) or -1 with errno set. */
static pid_t raw_clone(uint64_t flags, int use_clone3, int cgroup_fd, int *pidfd, int *into) {
    if (use_clone3) {
        struct cr_clone_args ca;
        memset(&ca, 0, sizeof ca);
        ca.flags = flags;
        /* With CLONE_PARENT the child inherits our exit signal; clone3 insists on 0 here. */
        ca.exit_signal = (flags & CR_CLONE_PARENT) ? 0 : SIGCHLD;
        if (pidfd != NULL) {
            ca.flags |= CR_CLONE_PIDFD;
            ca.pidfd = (uint64_t)(uintptr_t)pidfd;
        }
        size_t size = CR_CLONE_ARGS_SIZE_VER0;
        if (cgroup_fd >= 0) {
            ca.flags |= CR_CLONE_INTO_CGROUP;
            ca.cgroup = (uint64_t)cgroup_fd;
            size = CR_CLONE_ARGS_SIZE_VER2;
        }
        long r = syscall(SYS_clone3, &ca, size);
        if (r >= 0) {
            if (into != NULL) *into = cgroup_fd >= 0;
            return (pid_t)r;
        }
        if (errno != ENOSYS && cgroup_fd >= 0) {
            /* CLONE_INTO_CGROUP unknown (before 5.7) or refused: the parent writes cgroup.procs,
             * which reports the real reason if the cgroup itself is the problem. */
            return raw_clone(flags, use_clone3, -1, pidfd, into);
        }
        if (errno != ENOSYS) return -1;
        if (pidfd != NULL) *pidfd = -1;
    }
    if (into != NULL) *into = 0;
#if defined(__s390__) || defined(__CRIS__)
    return (pid_t)syscall(SYS_clone, 0, (unsigned long)(flags | SIGCHLD), NULL, NULL, 0);
#else
    return (pid_t)syscall(SYS_clone, (unsigned long)(flags | SIGCHLD), 0, NULL, NULL, 0);
#endif
}

/* The first child of a two-stage spawn: join, clone the real child as our parent's child,
 * report its pid, exit. */
__attribute__((noreturn)) static void child_join_then_clone(const struct cr_child_context *c) {
    child_join(c);
    pid_t pid = raw_clone(c->args->clone_flags | CR_CLONE_PARENT, c->clone3, -1, NULL, NULL);
    if (pid == 0) child_exec(c, 0);
    if (pid < 0) child_fail(c, CR_STEP_CLONE_CHILD, errno);
    child_report(c->error_fd, CR_RECORD_PID, CR_STEP_NONE, 0, pid);
    _exit(0);
}

/* ---- parent side ---- */

static void close_quietly(int *fd) {
    if (*fd >= 0) {
        int saved = errno;
        close(*fd);
        errno = saved;
        *fd = -1;
    }
}

/* Move fd to floor or above (keeping close-on-exec). */
static int move_above(int *fd, int floor) {
    if (*fd >= floor) return 0;
    int moved = fcntl(*fd, F_DUPFD_CLOEXEC, floor);
    if (moved < 0) return -1;
    close(*fd);
    *fd = moved;
    return 0;
}

/* Wait for pid; 1 when it was reaped here, 0 when someone else reaped it (ECHILD). */
static int reap(pid_t pid) {
    int status;
    for (;;) {
        if (waitpid(pid, &status, __WALL) >= 0) return 1;
        if (errno != EINTR) return 0;
    }
}

static ssize_t read_record(int fd, struct cr_record *record) {
    size_t got = 0;
    while (got < sizeof *record) {
        ssize_t n = read(fd, (char *)record + got, sizeof *record - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -1;
        if (n == 0) break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

static int fail(struct cr_spawn_result *out, int step, int err) {
    out->error.step = step;
    out->error.err = err;
    errno = err;
    return -1;
}

static int write_cgroup_procs(int cgroup_fd, pid_t pid) {
    int fd = openat(cgroup_fd, "cgroup.procs", O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    char text[24];
    int len = 0;
    char digits[24];
    int ndigits = 0;
    unsigned long value = (unsigned long)pid;
    do {
        digits[ndigits++] = (char)('0' + value % 10);
        value /= 10;
    } while (value > 0);
    while (ndigits > 0) text[len++] = digits[--ndigits];
    ssize_t n;
    do {
        n = write(fd, text, (size_t)len);
    } while (n < 0 && errno == EINTR);
    int saved = errno;
    close(fd);
    errno = saved;
    return n == len ? 0 : -1;
}

int cr_spawn(const struct cr_spawn_args *args, struct cr_spawn_result *out) {
    if (out == NULL) {
        errno = EINVAL;
        return -1;
    }
    memset(out, 0, sizeof *out);
    out->pid = -1;
    out->pidfd = -1;
    out->sync_fd = -1;
    out->error_fd = -1;
    if (args == NULL || args->path == NULL || args->argv == NULL || args->envp == NULL ||
        (args->clone_flags & ~(uint64_t)CR_CLONE_NAMESPACES) != 0 ||
        args->join_count > CR_MAX_JOINS || args->fd_count > CR_MAX_FDS ||
        (args->join_count > 0 && args->joins == NULL) || (args->fd_count > 0 && args->fds == NULL))
        return fail(out, CR_STEP_ARGS, EINVAL);

    /* The context lives on this stack; the fork-like child sees a copy of it. */
    struct cr_child_context context;
    memset(&context, 0, sizeof context);
    context.args = args;
    int floor = 3;
    context.plan_count = cr_fd_plan(args->fds, args->fd_count, context.plan, &floor);
    if (context.plan_count < 0) return fail(out, CR_STEP_ARGS, EINVAL);

    /* Joins: the user namespace first, then in the given order. A kind cannot be both joined
     * and created. */
    int joins_user = 0, joins_pid = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < args->join_count; i++) {
            const struct cr_ns_join *join = &args->joins[i];
            int is_user = join->nstype == CR_CLONE_NEWUSER;
            if ((pass == 0) != is_user) continue;
            if (join->fd < 0 || (join->nstype & ~CR_CLONE_NAMESPACES) != 0 ||
                ((uint64_t)join->nstype & args->clone_flags) != 0)
                return fail(out, CR_STEP_ARGS, EINVAL);
            joins_user |= is_user;
            joins_pid |= join->nstype == CR_CLONE_NEWPID;
            context.joins[context.join_count++] = *join;
        }
    }
    int two_stage = joins_user || joins_pid ||
                    (args->join_count > 0 && (args->clone_flags & CR_CLONE_NEWUSER));
    context.clone3 = args->no_clone3 ? 0 : cr_clone3_available();

    /* From creating the pipes until our copies of the child's ends are closed, no other
     * cr_spawn may clone: its child would inherit those ends and hold our error pipe open (and
     * delay our release) until it execs. */
    pthread_mutex_lock(&spawn_lock);
    int sync[2] = {-1, -1}, errors[2] = {-1, -1};
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sync) < 0) {
        int err = errno;
        pthread_mutex_unlock(&spawn_lock);
        return fail(out, CR_STEP_PIPE, err);
    }
    if (pipe2(errors, O_CLOEXEC) < 0 || move_above(&sync[0], floor) < 0 ||
        move_above(&sync[1], floor) < 0 || move_above(&errors[0], floor) < 0 ||
        move_above(&errors[1], floor) < 0) {
        int err = errno;
        close_quietly(&sync[0]);
        close_quietly(&sync[1]);
        close_quietly(&errors[0]);
        close_quietly(&errors[1]);
        pthread_mutex_unlock(&spawn_lock);
        return fail(out, CR_STEP_PIPE, err);
    }
    context.sync_fd = sync[1];
    context.error_fd = errors[1];

    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);

    int pidfd = -1, into = 0;
    int want_pidfd = args->want_pidfd && !two_stage;
    pid_t pid = raw_clone(two_stage ? 0 : args->clone_flags, context.clone3, args->cgroup_fd,
                          want_pidfd ? &pidfd : NULL, &into);
    if (pid == 0) {
        /* The child. Close the parent's ends, make signals harmless, go on. */
        close(sync[0]);
        close(errors[0]);
        child_reset_signals();
        if (two_stage) child_join_then_clone(&context);
        child_exec(&context, 1);
    }
    int clone_errno = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    close_quietly(&sync[1]);
    close_quietly(&errors[1]);
    pthread_mutex_unlock(&spawn_lock);
    if (pid < 0) {
        close_quietly(&sync[0]);
        close_quietly(&errors[0]);
        return fail(out, CR_STEP_CLONE, clone_errno);
    }

    out->used_clone3 = context.clone3;
    out->into_cgroup = into;
    out->two_stage = two_stage;
    out->sync_fd = sync[0];
    out->error_fd = errors[0];
    out->pidfd = pidfd;

    if (two_stage) {
        /* Reap the first child before reading: if it died without a record, the real child may
         * still hold the pipe open, and a blocking read would wait for it forever. */
        int reaped = reap(pid);
        struct cr_record record;
        ssize_t n = -1;
        int err = EPIPE;
        struct pollfd ready = {errors[0], POLLIN, 0};
        if (!reaped || poll(&ready, 1, 0) > 0) {
            n = read_record(errors[0], &record);
            err = n < 0 ? errno : EPIPE;
        }
        if (n == (ssize_t)sizeof record && record.kind == CR_RECORD_PID && record.pid > 0) {
            pid = record.pid;
        } else {
            close_quietly(&out->sync_fd);
            close_quietly(&out->error_fd);
            if (n == (ssize_t)sizeof record && record.kind == CR_RECORD_ERROR)
                return fail(out, record.step, record.err);
            return fail(out, CR_STEP_CLONE_CHILD, err);
        }
    }
    out->pid = pid;

    if (args->cgroup_fd >= 0 && !into) {
        if (write_cgroup_procs(args->cgroup_fd, pid) < 0) {
            int err = errno;
            cr_spawn_abort(out);
            return fail(out, CR_STEP_CGROUP, err);
        }
    }
    if (args->want_pidfd && out->pidfd < 0) {
        long fd = syscall(SYS_pidfd_open, pid, 0);
        if (fd >= 0) out->pidfd = (int)fd;
    }
    return 0;
}

int cr_spawn_release(struct cr_spawn_result *handle) {
    if (handle == NULL || handle->sync_fd < 0 || handle->error_fd < 0) {
        errno = EINVAL;
        return -1;
    }
    handle->error.step = CR_STEP_NONE;
    handle->error.err = 0;
    /* A child that already failed has closed its end: send() then says EPIPE (no SIGPIPE), and
     * the error record is waiting on the error pipe. */
    char go = 'g';
    ssize_t n;
    do {
        n = send(handle->sync_fd, &go, 1, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    int send_errno = n < 0 ? errno : 0;
    close_quietly(&handle->sync_fd);

    struct cr_record record;
    ssize_t got = read_record(handle->error_fd, &record);
    int read_errno = errno;
    close_quietly(&handle->error_fd);
    if (got == 0) {
        if (send_errno != 0 && send_errno != EPIPE) return fail(handle, CR_STEP_SYNC, send_errno);
        return 0;
    }
    if (got == (ssize_t)sizeof record && record.kind == CR_RECORD_ERROR)
        return fail(handle, record.step, record.err);
    return fail(handle, CR_STEP_WAIT, got < 0 ? read_errno : EPROTO);
}

void cr_spawn_abort(struct cr_spawn_result *handle) {
    if (handle == NULL) return;
    int saved = errno;
    if (handle->pid > 0) {
        kill(handle->pid, SIGKILL);
        reap(handle->pid);
        handle->pid = -1;
    }
    close_quietly(&handle->sync_fd);
    close_quietly(&handle->error_fd);
    close_quietly(&handle->pidfd);
    errno = saved;
}
