#ifndef CSECCOMP_HELPERS_H
#define CSECCOMP_HELPERS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Thin C wrappers for the kernel calls the Seccomp module needs and Swift cannot call
 * directly (variadic prctl/syscall, no glibc wrapper for seccomp/capget/capset/memfd in
 * Swift's Glibc module). Every function returns 0 (or a non-negative result) on success
 * and -errno on failure, so the caller never reads a clobbered errno.
 */

/* SECCOMP_FILTER_FLAG_* as the kernel defines them (linux/seccomp.h), for Swift. */
#define STK_SECCOMP_FLAG_TSYNC               (1U << 0)
#define STK_SECCOMP_FLAG_LOG                 (1U << 1)
#define STK_SECCOMP_FLAG_SPEC_ALLOW          (1U << 2)
#define STK_SECCOMP_FLAG_NEW_LISTENER        (1U << 3)
#define STK_SECCOMP_FLAG_TSYNC_ESRCH         (1U << 4)
#define STK_SECCOMP_FLAG_WAIT_KILLABLE_RECV  (1U << 5)

/* prctl options (linux/prctl.h), which Swift's Glibc module does not import; checked in syscalls.c. */
#define STK_PR_CAPBSET_READ 23

/* Size of one classic BPF instruction (struct sock_filter). */
#define STK_BPF_INSTRUCTION_SIZE 8

/*
 * seccomp(SECCOMP_SET_MODE_FILTER, flags, &(struct sock_fprog){len / 8, bpf}) in the calling
 * thread. Async-signal-safe. Returns 0, -errno, or (with TSYNC) the positive id of a thread
 * that could not be synchronized.
 */
long stk_seccomp_set_filter(const void *bpf, size_t len, unsigned int flags);

/* prctl(option, a2, a3, a4, a5). Returns prctl's non-negative result or -errno. */
long stk_prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5);

/* memfd_create(name, MFD_CLOEXEC). Returns the fd or -errno. */
int stk_memfd_create(const char *name);

/* How a probe child ended. */
struct stk_seccomp_probe_result {
    /* 0 when fork/wait worked; otherwise the errno of the parent-side failure. */
    int error;
    /* 1 when the child exited; then exit_code holds its status. */
    int exited;
    int exit_code;
    /* 1 when a signal ended the child; then signal holds its number. */
    int signaled;
    int signal;
};

/* Exit codes a probe child uses for its own setup failures (errno values stay below 200). */
#define STK_PROBE_EXIT_NNP_FAILED 251
#define STK_PROBE_EXIT_FILTER_FAILED 252

/*
 * Test helper. Forks; the child (async-signal-safe code only) makes itself non-dumpable,
 * sets PR_SET_PDEATHSIG and PR_SET_NO_NEW_PRIVS, installs the filter with
 * stk_seccomp_set_filter, performs syscall(nr, args[0..5]) and _exits with 0 when it
 * succeeded or the errno it observed. The parent waits for the child (no zombie is left)
 * and fills *result. Returns 0, or -errno when fork or waitpid failed.
 */
int stk_seccomp_probe(const void *bpf, size_t len, unsigned int flags, long nr, const long args[6],
                      struct stk_seccomp_probe_result *result);

#endif
