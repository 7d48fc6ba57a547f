#define _GNU_SOURCE
#include "CSeccompHelpers.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

_Static_assert(STK_PR_CAPBSET_READ == PR_CAPBSET_READ, "PR_CAPBSET_READ");
_Static_assert(STK_SECCOMP_FLAG_TSYNC == SECCOMP_FILTER_FLAG_TSYNC, "SECCOMP_FILTER_FLAG_TSYNC");
_Static_assert(STK_SECCOMP_FLAG_LOG == SECCOMP_FILTER_FLAG_LOG, "SECCOMP_FILTER_FLAG_LOG");
_Static_assert(STK_SECCOMP_FLAG_SPEC_ALLOW == SECCOMP_FILTER_FLAG_SPEC_ALLOW, "SECCOMP_FILTER_FLAG_SPEC_ALLOW");
_Static_assert(STK_SECCOMP_FLAG_NEW_LISTENER == SECCOMP_FILTER_FLAG_NEW_LISTENER, "SECCOMP_FILTER_FLAG_NEW_LISTENER");
_Static_assert(STK_BPF_INSTRUCTION_SIZE == sizeof(struct sock_filter), "sizeof(struct sock_filter)");

long stk_seccomp_set_filter(const void *bpf, size_t len, unsigned int flags)
{
    struct sock_fprog prog;
    long ret;

    if (bpf == NULL || len == 0 || len % STK_BPF_INSTRUCTION_SIZE != 0
        || len / STK_BPF_INSTRUCTION_SIZE > 0xffff)
        return -EINVAL;
    prog.len = (unsigned short) (len / STK_BPF_INSTRUCTION_SIZE);
    prog.filter = (struct sock_filter *) bpf;
    ret = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
    if (ret < 0)
        return -errno;
    return ret;
}

long stk_prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)
{
    int ret = prctl(option, a2, a3, a4, a5);
    if (ret < 0)
        return -errno;
    return ret;
}

int stk_memfd_create(const char *name)
{
    int fd = (int) syscall(SYS_memfd_create, name, MFD_CLOEXEC);
    if (fd < 0)
        return -errno;
    return fd;
}
