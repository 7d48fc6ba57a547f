/*
 * CRuntime: the only code that runs between clone() and execve(), plus thin wrappers for the
 * system calls Glibc's module map does not expose to Swift.
 *
 * Everything the child executes is async-signal-safe: raw system calls, no malloc, no stdio, no
 * locks, no signal(). Errors in the child are reported to the parent as a fixed-size record
 * {step, errno} over a close-on-exec pipe; end-of-file on that pipe means execve() succeeded.
 *
 * Wrappers named cr_sys_* return the system call's result, or -errno on failure, so Swift never
 * has to read the thread-local errno after the fact.
 */
#ifndef CRUNTIME_H
#define CRUNTIME_H

#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Namespace clone flags (Glibc's module map hides some of them from Swift). */
#define CR_CLONE_NEWNS 0x00020000
#define CR_CLONE_NEWCGROUP 0x02000000
#define CR_CLONE_NEWUTS 0x04000000
#define CR_CLONE_NEWIPC 0x08000000
#define CR_CLONE_NEWUSER 0x10000000
#define CR_CLONE_NEWPID 0x20000000
#define CR_CLONE_NEWNET 0x40000000
#define CR_CLONE_NEWTIME 0x00000080
/* Every namespace flag cr_spawn accepts. */
#define CR_CLONE_NAMESPACES                                                                        \
    (CR_CLONE_NEWNS | CR_CLONE_NEWCGROUP | CR_CLONE_NEWUTS | CR_CLONE_NEWIPC | CR_CLONE_NEWUSER | \
     CR_CLONE_NEWPID | CR_CLONE_NEWNET | CR_CLONE_NEWTIME)

/* Resource numbers for prlimit (they differ between architectures; glibc's enum is awkward in
 * Swift). */
enum {
    CR_RLIMIT_CPU = RLIMIT_CPU,
    CR_RLIMIT_FSIZE = RLIMIT_FSIZE,
    CR_RLIMIT_DATA = RLIMIT_DATA,
    CR_RLIMIT_STACK = RLIMIT_STACK,
    CR_RLIMIT_CORE = RLIMIT_CORE,
    CR_RLIMIT_RSS = RLIMIT_RSS,
    CR_RLIMIT_NPROC = RLIMIT_NPROC,
    CR_RLIMIT_NOFILE = RLIMIT_NOFILE,
    CR_RLIMIT_MEMLOCK = RLIMIT_MEMLOCK,
    CR_RLIMIT_AS = RLIMIT_AS,
    CR_RLIMIT_LOCKS = RLIMIT_LOCKS,
    CR_RLIMIT_SIGPENDING = RLIMIT_SIGPENDING,
    CR_RLIMIT_MSGQUEUE = RLIMIT_MSGQUEUE,
    CR_RLIMIT_NICE = RLIMIT_NICE,
    CR_RLIMIT_RTPRIO = RLIMIT_RTPRIO,
    CR_RLIMIT_RTTIME = RLIMIT_RTTIME,
};

/* O_PATH (glibc exposes it only with _GNU_SOURCE). */
#if defined(O_PATH)
#define CR_O_PATH O_PATH
#elif defined(__O_PATH)
#define CR_O_PATH __O_PATH
#else
#define CR_O_PATH 010000000
#endif

/* close_range(2) flags. */
#define CR_CLOSE_RANGE_UNSHARE 2
#define CR_CLOSE_RANGE_CLOEXEC 4

/* The most fds, namespace joins and plan steps one spawn handles. */
#define CR_MAX_FDS 64
#define CR_MAX_JOINS 16
#define CR_MAX_PLAN (2 * CR_MAX_FDS)
/* The most cgroup v1 `tasks` files one spawn joins (one per hierarchy). */
#define CR_MAX_TASK_FDS 32

/*
 * Steps a spawn can fail at; cr_step_name() renders them ("setns(net)", "execve").
 * The values are part of the pipe protocol between child and parent only, not an ABI.
 */
enum cr_step {
    CR_STEP_NONE = 0,
    CR_STEP_ARGS,          /* the request was invalid (EINVAL) */
    CR_STEP_PIPE,          /* creating the sync or error pipe */
    CR_STEP_CLONE,         /* clone3() / clone() */
    CR_STEP_CGROUP,        /* writing the pid to cgroup.procs (no CLONE_INTO_CGROUP) */
    CR_STEP_SETNS_USER,
    CR_STEP_SETNS_MNT,
    CR_STEP_SETNS_UTS,
    CR_STEP_SETNS_IPC,
    CR_STEP_SETNS_PID,
    CR_STEP_SETNS_NET,
    CR_STEP_SETNS_CGROUP,
    CR_STEP_SETNS_TIME,
    CR_STEP_SETNS,         /* setns() with an unspecified type */
    CR_STEP_CLONE_CHILD,   /* the second clone after joining a user or pid namespace */
    CR_STEP_PDEATHSIG,
    CR_STEP_SYNC,          /* reading the go byte; writing it (parent side) */
    CR_STEP_SETSID,
    CR_STEP_CLOEXEC,
    CR_STEP_FD_REMAP,      /* fcntl(F_DUPFD_CLOEXEC) / dup2() / fcntl(F_SETFD) */
    CR_STEP_CHDIR,
    CR_STEP_EXECVE,
    CR_STEP_WAIT,          /* reading the error pipe (parent side) */
    CR_STEP_SETRESGID,     /* becoming root of the user namespace (become_root) */
    CR_STEP_SETRESUID,
    CR_STEP_CGROUP_TASKS,  /* the child writing "0" to a cgroup v1 `tasks` file */
    CR_STEP_COUNT
};

