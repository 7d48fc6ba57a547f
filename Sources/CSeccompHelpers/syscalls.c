#define _GNU_SOURCE
#include "CSeccompHelpers.h"

#include <errno.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

_Static_assert(STK_PR_GET_KEEPCAPS == PR_GET_KEEPCAPS, "PR_GET_KEEPCAPS");
_Static_assert(STK_PR_SET_KEEPCAPS == PR_SET_KEEPCAPS, "PR_SET_KEEPCAPS");
_Static_assert(STK_PR_CAPBSET_READ == PR_CAPBSET_READ, "PR_CAPBSET_READ");
_Static_assert(STK_PR_CAPBSET_DROP == PR_CAPBSET_DROP, "PR_CAPBSET_DROP");
_Static_assert(STK_PR_SET_NO_NEW_PRIVS == PR_SET_NO_NEW_PRIVS, "PR_SET_NO_NEW_PRIVS");
_Static_assert(STK_PR_GET_NO_NEW_PRIVS == PR_GET_NO_NEW_PRIVS, "PR_GET_NO_NEW_PRIVS");
_Static_assert(STK_PR_CAP_AMBIENT == PR_CAP_AMBIENT, "PR_CAP_AMBIENT");
_Static_assert(STK_PR_CAP_AMBIENT_IS_SET == PR_CAP_AMBIENT_IS_SET, "PR_CAP_AMBIENT_IS_SET");
_Static_assert(STK_PR_CAP_AMBIENT_RAISE == PR_CAP_AMBIENT_RAISE, "PR_CAP_AMBIENT_RAISE");
_Static_assert(STK_PR_CAP_AMBIENT_LOWER == PR_CAP_AMBIENT_LOWER, "PR_CAP_AMBIENT_LOWER");
_Static_assert(STK_PR_CAP_AMBIENT_CLEAR_ALL == PR_CAP_AMBIENT_CLEAR_ALL, "PR_CAP_AMBIENT_CLEAR_ALL");
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

int stk_capget(uint32_t effective[2], uint32_t permitted[2], uint32_t inheritable[2])
{
    struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[2] = { { 0, 0, 0 }, { 0, 0, 0 } };
    int i;

    if (syscall(SYS_capget, &header, data) < 0)
        return -errno;
    for (i = 0; i < 2; i++) {
        effective[i] = data[i].effective;
        permitted[i] = data[i].permitted;
        inheritable[i] = data[i].inheritable;
    }
    return 0;
}

int stk_capset(const uint32_t effective[2], const uint32_t permitted[2], const uint32_t inheritable[2])
{
    struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[2];
    int i;

    for (i = 0; i < 2; i++) {
        data[i].effective = effective[i];
        data[i].permitted = permitted[i];
        data[i].inheritable = inheritable[i];
    }
    if (syscall(SYS_capset, &header, data) < 0)
        return -errno;
    return 0;
}

int stk_memfd_create(const char *name)
{
    int fd = (int) syscall(SYS_memfd_create, name, MFD_CLOEXEC);
    if (fd < 0)
        return -errno;
    return fd;
}
