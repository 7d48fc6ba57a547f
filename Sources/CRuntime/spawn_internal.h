/* Shared between the parent (spawn.c) and the child path (spawn_child.c) of cr_spawn. Private. */
#ifndef CRUNTIME_SPAWN_INTERNAL_H
#define CRUNTIME_SPAWN_INTERNAL_H

#include "cruntime.h"

#include <signal.h>

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

/* A fork-like clone: clone3 when use_clone3 (into cgroup_fd when >= 0, with a pidfd when pidfd is
 * not NULL), else the legacy clone. Returns the pid, 0 in the child, or -1 with errno set. */
pid_t cr_raw_clone(uint64_t flags, int use_clone3, int cgroup_fd, int *pidfd, int *into);

/* Empty the signal mask (child side, raw system call). */
void cr_child_unblock_signals(void);

/* Mark every fd >= first close-on-exec: close_range, else /proc/self/fd, else every number up to
 * the fd limit (child side). 0, or -1 with errno set. */
int cr_child_cloexec_from(int first);

/* Reset every signal disposition to SIG_DFL (child side). */
void cr_child_reset_signals(void);

/* The child that execs: [join,] wait for the go byte, then session, fds, cwd, execve. */
__attribute__((noreturn)) void cr_child_exec(const struct cr_child_context *c, int join);

/* The first child of a two-stage spawn: join, clone the real child as our parent's child,
 * report its pid, exit. */
__attribute__((noreturn)) void cr_child_join_then_clone(const struct cr_child_context *c);

#endif