/* A readable name for a step: "execve", "setns(net)", "clone3". Never NULL. */
const char *cr_step_name(int step);

/* fd remap: make `to` in the child refer to what `from` refers to in the parent. */
struct cr_fd_map {
    int from;
    int to;
};

/* One namespace to join with setns() before any new namespace is created. */
struct cr_ns_join {
    int fd;     /* an fd open on /proc/PID/ns/KIND or a bind mount of it */
    int nstype; /* CR_CLONE_NEW* of the namespace, or 0 when unknown */
};

struct cr_spawn_args {
    const char *path;        /* absolute path for execve(); PATH is not searched */
    char *const *argv;       /* NULL-terminated */
    char *const *envp;       /* NULL-terminated */
    uint64_t clone_flags;    /* CR_CLONE_NEW* namespaces to create */
    const struct cr_ns_join *joins;
    size_t join_count;       /* <= CR_MAX_JOINS; user namespace joined first whatever the order */
    const struct cr_fd_map *fds;
    size_t fd_count;         /* <= CR_MAX_FDS; targets must be distinct */
    int setsid;              /* non-zero: call setsid() in the child */
    int cgroup_fd;           /* cgroup2 directory to start in, or -1 */
    const char *cwd;         /* chdir() just before execve(), or NULL */
    int parent_death_signal; /* PR_SET_PDEATHSIG in the child, or 0 (fires when the calling THREAD exits) */
    int want_pidfd;          /* non-zero: also return a pidfd for the child */
    int no_clone3;           /* non-zero: use the legacy clone() (and cgroup.procs) even where
                                clone3 exists, e.g. under a seccomp profile that mishandles it */
    int become_root;         /* non-zero: after the go byte (the id maps are written by then),
                                setresgid(0,0,0) and setresuid(0,0,0), so a child in a new or
                                joined user namespace keeps its capabilities across execve() */
    const int *cgroup_task_fds; /* fds open for writing on cgroup v1 `tasks` files: right after the
                                   go byte the child writes "0" to each, moving itself (one thread)
                                   into those cgroups. Unlike the parent writing cgroup.procs this
                                   takes no global threadgroup lock, whose first write costs an RCU
                                   grace period (milliseconds). The kernel checks the opener's
                                   credentials, so a child in a user namespace can do it too. */
    size_t cgroup_task_fd_count; /* <= CR_MAX_TASK_FDS */
    const void *init_plan;       /* non-NULL: instead of execve(path, ...), run this container
                                    init plan (cruntime_init.h) once the steps above are done.
                                    The error pipe is closed first, so cr_spawn_release returns
                                    as the plan starts; path, argv and envp may then be NULL. */
    size_t init_plan_size;
};

/* What failed, as {step, errno}. */
struct cr_error {
    int32_t step;
    int32_t err;
};

/* The handle of a spawned, not yet released child. */
struct cr_spawn_result {
    pid_t pid;               /* in the caller's pid namespace */
    int pidfd;               /* -1 unless want_pidfd (and the kernel has pidfds) */
    int sync_fd;             /* write end of the sync pipe; -1 once let go or released */
    int error_fd;            /* read end of the error pipe; -1 once released */
    int used_clone3;         /* clone3() was used (else clone()) */
    int into_cgroup;         /* the child started in cgroup_fd through CLONE_INTO_CGROUP */
    int two_stage;           /* an intermediate process joined namespaces and cloned the child */
    struct cr_error error;   /* set when cr_spawn or cr_spawn_release returns -1 */
};

/*
 * Clone a child that waits for cr_spawn_release() before it execs.
 *
 * With no namespace joins, one clone creates every namespace in clone_flags and the child is pid 1
 * in a new pid namespace. When the joins include a user or pid namespace, or a new user namespace
 * is requested together with joins, an intermediate child joins first and clones the real child
 * with CLONE_PARENT, so the new namespaces are owned by the joined user namespace and the child is
 * inside the joined pid namespace; the intermediate is reaped before this returns.
 *
 * When cgroup_fd >= 0 the child starts in that cgroup2 directory: CLONE_INTO_CGROUP when clone3
 * supports it, otherwise the parent writes the pid to cgroup.procs before returning.
 *
 * Returns 0 and fills *out, or -1 with out->error set (nothing is left behind).
 */
int cr_spawn(const struct cr_spawn_args *args, struct cr_spawn_result *out);

