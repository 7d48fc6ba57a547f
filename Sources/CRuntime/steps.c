/* Names of the spawn steps, for messages such as "setns(net): EINVAL". */
#include "cruntime.h"

const char *cr_step_name(int step) {
    switch (step) {
    case CR_STEP_NONE: return "spawn";
    case CR_STEP_ARGS: return "spawn arguments";
    case CR_STEP_PIPE: return "pipe";
    case CR_STEP_CLONE: return "clone";
    case CR_STEP_CGROUP: return "cgroup.procs";
    case CR_STEP_SETNS_USER: return "setns(user)";
    case CR_STEP_SETNS_MNT: return "setns(mnt)";
    case CR_STEP_SETNS_UTS: return "setns(uts)";
    case CR_STEP_SETNS_IPC: return "setns(ipc)";
    case CR_STEP_SETNS_PID: return "setns(pid)";
    case CR_STEP_SETNS_NET: return "setns(net)";
    case CR_STEP_SETNS_CGROUP: return "setns(cgroup)";
    case CR_STEP_SETNS_TIME: return "setns(time)";
    case CR_STEP_SETNS: return "setns";
    case CR_STEP_CLONE_CHILD: return "clone (after setns)";
    case CR_STEP_PDEATHSIG: return "prctl(PR_SET_PDEATHSIG)";
    case CR_STEP_SYNC: return "sync";
    case CR_STEP_SETSID: return "setsid";
    case CR_STEP_CLOEXEC: return "close_range(CLOEXEC)";
    case CR_STEP_FD_REMAP: return "dup2";
    case CR_STEP_CHDIR: return "chdir";
    case CR_STEP_EXECVE: return "execve";
    case CR_STEP_WAIT: return "wait for exec";
    case CR_STEP_SETRESGID: return "setresgid(0)";
    case CR_STEP_SETRESUID: return "setresuid(0)";
    case CR_STEP_CGROUP_TASKS: return "cgroup tasks";
    default: return "unknown step";
    }
}
