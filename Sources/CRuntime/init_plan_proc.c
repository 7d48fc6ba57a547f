/*
 * The init plan's process ops: SECCOMP, BOUNDING, CAPSET, SETGROUPS, LOOKUP and EXEC. Child side:
 * async-signal-safe only (see init_plan.c).
 */
#define _GNU_SOURCE
#include "cruntime.h"

#include <errno.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "init_plan_internal.h"

#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_RAISE 2
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif

/* items: the BPF program. a = SECCOMP_FILTER_FLAG_*. */
void cri_op_seccomp(struct cri_ctx *ctx, const struct cri_op *op) {
    static const char label[] = "seccomp(SECCOMP_SET_MODE_FILTER)";
    uint32_t bytes = op->len[0];
    if (bytes == 0 || bytes % sizeof(struct sock_filter) != 0 ||
        bytes / sizeof(struct sock_filter) > 0xffff)
        cri_fail(ctx, label, NULL, EINVAL);
    struct sock_fprog prog;
    prog.len = (unsigned short)(bytes / sizeof(struct sock_filter));
    /* The kernel copies the program in; the blob's alignment does not matter to it. */
    prog.filter = (struct sock_filter *)(uintptr_t)op->item[0];
    long r = EINTR_RETRY(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, (unsigned long)op->a, &prog));
    if (r < 0 && errno == ENOSYS && op->a == 0)
        r = prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
    if (r < 0) {
        int err = errno;
        struct cri_msg m;
        cri_msg_init(&m);
        cri_msg_str(&m, label);
        cri_msg_errno(&m, err);
        if (err == EACCES) cri_msg_str(&m, " (set no_new_privileges or hold CAP_SYS_ADMIN)");
        cri_die_msg(ctx, &m, 127);
    }
}

/* a = capabilities kept, b = last capability. */
void cri_op_bounding(struct cri_ctx *ctx, const struct cri_op *op) {
    uint64_t last = op->b > 63 ? 63 : op->b;
    for (uint64_t cap = 0; cap <= last; cap++) {
        if (op->a & (1ULL << cap)) continue;
        int in = prctl(PR_CAPBSET_READ, (unsigned long)cap, 0, 0, 0);
        if (in < 0 && errno == EINVAL) continue; /* unknown to this kernel */
        if (in <= 0) continue;
        if (prctl(PR_CAPBSET_DROP, (unsigned long)cap, 0, 0, 0) < 0)
            cri_fail(ctx, "prctl(PR_CAPBSET_DROP)", NULL, errno);
    }
}

/* a = effective, b = permitted, c = inheritable, d = ambient. */
void cri_op_capset(struct cri_ctx *ctx, const struct cri_op *op) {
    struct __user_cap_header_struct header;
    struct __user_cap_data_struct data[2];
    memset(&header, 0, sizeof header);
    memset(data, 0, sizeof data);
    header.version = _LINUX_CAPABILITY_VERSION_3;
    header.pid = 0;
    for (int i = 0; i < 2; i++) {
        data[i].effective = (uint32_t)(op->a >> (32 * i));
        data[i].permitted = (uint32_t)(op->b >> (32 * i));
        data[i].inheritable = (uint32_t)(op->c >> (32 * i));
    }
    if (syscall(SYS_capset, &header, data) < 0) cri_fail(ctx, "capset", NULL, errno);
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 &&
        !(errno == EINVAL && op->d == 0))
        cri_fail(ctx, "prctl(PR_CAP_AMBIENT_CLEAR_ALL)", NULL, errno);
    for (unsigned long cap = 0; cap < 64; cap++) {
        if (!(op->d & (1ULL << cap))) continue;
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0 && errno != EPERM &&
            errno != EINVAL)
            cri_fail(ctx, "prctl(PR_CAP_AMBIENT_RAISE)", NULL, errno);
    }
}

#if defined(SYS_setgroups32)
#define CRI_SYS_SETGROUPS SYS_setgroups32
#else
#define CRI_SYS_SETGROUPS SYS_setgroups
#endif

