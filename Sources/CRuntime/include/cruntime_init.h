/*
 * The container's init as a plan: `stack-runtime create` and `exec` compute, in Swift and before
 * the clone, every step the new process takes between the go byte and the payload's execve()
 * (mounts, /dev, pivot_root, hostname, rlimits, terminal, the wait for `start`, identity,
 * capabilities, seccomp). cr_init_run() executes the plan in the cloned child: plain C, raw system
 * calls, no allocation but mmap, no stdio, no locks. No second process image is loaded.
 *
 * Encoding (little-endian host order, written by Swift's InitPlan.encode()):
 *
 *   plan   := u32 magic (CR_INIT_MAGIC), u32 op count, op...
 *   op     := struct cr_init_op_header, then `size` bytes of items, then zero padding up to a
 *             multiple of 8 (size itself excludes the padding)
 *   item   := u32 length, `length` bytes, one NUL byte (not counted in length)
 *
 * Items are strings (NUL-terminated in place, so C uses them directly) or binary blobs (the BPF
 * program, the gid list). The plan buffer stays valid and unchanged in the child (it is the
 * copy-on-write copy of the parent's).
 *
 * Fixed fds in the child: 3 the sync socket to the runtime, 4 the exec FIFO (O_PATH), 5 the console
 * socket (when a terminal is wanted). Until CR_INIT_CREATED a failure is reported on fd 3 as one
 * JSON line {"type":"error","message":"LABEL: ENAME (description)"}; after it, as
 * "stack-runtime init: LABEL: ENAME (description)\n" on fd 2. Either way the child then exits with
 * status 127, or 126 when the final execve() failed with EACCES, EPERM, EISDIR or ENOEXEC.
 * LABEL is the op's label item where it has one (below), else a fixed text.
 */
#ifndef CRUNTIME_INIT_H
#define CRUNTIME_INIT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CR_INIT_MAGIC 0x50495253u /* "SRIP" */

/* The fixed fds of the init. */
#define CR_INIT_SYNC_FD 3
#define CR_INIT_FIFO_FD 4
#define CR_INIT_CONSOLE_FD 5

struct cr_init_op_header {
    uint32_t code;   /* enum cr_init_code */
    uint32_t flags;  /* CR_INIT_F_* */
    uint64_t a, b, c, d;
    uint32_t items;  /* number of items that follow */
    uint32_t size;   /* their total size in bytes (without the padding after them) */
};

/* Op flags. */
#define CR_INIT_F_MKDIR_TARGET 0x1u   /* MOUNT: mkdir -p the target (0755) first */
#define CR_INIT_F_EPERM_BIND 0x2u     /* MOUNT: on EPERM bind item 5 (MS_BIND|MS_REC) instead, then
                                         remount with b when b != 0 */
#define CR_INIT_F_PARENTS 0x4u        /* MKDIR: create missing parents too (mkdir -p) */
#define CR_INIT_F_QUIET 0x8u          /* MKDIR: ignore every failure */
#define CR_INIT_F_MASK 0x10u          /* PROTECT: mask the path (else: make it read-only) */

/*
 * The ops. "items:" lists the items in order; "label" is the text an error message starts with.
 * Paths before CR_INIT_PIVOT_ROOT/CHROOT are host paths (the rootfs prefix included); after it,
 * container paths. EINTR is retried everywhere.
 */
