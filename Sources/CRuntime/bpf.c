#include "cruntime_bpf.h"

#include <errno.h>
#include <linux/bpf.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int bpf_call(int command, union bpf_attr *attr) {
    long result = syscall(SYS_bpf, command, attr, sizeof(*attr));
    return result < 0 ? -errno : (int)result;
}

int cr_bpf_load_cgroup_device(const void *instructions, uint32_t count, char *log, uint32_t log_size) {
    union bpf_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
    attr.insns = (uint64_t)(uintptr_t)instructions;
    attr.insn_cnt = count;
    attr.license = (uint64_t)(uintptr_t)"Apache";
    if (log != NULL && log_size > 0) {
        log[0] = 0;
        attr.log_buf = (uint64_t)(uintptr_t)log;
        attr.log_size = log_size;
        attr.log_level = 1;
    }
    int fd = bpf_call(BPF_PROG_LOAD, &attr);
    if (fd == -ENOSPC && log != NULL) {
        /* The log did not fit: load again without it so the result is the program's, not the log's. */
        attr.log_buf = 0;
        attr.log_size = 0;
        attr.log_level = 0;
        fd = bpf_call(BPF_PROG_LOAD, &attr);
    }
    return fd;
}

int cr_bpf_attach_cgroup_device(int cgroup_fd, int prog_fd) {
    union bpf_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.target_fd = (uint32_t)cgroup_fd;
    attr.attach_bpf_fd = (uint32_t)prog_fd;
    attr.attach_type = BPF_CGROUP_DEVICE;
    attr.attach_flags = BPF_F_ALLOW_MULTI;
    return bpf_call(BPF_PROG_ATTACH, &attr);
}

int cr_bpf_query_cgroup_device(int cgroup_fd, uint32_t *ids, uint32_t *count) {
    union bpf_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.query.target_fd = (uint32_t)cgroup_fd;
    attr.query.attach_type = BPF_CGROUP_DEVICE;
    attr.query.prog_ids = (uint64_t)(uintptr_t)ids;
    attr.query.prog_cnt = *count;
    int result = bpf_call(BPF_PROG_QUERY, &attr);
    if (result >= 0 || result == -ENOSPC) *count = attr.query.prog_cnt;
    return result;
}

int cr_bpf_detach_cgroup_device(int cgroup_fd, uint32_t prog_id) {
    union bpf_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.prog_id = prog_id;
    int prog_fd = bpf_call(BPF_PROG_GET_FD_BY_ID, &attr);
    if (prog_fd < 0) return prog_fd;
    memset(&attr, 0, sizeof(attr));
    attr.target_fd = (uint32_t)cgroup_fd;
    attr.attach_bpf_fd = (uint32_t)prog_fd;
    attr.attach_type = BPF_CGROUP_DEVICE;
    int result = bpf_call(BPF_PROG_DETACH, &attr);
    close(prog_fd);
    return result;
}
