#define _GNU_SOURCE
#include "CSeccompHelpers.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Largest errno a child reports as itself; larger ones are reported as this value. */
#define PROBE_MAX_REPORTED_ERRNO 250

/* Runs in the forked child: async-signal-safe calls only, never returns. */
static void probe_child(const void *bpf, size_t len, unsigned int flags, long nr, const long args[6])
{
    struct sigaction dfl;
    struct rlimit no_core = { 0, 0 };
    sigset_t none;
    long ret;

    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    /* A SIGSYS kill must not leave a core dump behind. */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    setrlimit(RLIMIT_CORE, &no_core);
    memset(&dfl, 0, sizeof(dfl));
    dfl.sa_handler = SIG_DFL;
    sigaction(SIGSYS, &dfl, NULL);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);

    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        _exit(STK_PROBE_EXIT_NNP_FAILED);
    if (stk_seccomp_set_filter(bpf, len, flags) != 0)
        _exit(STK_PROBE_EXIT_FILTER_FAILED);

    errno = 0;
    ret = syscall(nr, args[0], args[1], args[2], args[3], args[4], args[5]);
    if (ret != -1)
        _exit(0);
    _exit(errno < PROBE_MAX_REPORTED_ERRNO ? errno : PROBE_MAX_REPORTED_ERRNO);
}

int stk_seccomp_probe(const void *bpf, size_t len, unsigned int flags, long nr, const long args[6],
                      struct stk_seccomp_probe_result *result)
{
    static const long no_args[6] = { 0, 0, 0, 0, 0, 0 };
    int status = 0;
    pid_t pid, waited;

    memset(result, 0, sizeof(*result));
    if (args == NULL)
        args = no_args;

    pid = fork();
    if (pid < 0) {
        result->error = errno;
        return -result->error;
    }
    if (pid == 0)
        probe_child(bpf, len, flags, nr, args);

    do {
        waited = waitpid(pid, &status, 0);
    } while (waited < 0 && errno == EINTR);
    if (waited < 0) {
        result->error = errno;
        return -result->error;
    }
    if (WIFEXITED(status)) {
        result->exited = 1;
        result->exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        result->signaled = 1;
        result->signal = WTERMSIG(status);
    }
    return 0;
}
