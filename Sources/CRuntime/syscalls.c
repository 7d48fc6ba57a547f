/*
 * Thin system call wrappers for Swift: each returns the result or -errno, read right after the
 * call, so no Swift code runs between the call and the errno read.
 */
#define _GNU_SOURCE
#include "cruntime.h"

#include <errno.h>
#include <grp.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_pivot_root
#define SYS_pivot_root __NR_pivot_root
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif

static long result(long r) { return r < 0 ? -errno : r; }

long cr_sys_pivot_root(const char *new_root, const char *put_old) {
    return result(syscall(SYS_pivot_root, new_root, put_old));
}

long cr_sys_setns(int fd, int nstype) { return result(syscall(SYS_setns, fd, nstype)); }

long cr_sys_unshare(int flags) { return result(syscall(SYS_unshare, flags)); }

long cr_sys_close_range(unsigned int first, unsigned int last, unsigned int flags) {
    return result(syscall(SYS_close_range, first, last, flags));
}

long cr_sys_pidfd_open(pid_t pid, unsigned int flags) {
    return result(syscall(SYS_pidfd_open, pid, flags));
}

long cr_sys_pidfd_send_signal(int pidfd, int sig, unsigned int flags) {
    return result(syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, flags));
}

/* The kernel's struct mount_attr (linux/mount.h), declared here for older headers. */
struct cr_mount_attr {
    uint64_t attr_set;
    uint64_t attr_clr;
    uint64_t propagation;
    uint64_t userns_fd;
};

long cr_sys_mount_setattr(int dirfd, const char *path, unsigned int flags, uint64_t attr_set,
                          uint64_t attr_clr, uint64_t propagation, uint64_t userns_fd) {
    struct cr_mount_attr attr = {attr_set, attr_clr, propagation, userns_fd};
    return result(syscall(SYS_mount_setattr, dirfd, path, flags, &attr, sizeof attr));
}

long cr_sys_mount(const char *source, const char *target, const char *fstype, unsigned long flags,
                  const void *data) {
    return result(mount(source, target, fstype, flags, data));
}

long cr_sys_umount2(const char *target, int flags) { return result(umount2(target, flags)); }

long cr_sys_sethostname(const char *name, size_t len) { return result(sethostname(name, len)); }

long cr_sys_setdomainname(const char *name, size_t len) {
    return result(setdomainname(name, len));
}

long cr_sys_prlimit(pid_t pid, int resource, uint64_t soft, uint64_t hard) {
    struct rlimit64 limit = {soft, hard};
    return result(prlimit64(pid, (__rlimit_resource_t)resource, &limit, NULL));
}

long cr_sys_prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4,
                  unsigned long a5) {
    return result(prctl(option, a2, a3, a4, a5));
}

long cr_setresuid(uid_t r, uid_t e, uid_t s) { return result(setresuid(r, e, s)); }

long cr_setresgid(gid_t r, gid_t e, gid_t s) { return result(setresgid(r, e, s)); }

long cr_setgroups(size_t count, const gid_t *groups) { return result(setgroups(count, groups)); }

long cr_sys_pipe2(int fds[2], int flags) { return result(pipe2(fds, flags)); }

long cr_sys_mknod(const char *path, unsigned int mode, unsigned long long dev) {
    return result(mknod(path, mode, (dev_t)dev));
}

long cr_sys_syscall6(long number, long a1, long a2, long a3, long a4, long a5, long a6) {
    return result(syscall(number, a1, a2, a3, a4, a5, a6));
}

unsigned long long cr_makedev(unsigned int major, unsigned int minor) {
    return (unsigned long long)makedev(major, minor);
}

void cr_strerror(int err, char *buf, size_t len) {
    if (buf == NULL || len == 0) return;
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
    const char *text = strerror_r(err, buf, len);
    if (text != buf) {
        strncpy(buf, text, len - 1);
        buf[len - 1] = '\0';
    }
#else
    if (strerror_r(err, buf, len) != 0) buf[0] = '\0';
#endif
}

int cr_wifexited(int status) { return WIFEXITED(status); }
int cr_wexitstatus(int status) { return WEXITSTATUS(status); }
int cr_wifsignaled(int status) { return WIFSIGNALED(status); }
int cr_wtermsig(int status) { return WTERMSIG(status); }
int cr_wifstopped(int status) { return WIFSTOPPED(status); }
int cr_wstopsig(int status) { return WSTOPSIG(status); }

int cr_get_errno(void) { return errno; }
void cr_set_errno(int value) { errno = value; }

#include <sys/socket.h>
#include <sys/uio.h>

long cr_send_fd(int sock, int fd, const char *payload, size_t len) {
    char data = 0;
    struct iovec iov = {.iov_base = (void *)(payload && len ? payload : &data), .iov_len = payload && len ? len : 1};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    memset(&control, 0, sizeof(control));
    struct msghdr msg = {0};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof(control.buf);
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
    ssize_t sent;
    do {
        sent = sendmsg(sock, &msg, MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    return sent < 0 ? -errno : 0;
}

long cr_recv_fd(int sock, char *buf, size_t len, size_t *received) {
    char data = 0;
    struct iovec iov = {.iov_base = buf && len ? buf : &data, .iov_len = buf && len ? len : 1};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    memset(&control, 0, sizeof(control));
    struct msghdr msg = {0};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof(control.buf);
    ssize_t got;
    do {
        got = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
    } while (got < 0 && errno == EINTR);
    if (got < 0) return -errno;
    if (received) *received = (size_t)got;
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
    if (!cmsg || cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS) return -EBADMSG;
    int fd;
    memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
    return fd;
}

long cr_socketpair(int fds[2]) {
    return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0 ? -errno : 0;
}
