/*
 * The init plan's executor (see cruntime_init.h): the walk over the plan, error reporting and the
 * simple ops. Runs in the cloned child of a possibly multithreaded process: async-signal-safe only
 * (raw system calls and the thin libc wrappers around them, stack buffers, mmap). No malloc, no
 * stdio, no locks, no signal(), no glibc set*id (they would signal threads this copy lacks).
 */
#define _GNU_SOURCE
#include "cruntime.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "init_plan_internal.h"

#ifndef SYS_pivot_root
#define SYS_pivot_root __NR_pivot_root
#endif

/* ---- text ---- */

void cri_msg_init(struct cri_msg *m) {
    m->len = 0;
    m->buf[0] = '\0';
}

void cri_msg_bytes(struct cri_msg *m, const char *s, size_t n) {
    size_t room = sizeof m->buf - 1 - m->len;
    if (n > room) n = room;
    memcpy(m->buf + m->len, s, n);
    m->len += n;
    m->buf[m->len] = '\0';
}

void cri_msg_str(struct cri_msg *m, const char *s) {
    if (s != NULL) cri_msg_bytes(m, s, strlen(s));
}

void cri_msg_num(struct cri_msg *m, long long v) {
    char digits[24];
    size_t n = 0;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        digits[sizeof digits - 1 - n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (v < 0) digits[sizeof digits - 1 - n++] = '-';
    cri_msg_bytes(m, digits + sizeof digits - n, n);
}

/* strerrorname_np and strerrordesc_np read static tables: no locale, no allocation. */
void cri_msg_errno(struct cri_msg *m, int err) {
    const char *name = strerrorname_np(err);
    const char *desc = strerrordesc_np(err);
    cri_msg_str(m, ": ");
    if (name != NULL) {
        cri_msg_str(m, name);
    } else {
        cri_msg_str(m, "errno ");
        cri_msg_num(m, err);
    }
    cri_msg_str(m, " (");
    if (desc != NULL) {
        cri_msg_str(m, desc);
    } else {
        cri_msg_str(m, "Unknown error ");
        cri_msg_num(m, err);
    }
    cri_msg_str(m, ")");
}

int cri_write_all(int fd, const void *data, size_t len) {
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        if (n == 0) return EIO;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* JSON string body: `"` `\` and control characters escaped; stops before overflowing. */
static size_t json_escape(char *out, size_t cap, const char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[6];
        size_t k = 0;
        if (c == '"' || c == '\\') {
            esc[k++] = '\\';
            esc[k++] = (char)c;
        } else if (c == '\n') {
            esc[k++] = '\\';
            esc[k++] = 'n';
        } else if (c == '\t') {
            esc[k++] = '\\';
            esc[k++] = 't';
        } else if (c == '\r') {
            esc[k++] = '\\';
            esc[k++] = 'r';
        } else if (c < 0x20 || c == 0x7f) {
            esc[0] = '\\', esc[1] = 'u', esc[2] = '0', esc[3] = '0';
            esc[4] = hex[c >> 4], esc[5] = hex[c & 15];
            k = 6;
        } else {
            esc[k++] = (char)c;
        }
        if (o + k > cap) break;
        memcpy(out + o, esc, k);
        o += k;
    }
    return o;
}

__attribute__((noreturn)) void cri_die_msg(struct cri_ctx *ctx, const struct cri_msg *m, int status) {
    static const char head[] = "{\"type\":\"error\",\"message\":\"";
    static const char tail[] = "\"}\n";
    static const char prefix[] = "stack-runtime init: ";
    char out[2 * CRI_MSG_MAX + 64];
    size_t o = 0;
    if (!ctx->created) {
        memcpy(out, head, sizeof head - 1);
        o = sizeof head - 1;
        o += json_escape(out + o, sizeof out - o - (sizeof tail - 1), m->buf, m->len);
        memcpy(out + o, tail, sizeof tail - 1);
        o += sizeof tail - 1;
        cri_write_all(CR_INIT_SYNC_FD, out, o);
    } else {
        memcpy(out, prefix, sizeof prefix - 1);
        o = sizeof prefix - 1;
        memcpy(out + o, m->buf, m->len);
        o += m->len;
        out[o++] = '\n';
        cri_write_all(2, out, o);
    }
    _exit(status);
}

__attribute__((noreturn)) void cri_fail(struct cri_ctx *ctx, const char *label, const char *suffix,
                                        int err) {
    struct cri_msg m;
    cri_msg_init(&m);
    cri_msg_str(&m, label);
    cri_msg_str(&m, suffix);
    cri_msg_errno(&m, err);
    cri_die_msg(ctx, &m, 127);
}

__attribute__((noreturn)) void cri_fail_plan(struct cri_ctx *ctx) {
    cri_fail(ctx, "init plan", NULL, EINVAL);
}

/* ---- the walk ---- */

#define CRI_HEADER_BYTES 8

/* The fewest items an op needs, or -1 for an unknown code. */
static long long min_items(const struct cri_op *op) {
    switch (op->code) {
    case CR_INIT_MOUNT: return (op->flags & CR_INIT_F_EPERM_BIND) ? 6 : 5;
    case CR_INIT_BIND: return 3;
    case CR_INIT_SYMLINK:
    case CR_INIT_WRITE_FILE:
    case CR_INIT_LOOKUP: return 2;
    case CR_INIT_MKDIR:
    case CR_INIT_MKFILE:
    case CR_INIT_MKNOD:
    case CR_INIT_CHDIR:
    case CR_INIT_CHROOT:
    case CR_INIT_UMOUNT:
    case CR_INIT_SETHOSTNAME:
    case CR_INIT_SETDOMAINNAME:
    case CR_INIT_PROTECT:
    case CR_INIT_RLIMIT:
    case CR_INIT_SECCOMP:
    case CR_INIT_SETGROUPS: return 1;
    case CR_INIT_UMASK:
    case CR_INIT_UNSHARE:
    case CR_INIT_PIVOT_ROOT:
    case CR_INIT_HOOKS_SYNC:
    case CR_INIT_READ_STATE:
    case CR_INIT_OPEN_FD_DIR:
    case CR_INIT_TERMINAL:
    case CR_INIT_CLOSE:
    case CR_INIT_CREATED:
    case CR_INIT_WAIT_START:
    case CR_INIT_BOUNDING:
    case CR_INIT_KEEPCAPS:
    case CR_INIT_SETRESGID:
    case CR_INIT_SETRESUID:
    case CR_INIT_CAPSET:
    case CR_INIT_NO_NEW_PRIVS: return 0;
    case CR_INIT_HOOK:
        if (op->a > UINT32_MAX || op->b > UINT32_MAX) return -1;
        return 2 + (long long)op->a + (long long)op->b;
    case CR_INIT_EXEC:
        if (op->a > UINT32_MAX || op->b > UINT32_MAX) return -1;
        return (long long)op->a + (long long)op->b;
    default: return -1;
    }
}

/*
 * Decode the op at *offset. Every read is a memcpy (the plan may be unaligned in places) and
 * bounds-checked; each item must fit in the op's `size`, end with its NUL byte, and the items must
 * fill `size` exactly. Padding: the next op starts at the first offset at or after the end of the
 * items that is a multiple of 8 from the start of the plan buffer (the 8-byte plan header keeps
 * every op 8-aligned); the last op's padding may be cut off by the end of the buffer.
 * Returns 0, or -1 when the op is malformed.
 */
static int decode_op(const char *base, size_t size, size_t *offset, struct cri_op *op) {
    struct cr_init_op_header h;
    size_t off = *offset;
    if (off > size || size - off < sizeof h) return -1;
    memcpy(&h, base + off, sizeof h);
    size_t start = off + sizeof h;
    if (h.size > size - start) return -1;
    size_t end = start + h.size;
    op->code = h.code;
    op->flags = h.flags;
    op->a = h.a, op->b = h.b, op->c = h.c, op->d = h.d;
    op->items = h.items;
    op->first = base + start;
    op->size = h.size;
    size_t p = start;
    for (uint32_t i = 0; i < h.items; i++) {
        uint32_t len;
        if (end - p < sizeof len + 1) return -1;
        memcpy(&len, base + p, sizeof len);
        if (len > end - p - sizeof len - 1) return -1;
        if (base[p + sizeof len + len] != '\0') return -1;
        if (i < CRI_FIXED_ITEMS) {
            op->item[i] = base + p + sizeof len;
            op->len[i] = len;
        }
        p += sizeof len + (size_t)len + 1;
    }
    if (p != end) return -1;
    long long need = min_items(op);
    if (need < 0 || (long long)h.items < need) return -1;
    for (uint32_t i = h.items; i < CRI_FIXED_ITEMS; i++) {
        op->item[i] = "";
        op->len[i] = 0;
    }
    size_t next = (end + 7) & ~(size_t)7;
    *offset = next > size ? size : next;
    return 0;
}

static int decode_header(const void *plan, size_t size, uint32_t *count) {
    uint32_t magic;
    if (plan == NULL || size < CRI_HEADER_BYTES) return -1;
    memcpy(&magic, plan, sizeof magic);
    memcpy(count, (const char *)plan + 4, sizeof *count);
    return magic == CR_INIT_MAGIC ? 0 : -1;
}

/* A bad plan header (size, magic) counts as op 0 being bad: -1. */
long cr_init_check(const void *plan, size_t size) {
    uint32_t count;
    if (decode_header(plan, size, &count) < 0) return -1;
    size_t offset = CRI_HEADER_BYTES;
    struct cri_op op;
    for (uint32_t i = 0; i < count; i++)
        if (decode_op(plan, size, &offset, &op) < 0) return -(1 + (long)i);
    return 0;
}

void cri_cursor_init(struct cri_cursor *cur, const struct cri_op *op) { cur->p = op->first; }

const char *cri_cursor_next(struct cri_cursor *cur, uint32_t *len) {
    uint32_t n;
    memcpy(&n, cur->p, sizeof n);
    const char *s = cur->p + sizeof n;
    cur->p = s + n + 1;
    if (len != NULL) *len = n;
    return s;
}

/* ---- simple ops ---- */

static void op_labelled(struct cri_ctx *ctx, long r, const char *label, const char *path) {
    if (r < 0) cri_fail(ctx, label, path, errno);
}


static void op_write_file(struct cri_ctx *ctx, const struct cri_op *op) {
    int fd = (int)EINTR_RETRY(open(op->item[0], O_WRONLY | O_CLOEXEC));
    if (fd < 0) cri_fail(ctx, "write ", op->item[0], errno);
    int err = cri_write_all(fd, op->item[1], op->len[1]);
    close(fd);
    if (err != 0) cri_fail(ctx, "write ", op->item[0], err);
}

static void op_symlink(struct cri_ctx *ctx, const struct cri_op *op) {
    if (EINTR_RETRY(symlink(op->item[0], op->item[1])) < 0 && errno != EEXIST)
        cri_fail(ctx, "symlink ", op->item[1], errno);
}

static void op_rlimit(struct cri_ctx *ctx, const struct cri_op *op) {
    uint64_t limit[2] = {op->b, op->c}; /* struct rlimit64 */
    if (EINTR_RETRY(syscall(SYS_prlimit64, 0, (int)op->a, limit, NULL)) < 0)
        cri_fail(ctx, op->item[0], NULL, errno);
}

static void op_open_fd_dir(struct cri_ctx *ctx) {
    int fd = (int)EINTR_RETRY(open("/proc/self/fd", O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (fd < 0) cri_fail(ctx, "open /proc/self/fd", NULL, errno);
    if (fd < 7) {
        int high = (int)fcntl(fd, F_DUPFD_CLOEXEC, 7);
        int err = errno;
        close(fd);
        if (high < 0) cri_fail(ctx, "open /proc/self/fd", NULL, err);
        fd = high;
    }
    if (ctx->fd_dir >= 0) close(ctx->fd_dir);
    ctx->fd_dir = fd;
}

static void op_created(struct cri_ctx *ctx) {
    static const char line[] = "{\"type\":\"created\"}\n";
    int err = cri_write_all(CR_INIT_SYNC_FD, line, sizeof line - 1);
    if (err != 0) cri_fail(ctx, "report created", NULL, err);
    close(CR_INIT_SYNC_FD);
    ctx->created = 1;
}

static void op_wait_start(struct cri_ctx *ctx) {
    if (ctx->fd_dir < 0) cri_fail(ctx, "open exec fifo", NULL, EBADF);
    int fd = (int)EINTR_RETRY(openat(ctx->fd_dir, "4", O_WRONLY | O_CLOEXEC));
    if (fd < 0) cri_fail(ctx, "open exec fifo", NULL, errno);
    close(ctx->fd_dir);
    ctx->fd_dir = -1;
    int err = cri_write_all(fd, "0", 1);
    if (err != 0) cri_fail(ctx, "write exec fifo", NULL, err);
    close(CR_INIT_FIFO_FD);
}

static void id_call(struct cri_ctx *ctx, long number, uint64_t id, const char *label) {
    if (EINTR_RETRY(syscall(number, (long)id, (long)id, (long)id)) < 0)
        cri_fail(ctx, label, NULL, errno);
}

#if defined(SYS_setresuid32)
#define CRI_SYS_SETRESUID SYS_setresuid32
#define CRI_SYS_SETRESGID SYS_setresgid32
#else
#define CRI_SYS_SETRESUID SYS_setresuid
#define CRI_SYS_SETRESGID SYS_setresgid
#endif

static void run_op(struct cri_ctx *ctx, const struct cri_op *op) {
    const char *p0 = op->item[0];
    switch (op->code) {
    case CR_INIT_MOUNT: cri_op_mount(ctx, op); break;
    case CR_INIT_BIND: cri_op_bind(ctx, op); break;
    case CR_INIT_MKDIR: cri_op_mkdir(ctx, op); break;
    case CR_INIT_MKFILE: cri_op_mkfile(ctx, op); break;
    case CR_INIT_MKNOD: cri_op_mknod(ctx, op); break;
    case CR_INIT_SYMLINK: op_symlink(ctx, op); break;
    case CR_INIT_UMASK: umask((mode_t)op->a); break;
    case CR_INIT_UNSHARE:
        op_labelled(ctx, EINTR_RETRY(syscall(SYS_unshare, (long)op->a)), "unshare", NULL);
        break;
    case CR_INIT_CHDIR: op_labelled(ctx, EINTR_RETRY(chdir(p0)), "chdir ", p0); break;
    case CR_INIT_PIVOT_ROOT:
        op_labelled(ctx, EINTR_RETRY(syscall(SYS_pivot_root, ".", ".")), "pivot_root", NULL);
        break;
    case CR_INIT_CHROOT: op_labelled(ctx, EINTR_RETRY(chroot(p0)), "chroot ", p0); break;
    case CR_INIT_UMOUNT:
        op_labelled(ctx, EINTR_RETRY(umount2(p0, (int)op->a)), "umount2 ", p0);
        break;
    case CR_INIT_SETHOSTNAME:
        op_labelled(ctx, EINTR_RETRY(sethostname(p0, op->len[0])), "sethostname", NULL);
        break;
    case CR_INIT_SETDOMAINNAME:
        op_labelled(ctx, EINTR_RETRY(setdomainname(p0, op->len[0])), "setdomainname", NULL);
        break;
    case CR_INIT_WRITE_FILE: op_write_file(ctx, op); break;
    case CR_INIT_PROTECT: cri_op_protect(ctx, op); break;
    case CR_INIT_RLIMIT: op_rlimit(ctx, op); break;
    case CR_INIT_HOOKS_SYNC: cri_op_hooks_sync(ctx, op); break;
    case CR_INIT_READ_STATE: cri_op_read_state(ctx, op); break;
    case CR_INIT_HOOK: cri_op_hook(ctx, op); break;
    case CR_INIT_OPEN_FD_DIR: op_open_fd_dir(ctx); break;
    case CR_INIT_TERMINAL: cri_op_terminal(ctx, op); break;
    case CR_INIT_CLOSE: close((int)op->a); break;
    case CR_INIT_LOOKUP: cri_op_lookup(ctx, op); break;
    case CR_INIT_CREATED: op_created(ctx); break;
    case CR_INIT_WAIT_START: op_wait_start(ctx); break;
    case CR_INIT_SECCOMP: cri_op_seccomp(ctx, op); break;
    case CR_INIT_BOUNDING: cri_op_bounding(ctx, op); break;
    case CR_INIT_KEEPCAPS:
        op_labelled(ctx, prctl(PR_SET_KEEPCAPS, (unsigned long)op->a, 0, 0, 0),
                    "prctl(PR_SET_KEEPCAPS)", NULL);
        break;
    case CR_INIT_SETGROUPS: cri_op_setgroups(ctx, op); break;
    case CR_INIT_SETRESGID: id_call(ctx, CRI_SYS_SETRESGID, op->a, "setresgid"); break;
    case CR_INIT_SETRESUID: id_call(ctx, CRI_SYS_SETRESUID, op->a, "setresuid"); break;
    case CR_INIT_CAPSET: cri_op_capset(ctx, op); break;
    case CR_INIT_NO_NEW_PRIVS:
        op_labelled(ctx, prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)",
                    NULL);
        break;
    case CR_INIT_EXEC: cri_op_exec(ctx, op);
    default: cri_fail_plan(ctx);
    }
}

__attribute__((noreturn)) void cr_init_run(const void *plan, size_t size) {
    struct cri_ctx ctx;
    ctx.created = 0;
    ctx.fd_dir = -1;
    ctx.state = NULL;
    ctx.state_len = 0;
    ctx.program = NULL;
    ctx.program_buf[0] = '\0';
    uint32_t count;
    /* The whole plan is checked before its first op runs: a malformed plan does nothing. */
    if (cr_init_check(plan, size) != 0 || decode_header(plan, size, &count) < 0)
        cri_fail_plan(&ctx);
    size_t offset = CRI_HEADER_BYTES;
    for (uint32_t i = 0; i < count; i++) {
        struct cri_op op;
        if (decode_op(plan, size, &offset, &op) < 0) cri_fail_plan(&ctx);
        run_op(&ctx, &op);
    }
    /* A plan without CR_INIT_EXEC: nothing to run. */
    cri_fail_plan(&ctx);
}
