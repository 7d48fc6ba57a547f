/*
 * cr_spawn: clone a child into new (or joined) namespaces, hold it until the parent has done its
 * part (uid/gid maps, cgroups), then let it execve().
 *
 * Parent                                   Child (spawn_child.c only)
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
 * return the handle                        [write "0" to each cgroup v1 `tasks` fd]
 *                                          setsid, mark fds >= 3 close-on-exec, remap, chdir
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

#include "spawn_internal.h"

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
    if (args == NULL ||
        (args->init_plan == NULL && (args->path == NULL || args->argv == NULL || args->envp == NULL)) ||
        (args->clone_flags & ~(uint64_t)CR_CLONE_NAMESPACES) != 0 ||
        args->join_count > CR_MAX_JOINS || args->fd_count > CR_MAX_FDS ||
        args->cgroup_task_fd_count > CR_MAX_TASK_FDS ||
        (args->join_count > 0 && args->joins == NULL) || (args->fd_count > 0 && args->fds == NULL) ||
        (args->cgroup_task_fd_count > 0 && args->cgroup_task_fds == NULL))
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
    pid_t pid = cr_raw_clone(two_stage ? 0 : args->clone_flags, context.clone3, args->cgroup_fd,
                          want_pidfd ? &pidfd : NULL, &into);
    if (pid == 0) {
        /* The child. Close the parent's ends, make signals harmless, go on. */
        close(sync[0]);
        close(errors[0]);
        cr_child_reset_signals();
        if (two_stage) cr_child_join_then_clone(&context);
        cr_child_exec(&context, 1);
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

/* Sends the go byte and closes the sync end; returns the send's errno (0 when sent). */
static int send_go(struct cr_spawn_result *handle) {
    /* A child that already failed has closed its end: send() then says EPIPE (no SIGPIPE), and
     * the error record is waiting on the error pipe. */
    char go = 'g';
    ssize_t n;
    do {
        n = send(handle->sync_fd, &go, 1, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    int send_errno = n < 0 ? errno : 0;
    close_quietly(&handle->sync_fd);
    return send_errno;
}

int cr_spawn_go(struct cr_spawn_result *handle) {
    if (handle == NULL || handle->sync_fd < 0 || handle->error_fd < 0) {
        errno = EINVAL;
        return -1;
    }
    handle->error.step = CR_STEP_NONE;
    handle->error.err = 0;
    int send_errno = send_go(handle);
    /* EPIPE: the child failed already; cr_spawn_release reads its error record. */
    if (send_errno != 0 && send_errno != EPIPE) return fail(handle, CR_STEP_SYNC, send_errno);
    return 0;
}

int cr_spawn_release(struct cr_spawn_result *handle) {
    if (handle == NULL || handle->error_fd < 0) {
        errno = EINVAL;
        return -1;
    }
    int send_errno = 0;
    if (handle->sync_fd >= 0) {
        handle->error.step = CR_STEP_NONE;
        handle->error.err = 0;
        send_errno = send_go(handle);
    }

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