/* items: a blob of uint32 gids. The raw system call (glibc's would broadcast to threads). */
void cri_op_setgroups(struct cri_ctx *ctx, const struct cri_op *op) {
    if (op->len[0] % sizeof(uint32_t) != 0) cri_fail(ctx, "setgroups", NULL, EINVAL);
    size_t count = op->len[0] / sizeof(uint32_t);
    if (syscall(CRI_SYS_SETGROUPS, count, count ? (const void *)op->item[0] : NULL) < 0)
        cri_fail(ctx, "setgroups", NULL, errno);
}

/* exec: "NAME": TEXT (no errno part), exit 127. */
__attribute__((noreturn)) static void fail_lookup(struct cri_ctx *ctx, const char *name,
                                                  const char *text, const char *text_name) {
    struct cri_msg m;
    cri_msg_init(&m);
    cri_msg_str(&m, "exec: \"");
    cri_msg_str(&m, name);
    cri_msg_str(&m, "\": ");
    cri_msg_str(&m, text);
    if (text_name != NULL) {
        cri_msg_str(&m, text_name);
        cri_msg_str(&m, ": no such file or directory");
    }
    cri_die_msg(ctx, &m, 127);
}

/* items: name, search path. */
void cri_op_lookup(struct cri_ctx *ctx, const struct cri_op *op) {
    const char *name = op->item[0], *search = op->item[1];
    struct stat st;
    if (strchr(name, '/') != NULL) {
        if (EINTR_RETRY(stat(name, &st)) < 0) fail_lookup(ctx, name, "stat ", name);
        ctx->program = name;
        return;
    }
    size_t name_len = op->len[0];
    const char *p = search;
    for (;;) {
        const char *colon = strchr(p, ':');
        size_t dir_len = colon != NULL ? (size_t)(colon - p) : strlen(p);
        if (dir_len > 0 && dir_len + 1 + name_len < sizeof ctx->program_buf) {
            char *buf = ctx->program_buf;
            memcpy(buf, p, dir_len);
            buf[dir_len] = '/';
            memcpy(buf + dir_len + 1, name, name_len + 1);
            if (EINTR_RETRY(stat(buf, &st)) == 0 && S_ISREG(st.st_mode)) {
                ctx->program = buf;
                return;
            }
        }
        if (colon == NULL) break;
        p = colon + 1;
    }
    fail_lookup(ctx, name, "executable file not found in $PATH", NULL);
}

/* items: a arguments, b environment entries. */
__attribute__((noreturn)) void cri_op_exec(struct cri_ctx *ctx, const struct cri_op *op) {
    size_t argc = (size_t)op->a, envc = (size_t)op->b;
    size_t bytes = (argc + 1 + envc + 1) * sizeof(char *);
    void *memory = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) cri_fail(ctx, "exec", NULL, errno);
    char **argv = memory;
    char **envp = argv + argc + 1;
    struct cri_cursor cur;
    cri_cursor_init(&cur, op);
    for (size_t i = 0; i < argc; i++) argv[i] = (char *)(uintptr_t)cri_cursor_next(&cur, NULL);
    argv[argc] = NULL;
    for (size_t i = 0; i < envc; i++) envp[i] = (char *)(uintptr_t)cri_cursor_next(&cur, NULL);
    envp[envc] = NULL;
    /* Without a CR_INIT_LOOKUP before, the first argument names the program. */
    const char *program = ctx->program != NULL ? ctx->program : (argc > 0 ? argv[0] : NULL);
    if (program == NULL) cri_fail_plan(ctx);
    execve(program, argv, envp);
    int err = errno;
    struct cri_msg m;
    cri_msg_init(&m);
    cri_msg_str(&m, "exec ");
    cri_msg_str(&m, program);
    cri_msg_errno(&m, err);
    cri_die_msg(ctx, &m,
                (err == EACCES || err == EPERM || err == EISDIR || err == ENOEXEC) ? 126 : 127);
}
