/*
 * The child side of cr_spawn: everything here runs between clone() and execve() in a copy of a
 * possibly multithreaded process, so it is async-signal-safe only: raw system calls and the
 * thin libc wrappers around them (read, write, close, dup2, fcntl, setsid, chdir, execve, prctl,
 * _exit). No malloc, no stdio, no locks, no signal().
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

#include "spawn_internal.h"

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
void cr_child_reset_signals(void) {
    unsigned long zero[8] = {0};
    for (int sig = 1; sig < _NSIG; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        syscall(SYS_rt_sigaction, sig, zero, NULL, CR_KERNEL_SIGSET_BYTES);
    }
}

void cr_child_unblock_signals(void) {
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

/* One past the highest fd number to try when no better way exists: the fd limit, at most 2^20. */
static long fd_scan_limit(void) {
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY &&
        limit.rlim_cur < (rlim_t)(1 << 20))
        return (long)limit.rlim_cur;
    return 65536;
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
int cr_child_cloexec_from(int first) {
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
    long last = fd_scan_limit();
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

/* Close every fd >= 3 but the remap's targets, for a child that never execs (an init plan), so
 * that close-on-exec copies of the parent's fds (its end of the sync socket, the error pipe,
 * whatever its caller had open) do not live on in the container. Gaps between the sorted targets
 * go with close_range, else one close per number up to the fd limit. */
static void child_close_unmapped(const struct cr_child_context *c) {
    const struct cr_spawn_args *args = c->args;
    int kept[CR_MAX_FDS];
    size_t count = 0;
    for (size_t i = 0; i < args->fd_count; i++) {
        int fd = args->fds[i].to;
        if (fd < 3) continue;
        size_t at = count++;
        while (at > 0 && kept[at - 1] > fd) {
            kept[at] = kept[at - 1];
            at--;
        }
        kept[at] = fd;
    }
    long last = fd_scan_limit();
    long first = 3;
    for (size_t i = 0; i <= count; i++) {
        long end = i < count ? (long)kept[i] - 1 : -1; /* -1: up to the last fd */
        if (end == -1 || end >= first) {
            unsigned int high = end == -1 ? ~0U : (unsigned int)end;
            if (syscall(SYS_close_range, (unsigned int)first, high, 0) != 0) {
                long stop = end == -1 ? last - 1 : end;
                for (long fd = first; fd <= stop; fd++) close((int)fd);
            }
        }
        if (i < count) first = (long)kept[i] + 1;
    }
}

/* The child that execs: wait for the go byte, then cgroups, fds, session, cwd, execve. */
__attribute__((noreturn)) void cr_child_exec(const struct cr_child_context *c, int join) {
    const struct cr_spawn_args *args = c->args;
    cr_child_unblock_signals();
    if (join) child_join(c);

    char go = 0;
    ssize_t n;
    do {
        n = read(c->sync_fd, &go, 1);
    } while (n < 0 && errno == EINTR);
    if (n == 0) _exit(127); /* the parent went away or aborted us: nobody to report to */
    if (n < 0) child_fail(c, CR_STEP_SYNC, errno);
    close(c->sync_fd);

    /* Join the cgroup v1 hierarchies: "0" in `tasks` moves this thread, which is the whole
     * process here, without the global threadgroup lock a cgroup.procs write takes. */
    for (size_t i = 0; i < args->cgroup_task_fd_count; i++) {
        do {
            n = write(args->cgroup_task_fds[i], "0", 1);
        } while (n < 0 && errno == EINTR);
        if (n != 1) child_fail(c, CR_STEP_CGROUP_TASKS, n < 0 ? errno : EIO);
        close(args->cgroup_task_fds[i]);
    }

    /* Root of the user namespace before anything else: a credential change clears
     * PR_SET_PDEATHSIG, and execve() keeps capabilities only for uid 0. Raw system calls: glibc's
     * setresuid() would try to synchronise threads this copy of the process does not have. */
    if (args->become_root) {
        if (syscall(SYS_setresgid, 0, 0, 0) < 0) child_fail(c, CR_STEP_SETRESGID, errno);
        if (syscall(SYS_setresuid, 0, 0, 0) < 0) child_fail(c, CR_STEP_SETRESUID, errno);
    }

    /* After the go byte: in a two-stage spawn nothing but the first child's pid record may reach
     * the error pipe before it. A parent dying before this point closes the sync channel. */
    if (args->parent_death_signal > 0 &&
        prctl(PR_SET_PDEATHSIG, (unsigned long)args->parent_death_signal, 0, 0, 0) < 0)
        child_fail(c, CR_STEP_PDEATHSIG, errno);
    if (args->setsid && setsid() < 0) child_fail(c, CR_STEP_SETSID, errno);
    /* Everything >= 3 becomes close-on-exec first; the plan then clears the flag on its targets
     * (dup2 does so itself, KEEP explicitly). The error pipe stays close-on-exec. A child that
     * runs an init plan never execs: it closes what it does not keep instead (below). */
    if (args->init_plan == NULL && cr_child_cloexec_from(3) < 0) child_fail(c, CR_STEP_CLOEXEC, errno);
    if (child_run_plan(c) < 0) child_fail(c, CR_STEP_FD_REMAP, errno);
    if (args->cwd != NULL && chdir(args->cwd) < 0) child_fail(c, CR_STEP_CHDIR, errno);
    if (args->init_plan != NULL) {
        /* The spawn's part is done: release() sees end-of-file now; the plan reports its own
         * failures on the sync socket (fd 3). */
        close(c->error_fd);
        child_close_unmapped(c);
        cr_init_run(args->init_plan, args->init_plan_size);
    }
    execve(args->path, args->argv, args->envp);
    child_fail(c, CR_STEP_EXECVE, errno);
}

/* A fork-like clone: clone3 when present (into the cgroup, with a pidfd on request), else clone.
 * Returns the pid (0 in the child) or -1 with errno set. */
pid_t cr_raw_clone(uint64_t flags, int use_clone3, int cgroup_fd, int *pidfd, int *into) {
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
            return cr_raw_clone(flags, use_clone3, -1, pidfd, into);
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
__attribute__((noreturn)) void cr_child_join_then_clone(const struct cr_child_context *c) {
    child_join(c);
    pid_t pid = cr_raw_clone(c->args->clone_flags | CR_CLONE_PARENT, c->clone3, -1, NULL, NULL);
    if (pid == 0) cr_child_exec(c, 0);
    if (pid < 0) child_fail(c, CR_STEP_CLONE_CHILD, errno);
    child_report(c->error_fd, CR_RECORD_PID, CR_STEP_NONE, 0, pid);
    _exit(0);
}
