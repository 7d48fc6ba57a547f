#ifndef CRUNTIME_BPF_H
#define CRUNTIME_BPF_H

#include <stddef.h>
#include <stdint.h>

/* The bpf(2) calls that cgroup v2 device control needs. Each returns a non-negative value on
 * success and -errno on failure. */

/* Loads `count` eBPF instructions (8 bytes each) as a BPF_PROG_TYPE_CGROUP_DEVICE program;
 * returns the program fd. The verifier's log goes to `log` when given. */
int cr_bpf_load_cgroup_device(const void *instructions, uint32_t count, char *log, uint32_t log_size);

/* Attaches program `prog_fd` to the cgroup directory `cgroup_fd` as its device filter, with
 * BPF_F_ALLOW_MULTI so it can replace an earlier one without a gap. */
int cr_bpf_attach_cgroup_device(int cgroup_fd, int prog_fd);

/* The ids of the device programs attached to `cgroup_fd` itself: up to *count ids into `ids`;
 * *count is set to the number attached. */
int cr_bpf_query_cgroup_device(int cgroup_fd, uint32_t *ids, uint32_t *count);

/* Detaches the device program with id `prog_id` from `cgroup_fd`. */
int cr_bpf_detach_cgroup_device(int cgroup_fd, uint32_t prog_id);

#endif
