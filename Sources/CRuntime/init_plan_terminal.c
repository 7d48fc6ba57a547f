/*
 * The init plan's CR_INIT_TERMINAL: a pty opened inside the container, its master sent over the
 * console socket, its slave made the controlling terminal and stdio, optionally bound onto
 * /dev/console. Child side: async-signal-safe only (see init_plan.c).
 */
#define _GNU_SOURCE
#include "cruntime.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <termios.h>
#include <unistd.h>

#include "init_plan_internal.h"

/* a = rows, b = columns (both != 0: set the window size), c != 0: bind onto /dev/console. */
void cri_op_terminal(struct cri_ctx *ctx, const struct cri_op *op) {
    int master = (int)EINTR_RETRY(open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (master < 0) cri_fail(ctx, "open /dev/ptmx", NULL, errno);
    int unlock = 0;
    if (ioctl(master, TIOCSPTLCK, &unlock) < 0) cri_fail(ctx, "ioctl(TIOCSPTLCK)", NULL, errno);
    unsigned int number = 0;
    if (ioctl(master, TIOCGPTN, &number) < 0) cri_fail(ctx, "ioctl(TIOCGPTN)", NULL, errno);

    struct cri_msg name;
    cri_msg_init(&name);
    cri_msg_str(&name, "/dev/pts/");
    cri_msg_num(&name, number);

    if (op->a != 0 && op->b != 0) {
        struct winsize size;
        memset(&size, 0, sizeof size);
        size.ws_row = (unsigned short)op->a;
        size.ws_col = (unsigned short)op->b;
        ioctl(master, TIOCSWINSZ, &size); /* a wrong size is not worth failing the container */
    }
    long sent = cr_send_fd(CR_INIT_CONSOLE_FD, master, name.buf, name.len);
    if (sent < 0) cri_fail(ctx, "send the pty master over the console socket", NULL, (int)-sent);
    close(master);

    /* Only a session leader can take a controlling terminal: the container's init is one, a
     * process `exec` starts is not yet. */
    if (syscall(SYS_getsid, 0) != syscall(SYS_getpid) && setsid() < 0)
        cri_fail(ctx, "setsid", NULL, errno);
    int slave = (int)EINTR_RETRY(open(name.buf, O_RDWR | O_CLOEXEC));
    if (slave < 0) cri_fail(ctx, "open ", name.buf, errno);
    if (ioctl(slave, TIOCSCTTY, 0) < 0) cri_fail(ctx, "ioctl(TIOCSCTTY)", NULL, errno);
    for (int target = 0; target <= 2; target++) {
        if (target == slave) {
            if (fcntl(slave, F_SETFD, 0) < 0) cri_fail(ctx, "dup2 terminal", NULL, errno);
        } else if (EINTR_RETRY(dup2(slave, target)) < 0) {
            cri_fail(ctx, "dup2 terminal", NULL, errno);
        }
    }
    if (slave > 2) close(slave);

    if (op->c != 0) {
        /* /dev/console: an empty file with the pty bound onto it. */
        struct stat st;
        if (lstat("/dev/console", &st) < 0) {
            int fd = (int)EINTR_RETRY(open("/dev/console", O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
            if (fd >= 0) close(fd);
        }
        if (EINTR_RETRY(mount(name.buf, "/dev/console", "bind", MS_BIND, NULL)) < 0)
            cri_fail(ctx, "mount /dev/console", NULL, errno);
    }
}