enum cr_init_code {
    /* items: label, source, target, fstype, data ("" = NULL for source, fstype, data)
     *        [, fallback source with CR_INIT_F_EPERM_BIND]
     * a = mount flags. mount(2); with CR_INIT_F_MKDIR_TARGET, mkdir -p target first. */
    CR_INIT_MOUNT = 1,
    /* items: label, source, target. a = MS_BIND or MS_BIND|MS_REC, b = flags for a remount
     * (0: none). stat(source) (following links); missing: fail with label + ": bind source " +
     * source and that errno. A directory: mkdir -p target; anything else: create target as an
     * empty file (parents made, 0644, kept if it exists). Then mount(source, target, "bind", a);
     * when b != 0, mount(NULL, target, NULL, b | MS_BIND | MS_REMOUNT). */
    CR_INIT_BIND = 2,
    /* items: path. a = mode. mkdir; EEXIST is success. CR_INIT_F_PARENTS: also the missing
     * parents (same mode). CR_INIT_F_QUIET: never fails. Label "mkdir PATH" (the path failing). */
    CR_INIT_MKDIR = 3,
    /* items: path. Create an empty file (0644) with its missing parent directories (0755) unless
     * something exists there. Label "open PATH" / "mkdir PATH". */
    CR_INIT_MKFILE = 4,
    /* items: path. a = mode (file type bits | permissions), b = device number (makedev). Parent
     * directories made first (0755); EEXIST is success. Label "mknod PATH". */
    CR_INIT_MKNOD = 5,
    /* items: target, path. symlink(target, path); EEXIST is success. Label "symlink PATH". */
    CR_INIT_SYMLINK = 6,
    /* a = mask. umask(a). Never fails. */
    CR_INIT_UMASK = 7,
    /* a = CLONE_NEW* flags. unshare(a). Label "unshare". */
    CR_INIT_UNSHARE = 8,
    /* items: path. chdir. Label "chdir PATH". */
    CR_INIT_CHDIR = 9,
    /* pivot_root(".", "."). Label "pivot_root". */
    CR_INIT_PIVOT_ROOT = 10,
    /* items: path. chroot. Label "chroot PATH". */
    CR_INIT_CHROOT = 11,
    /* items: path. a = umount2 flags. Label "umount2 PATH". */
    CR_INIT_UMOUNT = 12,
    /* items: name. sethostname. Label "sethostname". */
    CR_INIT_SETHOSTNAME = 13,
    /* items: name. setdomainname. Label "setdomainname". */
    CR_INIT_SETDOMAINNAME = 14,
    /* items: path, contents. open(O_WRONLY|O_CLOEXEC), write everything, close. Label
     * "write PATH". */
    CR_INIT_WRITE_FILE = 15,
    /* items: path. Missing (stat fails with ENOENT): nothing. CR_INIT_F_MASK: a directory gets
     * mount("tmpfs", path, "tmpfs", MS_RDONLY), anything else mount("/dev/null", path, NULL,
     * MS_BIND). Otherwise (read-only): mount(path, path, NULL, MS_BIND|MS_REC), then
     * mount(path, path, NULL, MS_BIND|MS_REMOUNT|MS_RDONLY|MS_REC|MS_NOSUID|MS_NODEV|MS_NOEXEC).
     * Label "mount PATH". */
    CR_INIT_PROTECT = 16,
    /* a = resource, b = soft, c = hard (RLIM_INFINITY = UINT64_MAX). prlimit(0, ...). items: label
     * ("setrlimit RLIMIT_NOFILE"). */
    CR_INIT_RLIMIT = 17,
    /* Ask the runtime to run its hooks: write {"type":"hooks"}\n on fd 3 and read one line back.
     * A line starting {"type":"continue"} goes on; anything else (or EOF) ends the child with
     * _exit(127) and no message (the runtime reports its own failure). */
    CR_INIT_HOOKS_SYNC = 18,
    /* Read the container state for hooks: one line from fd 3 (the JSON text, then "\n") into
     * memory of its own (mmap). Label "read the container state". */
    CR_INIT_READ_STATE = 19,
    /* items: kind, path, then a argument items (argv, argv[0] included), then b environment items.
     * c = timeout in seconds (0: none). d = index of the hook within its kind. Runs path with that
     * argv/envp, the state read by CR_INIT_READ_STATE (or "{}") on its stdin (a pipe; EPIPE
     * ignored), waits; past the timeout it is killed with SIGKILL. Failure messages, as
     * HookRunner's: "KIND hook #D (PATH): exit status N" | "killed by signal N" |
     * "timed out after Cs" | "spawn: ENAME (description)". */
    CR_INIT_HOOK = 20,
    /* Open /proc/self/fd (O_PATH|O_DIRECTORY|O_CLOEXEC) at an fd >= 7 and keep it for
     * CR_INIT_WAIT_START (later /proc may be another pid namespace's, or absent). Label
     * "open /proc/self/fd". */
    CR_INIT_OPEN_FD_DIR = 21,
    /* The terminal: open /dev/ptmx (O_RDWR|O_NOCTTY|O_CLOEXEC), unlock it, get its number N; with
     * a != 0 and b != 0 set its window size (rows a, columns b); send the master over the console
     * socket (fd 5, SCM_RIGHTS, "/dev/pts/N" as the data) and close the master; setsid() unless
     * already a session leader; open /dev/pts/N, TIOCSCTTY, dup2 it to 0, 1 and 2; with
     * c != 0, create /dev/console (empty file) if missing and bind /dev/pts/N onto it.
     * Labels: "open /dev/ptmx", "ioctl(TIOCSPTLCK)", "ioctl(TIOCGPTN)", "send the pty master over
     * the console socket", "setsid", "open /dev/pts/N", "ioctl(TIOCSCTTY)", "dup2 terminal",
     * "mount /dev/console". */
    CR_INIT_TERMINAL = 22,
    /* a = fd. close(a), errors ignored. */
    CR_INIT_CLOSE = 23,
    /* items: name, search path (the PATH value to use). Sets the program execve() runs.
     * name containing '/': it must exist (stat), else fail with the message
     * exec: "NAME": stat NAME: no such file or directory   (no errno part).
     * Otherwise each directory of the search path in order (an empty entry is skipped), the first
     * DIR/NAME that stat()s as a regular file wins; none: fail with
     * exec: "NAME": executable file not found in $PATH   (no errno part). */
    CR_INIT_LOOKUP = 24,
    /* Write {"type":"created"}\n on fd 3 and close it; from here failures go to fd 2. Label
     * "report created". */
    CR_INIT_CREATED = 25,
    /* Wait for `start`: openat(the CR_INIT_OPEN_FD_DIR fd, "4", O_WRONLY|O_CLOEXEC) (blocks until
     * the FIFO has a reader), close the directory fd, write one byte "0", close fd 4. The opened
     * write end stays open (close-on-exec). Labels "open exec fifo", "write exec fifo". */
    CR_INIT_WAIT_START = 26,
    /* items: the BPF program (blob of struct sock_filter). a = SECCOMP_FILTER_FLAG_* flags.
     * seccomp(SECCOMP_SET_MODE_FILTER, a, &prog); with a == 0 and ENOSYS,
     * prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog). Label "seccomp(SECCOMP_SET_MODE_FILTER)";
     * EACCES adds " (set no_new_privileges or hold CAP_SYS_ADMIN)" after the errno text. */
    CR_INIT_SECCOMP = 27,
    /* a = the capabilities to keep (bit n = capability n), b = the last capability number. Each
     * capability 0..b not kept and still in the bounding set (PR_CAPBSET_READ) is dropped
     * (PR_CAPBSET_DROP). Label "prctl(PR_CAPBSET_DROP)". */
    CR_INIT_BOUNDING = 28,
    /* a = 0 or 1. prctl(PR_SET_KEEPCAPS, a). Label "prctl(PR_SET_KEEPCAPS)". */
    CR_INIT_KEEPCAPS = 29,
    /* items: one blob of a uint32 gids. setgroups(2) (raw system call). Label "setgroups". */
    CR_INIT_SETGROUPS = 30,
    /* a = gid. setresgid(a, a, a) (raw system call). Label "setresgid". */
    CR_INIT_SETRESGID = 31,
    /* a = uid. setresuid(a, a, a) (raw system call). Label "setresuid". */
    CR_INIT_SETRESUID = 32,
    /* a = effective, b = permitted, c = inheritable, d = ambient (bit masks, already limited to
     * the last capability). capset(2) version 3 for this process (label "capset"), then
     * PR_CAP_AMBIENT_CLEAR_ALL (EINVAL ignored when d == 0; label
     * "prctl(PR_CAP_AMBIENT_CLEAR_ALL)") and PR_CAP_AMBIENT_RAISE for each bit of d (EPERM and
     * EINVAL skip that capability silently; other errors fail, label
     * "prctl(PR_CAP_AMBIENT_RAISE)"). */
    CR_INIT_CAPSET = 33,
    /* prctl(PR_SET_NO_NEW_PRIVS, 1). Label "prctl(PR_SET_NO_NEW_PRIVS)". */
    CR_INIT_NO_NEW_PRIVS = 34,
    /* items: a argument items, then b environment items. execve(the CR_INIT_LOOKUP program, argv,
     * envp) with NULL-terminated arrays built in mmap'd memory. Label "exec PROGRAM". */
    CR_INIT_EXEC = 35,
};

/*
 * Run the plan (`size` bytes at `plan`) in the cloned child; never returns. A malformed plan
 * (bad magic, an op running past the end, an unknown code, too few items) fails with the label
 * "init plan" and EINVAL.
 */
__attribute__((noreturn)) void cr_init_run(const void *plan, size_t size);

/*
 * Check a plan's framing without running it (the same walk cr_init_run does): 0 when every op is
 * well-formed, else -(1 + index of the first bad op). For tests of the encoder.
 */
long cr_init_check(const void *plan, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* CRUNTIME_INIT_H */
