/*
 * The init plan's file-system ops: MOUNT, BIND, MKDIR, MKFILE, MKNOD, PROTECT, and the mkdir -p
 * and empty-file helpers. Child side: async-signal-safe only (see init_plan.c).
 */
#define _GNU_SOURCE
#include "cruntime.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "init_plan_internal.h"

static void copy_path(char *dst, const char *src) {
    size_t n = strlen(src);
    if (n >= PATH_MAX) n = PATH_MAX - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* mkdir -p, component by component; EEXIST is fine at every level. */
int cri_mkdir_p(const char *path, unsigned mode, char *failed) {
    size_t n = strlen(path);
    if (n >= PATH_MAX) {
        copy_path(failed, path);
        return ENAMETOOLONG;
    }
    if (n == 0) {
        failed[0] = '\0';
        return ENOENT;
    }
    /* The common case first: only the last component is missing, or none. */
    if (EINTR_RETRY(mkdir(path, (mode_t)mode)) == 0 || errno == EEXIST) return 0;
    if (errno != ENOENT) {
        copy_path(failed, path);
        return errno;
    }
    char buf[PATH_MAX];
    memcpy(buf, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (i < n && buf[i] != '/') continue;
        if (buf[i - 1] == '/') continue; /* "//" or a trailing "/" */
        char saved = buf[i];
        buf[i] = '\0';
        if (EINTR_RETRY(mkdir(buf, (mode_t)mode)) < 0 && errno != EEXIST) {
            int err = errno;
            copy_path(failed, buf);
            return err;
        }
        buf[i] = saved;
    }
    return 0;
}

int cri_mkdir_parent(const char *path, char *failed) {
    size_t n = strlen(path);
    if (n >= PATH_MAX) {
        copy_path(failed, path);
        return ENAMETOOLONG;
    }
    char buf[PATH_MAX];
    memcpy(buf, path, n + 1);
    while (n > 1 && buf[n - 1] == '/') buf[--n] = '\0'; /* "a/b/" names b */
    char *slash = strrchr(buf, '/');
    if (slash == NULL) return 0;
    while (slash > buf && slash[-1] == '/') slash--;
    if (slash == buf) return 0; /* the parent is "/" */
    *slash = '\0';
    return cri_mkdir_p(buf, 0755, failed);
}

int cri_mkfile(const char *path, char *failed, int *at_open) {
    struct stat st;
    *at_open = 0;
    if (lstat(path, &st) == 0) return 0;
    int err = cri_mkdir_parent(path, failed);
    if (err != 0) return err;
    /* O_EXCL: never through a symbolic link that appeared meanwhile; EEXIST means kept. */
    int fd = (int)EINTR_RETRY(open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (fd < 0) {
        if (errno == EEXIST) return 0;
        err = errno;
        *at_open = 1;
        copy_path(failed, path);
        return err;
    }
    close(fd);
    return 0;
}

/* "LABEL: WHAT PATH: ENAME (description)", exit 127. */
__attribute__((noreturn)) static void fail_sub(struct cri_ctx *ctx, const char *label,
                                               const char *what, const char *path, int err) {
    struct cri_msg m;
    cri_msg_init(&m);
    cri_msg_str(&m, label);
    cri_msg_str(&m, ": ");
    cri_msg_str(&m, what);
    cri_msg_str(&m, path);
    cri_msg_errno(&m, err);
    cri_die_msg(ctx, &m, 127);
}

static const char *or_null(const char *s) { return s[0] == '\0' ? NULL : s; }

/* items: label, source, target, fstype, data [, fallback source]. */
void cri_op_mount(struct cri_ctx *ctx, const struct cri_op *op) {
    const char *label = op->item[0], *target = op->item[2];
    char failed[PATH_MAX];
    if (op->flags & CR_INIT_F_MKDIR_TARGET) {
        int err = cri_mkdir_p(target, 0755, failed);
        if (err != 0) fail_sub(ctx, label, "mkdir ", failed, err);
    }
    if (EINTR_RETRY(mount(or_null(op->item[1]), target, or_null(op->item[3]),
                          (unsigned long)op->a, or_null(op->item[4]))) == 0)
        return;
    if (errno != EPERM || !(op->flags & CR_INIT_F_EPERM_BIND)) cri_fail(ctx, label, NULL, errno);
    /* Not allowed to mount this kind here (a user namespace, say): bind the host's instead. */
    if (EINTR_RETRY(mount(op->item[5], target, NULL, MS_BIND | MS_REC, NULL)) < 0)
        cri_fail(ctx, label, NULL, errno);
    if (op->b != 0 &&
        EINTR_RETRY(mount(NULL, target, NULL, (unsigned long)op->b | MS_BIND | MS_REMOUNT, NULL)) < 0)
        cri_fail(ctx, label, NULL, errno);
}

/* items: label, source, target. a = MS_BIND[|MS_REC], b = remount flags. */
void cri_op_bind(struct cri_ctx *ctx, const struct cri_op *op) {
    const char *label = op->item[0], *source = op->item[1], *target = op->item[2];
    char failed[PATH_MAX];
    struct stat st;
    if (EINTR_RETRY(stat(source, &st)) < 0) fail_sub(ctx, label, "bind source ", source, errno);
    if (S_ISDIR(st.st_mode)) {
        int err = cri_mkdir_p(target, 0755, failed);
        if (err != 0) fail_sub(ctx, label, "mkdir ", failed, err);
    } else {
        int at_open;
        int err = cri_mkfile(target, failed, &at_open);
        if (err != 0) fail_sub(ctx, label, at_open ? "open " : "mkdir ", failed, err);
    }
    if (EINTR_RETRY(mount(source, target, "bind", (unsigned long)op->a, NULL)) < 0)
        cri_fail(ctx, label, NULL, errno);
    if (op->b != 0 &&
        EINTR_RETRY(mount(NULL, target, NULL, (unsigned long)op->b | MS_BIND | MS_REMOUNT, NULL)) < 0)
        cri_fail(ctx, label, NULL, errno);
}

/* items: path. a = mode. */
void cri_op_mkdir(struct cri_ctx *ctx, const struct cri_op *op) {
    const char *path = op->item[0];
    char failed[PATH_MAX];
    int err = 0;
    if (op->flags & CR_INIT_F_PARENTS) {
        err = cri_mkdir_p(path, (unsigned)op->a, failed);
    } else if (EINTR_RETRY(mkdir(path, (mode_t)op->a)) < 0 && errno != EEXIST) {
        err = errno;
        copy_path(failed, path);
    }
    if (err != 0 && !(op->flags & CR_INIT_F_QUIET)) cri_fail(ctx, "mkdir ", failed, err);
}

/* items: path. */
void cri_op_mkfile(struct cri_ctx *ctx, const struct cri_op *op) {
    char failed[PATH_MAX];
    int at_open;
    int err = cri_mkfile(op->item[0], failed, &at_open);
    if (err != 0) cri_fail(ctx, at_open ? "open " : "mkdir ", failed, err);
}

/* items: path. a = mode, b = device. Parent-directory failures carry their own "mkdir" label. */
void cri_op_mknod(struct cri_ctx *ctx, const struct cri_op *op) {
    const char *path = op->item[0];
    char failed[PATH_MAX];
    int err = cri_mkdir_parent(path, failed);
    if (err != 0) cri_fail(ctx, "mkdir ", failed, err);
    if (EINTR_RETRY(mknod(path, (mode_t)op->a, (dev_t)op->b)) < 0 && errno != EEXIST)
        cri_fail(ctx, "mknod ", path, errno);
}

/* items: path. CR_INIT_F_MASK: mask, else read-only. */
void cri_op_protect(struct cri_ctx *ctx, const struct cri_op *op) {
    const char *path = op->item[0];
    struct stat st;
    if (EINTR_RETRY(stat(path, &st)) < 0) {
        if (errno == ENOENT) return;
        cri_fail(ctx, "mount ", path, errno);
    }
    long r;
    if (op->flags & CR_INIT_F_MASK) {
        if (S_ISDIR(st.st_mode))
            r = EINTR_RETRY(mount("tmpfs", path, "tmpfs", MS_RDONLY, NULL));
        else
            r = EINTR_RETRY(mount("/dev/null", path, NULL, MS_BIND, NULL));
    } else {
        r = EINTR_RETRY(mount(path, path, NULL, MS_BIND | MS_REC, NULL));
        if (r == 0)
            r = EINTR_RETRY(mount(path, path, NULL,
                                  MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC | MS_NOSUID | MS_NODEV |
                                      MS_NOEXEC,
                                  NULL));
    }
    if (r < 0) cri_fail(ctx, "mount ", path, errno);
}
