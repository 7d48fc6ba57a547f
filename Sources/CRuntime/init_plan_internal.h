/*
 * Shared between the files of the init plan's executor (init_plan*.c). Private. Everything here
 * runs in the cloned child: async-signal-safe only (raw system calls, stack buffers, mmap).
 */
#ifndef CRUNTIME_INIT_PLAN_INTERNAL_H
#define CRUNTIME_INIT_PLAN_INTERNAL_H

#include "cruntime.h"

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

/* The items an op keeps at hand (the fixed-arity ops have at most 6); HOOK and EXEC walk theirs
 * with a cursor. */
#define CRI_FIXED_ITEMS 8

/* One decoded op. Item strings point into the plan (NUL-terminated in place). */
struct cri_op {
    uint32_t code, flags;
    uint64_t a, b, c, d;
    uint32_t items;          /* count */
    const char *first;       /* the first item's length field */
    uint32_t size;           /* bytes of items */
    const char *item[CRI_FIXED_ITEMS];
    uint32_t len[CRI_FIXED_ITEMS];
};

/* A cursor over an op's items (already validated by the walk). */
struct cri_cursor {
    const char *p;
};

/* The executor's state, on the child's stack (no globals: nothing is shared with the parent). */
struct cri_ctx {
    int created;             /* CR_INIT_CREATED done: failures go to fd 2 */
    int fd_dir;              /* CR_INIT_OPEN_FD_DIR's fd, or -1 */
    const char *state;       /* CR_INIT_READ_STATE's text (mmap), or NULL */
    size_t state_len;
    const char *program;     /* CR_INIT_LOOKUP's result, or NULL */
    char program_buf[PATH_MAX];
};

/* A message under construction: appended to, truncated safely. */
#define CRI_MSG_MAX 4096
struct cri_msg {
    char buf[CRI_MSG_MAX];
    size_t len;
};

void cri_msg_init(struct cri_msg *m);
void cri_msg_str(struct cri_msg *m, const char *s);
void cri_msg_bytes(struct cri_msg *m, const char *s, size_t n);
void cri_msg_num(struct cri_msg *m, long long v);
/* ": ENAME (description)" */
void cri_msg_errno(struct cri_msg *m, int err);

/* Report the message (fd 3 JSON before CREATED, fd 2 after) and _exit(status). */
__attribute__((noreturn)) void cri_die_msg(struct cri_ctx *ctx, const struct cri_msg *m, int status);
/* "LABEL[SUFFIX]: ENAME (description)", exit 127. suffix may be NULL. */
__attribute__((noreturn)) void cri_fail(struct cri_ctx *ctx, const char *label, const char *suffix,
                                        int err);
/* "init plan: EINVAL (Invalid argument)", exit 127. */
__attribute__((noreturn)) void cri_fail_plan(struct cri_ctx *ctx);

/* write() all of it, retrying EINTR and short writes. 0 or errno. */
int cri_write_all(int fd, const void *data, size_t len);
/* One line (up to and including "\n") from fd into dst (at most cap bytes, never past the line's
 * end: MSG_PEEK on a socket, else byte by byte). Returns the bytes read (0 at EOF) or -errno.
 * *line_end is set when the returned bytes end the line. */
long cri_read_line_part(int fd, char *dst, size_t cap, int *line_end);

/* Item cursor. */
void cri_cursor_init(struct cri_cursor *cur, const struct cri_op *op);
const char *cri_cursor_next(struct cri_cursor *cur, uint32_t *len);

/* mkdir -p: 0 or errno; on failure the failing prefix is left in failed (PATH_MAX bytes). */
int cri_mkdir_p(const char *path, unsigned mode, char *failed);
/* mkdir -p the parent directory of path (0755). */
int cri_mkdir_parent(const char *path, char *failed);

/* An empty file (0644) at path with its missing parents (0755), unless something exists there:
 * 0 or errno; on failure failed holds the path and *at_open says whether open (else mkdir)
 * failed. */
int cri_mkfile(const char *path, char *failed, int *at_open);

/* Retry a call returning < 0 with errno EINTR (a GNU statement expression, as clang and gcc
 * accept). */
#define EINTR_RETRY(expr)                                                                          \
    __extension__({                                                                                \
        long _r;                                                                                   \
        do {                                                                                       \
            _r = (long)(expr);                                                                     \
        } while (_r < 0 && errno == EINTR);                                                        \
        _r;                                                                                        \
    })

/* Op handlers outside init_plan.c. */
void cri_op_read_state(struct cri_ctx *ctx, const struct cri_op *op);
void cri_op_hooks_sync(struct cri_ctx *ctx, const struct cri_op *op);
void cri_op_hook(struct cri_ctx *ctx, const struct cri_op *op);
void cri_op_terminal(struct cri_ctx *ctx, const struct cri_op *op);
void cri_op_mount(struct cri_ctx *ctx, const struct cri_op *op);
void cri_op_bind(struct cri_ctx *ctx, const struct cri_op *op);
void cri_op_mkdir(struct cri_ctx *ctx, const struct cri_op *op);
void cri_op_mkfile(struct cri_ctx *ctx, const struct cri_op *op);
void cri_op_mknod(struct cri_ctx *ctx, const struct cri_op *op);
void cri_op_protect(struct cri_ctx *ctx, const struct cri_op *op);
void cri_op_seccomp(struct cri_ctx *ctx, const struct cri_op *op);
void cri_op_bounding(struct cri_ctx *ctx, const struct cri_op *op);
void cri_op_capset(struct cri_ctx *ctx, const struct cri_op *op);
void cri_op_setgroups(struct cri_ctx *ctx, const struct cri_op *op);
void cri_op_lookup(struct cri_ctx *ctx, const struct cri_op *op);
__attribute__((noreturn)) void cri_op_exec(struct cri_ctx *ctx, const struct cri_op *op);

#endif