/*
 * Let the child go and wait until it has exec'd. Returns 0 when execve() succeeded, or -1 with
 * out->error set to what the child reported (the child has then exited with status 127 and must
 * still be reaped by the caller). Closes the handle's pipes either way.
 */
int cr_spawn_release(struct cr_spawn_result *handle);

/*
 * Let the child go without waiting for its exec (the caller works on meanwhile, then calls
 * cr_spawn_release, which only waits). Returns 0, or -1 with out->error set when the go byte
 * could not be sent for another reason than the child having failed already (EPIPE: release
 * then reports the child's error). Closes the sync end; the error pipe stays open.
 */
int cr_spawn_go(struct cr_spawn_result *handle);

/* Kill a spawned but unreleased (possibly already let go) child with SIGKILL, reap it and close
 * the handle. */
void cr_spawn_abort(struct cr_spawn_result *handle);

/* One step of an fd remap plan. */
enum cr_fd_op_kind {
    CR_FD_OP_STASH = 1, /* slot[a] = fcntl(b, F_DUPFD_CLOEXEC, c): copy b above every fd involved */
    CR_FD_OP_DUP2,      /* dup2(src, c) where src = slot[a] when a >= 0, else the fd b */
    CR_FD_OP_KEEP,      /* clear FD_CLOEXEC on c (from == to) */
};

struct cr_fd_op {
    int kind;
    int a;
    int b;
    int c;
};

/*
 * Compute the steps that remap fds (a pure function; see fdplan.c for the algorithm).
 * Returns the number of steps written to ops (at most 2 * count), or -EINVAL when a target repeats,
 * an fd is negative, or count exceeds CR_MAX_FDS. *floor_out receives the lowest fd number that no
 * map mentions (stashes go at or above it).
 */
int cr_fd_plan(const struct cr_fd_map *maps, size_t count, struct cr_fd_op *ops, int *floor_out);

/* Whether clone3() exists (probed once; an ENOSYS answer means no). */
int cr_clone3_available(void);

/* System call wrappers: the result, or -errno. */
long cr_sys_pivot_root(const char *new_root, const char *put_old);
long cr_sys_setns(int fd, int nstype);
long cr_sys_unshare(int flags);
long cr_sys_close_range(unsigned int first, unsigned int last, unsigned int flags);
long cr_sys_pidfd_open(pid_t pid, unsigned int flags);
long cr_sys_pidfd_send_signal(int pidfd, int sig, unsigned int flags);
long cr_sys_mount_setattr(int dirfd, const char *path, unsigned int flags, uint64_t attr_set,
                          uint64_t attr_clr, uint64_t propagation, uint64_t userns_fd);
long cr_sys_mount(const char *source, const char *target, const char *fstype, unsigned long flags,
                  const void *data);
long cr_sys_umount2(const char *target, int flags);
long cr_sys_sethostname(const char *name, size_t len);
long cr_sys_setdomainname(const char *name, size_t len);
long cr_sys_prlimit(pid_t pid, int resource, uint64_t soft, uint64_t hard);
long cr_sys_prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4,
                  unsigned long a5);
/* Through libc, so the change applies to every thread of the process (POSIX semantics). */
long cr_setresuid(uid_t r, uid_t e, uid_t s);
long cr_setresgid(gid_t r, gid_t e, gid_t s);
long cr_setgroups(size_t count, const gid_t *groups);
long cr_sys_pipe2(int fds[2], int flags);
long cr_sys_mknod(const char *path, unsigned int mode, unsigned long long dev);
long cr_sys_syscall6(long number, long a1, long a2, long a3, long a4, long a5, long a6);

/* Send `fd` over the unix socket `sock` with SCM_RIGHTS, `payload` (len bytes, at least 1) as the data.
 * Returns 0 or -errno. */
long cr_send_fd(int sock, int fd, const char *payload, size_t len);
/* Receive one fd sent with SCM_RIGHTS on `sock`; the data goes to buf (up to len bytes, *received set).
 * Returns the fd (close-on-exec) or -errno (-EBADMSG when no fd came). */
long cr_recv_fd(int sock, char *buf, size_t len, size_t *received);
/* socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC). Returns 0 or -errno. */
long cr_socketpair(int fds[2]);

/* makedev() for Swift (a macro in glibc). */
unsigned long long cr_makedev(unsigned int major, unsigned int minor);

/* Thread-safe strerror: copies the message for err into buf. */
void cr_strerror(int err, char *buf, size_t len);

/* Decoders for waitpid() status words (macros in libc). */
int cr_wifexited(int status);
int cr_wexitstatus(int status);
int cr_wifsignaled(int status);
int cr_wtermsig(int status);
int cr_wifstopped(int status);
int cr_wstopsig(int status);

/* errno, readable and writable from Swift (for tests of errno handling). */
int cr_get_errno(void);
void cr_set_errno(int value);

#ifdef __cplusplus
}
#endif

#include "cruntime_bpf.h"
#include "cruntime_init.h"

#endif /* CRUNTIME_H */
