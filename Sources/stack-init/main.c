/*
 * stack-init: a tiny PID 1 for containers run with `--init`.
 *
 *   stack-init -- PROG [ARGS...]
 *
 * Starts PROG in its own process group (given the foreground of the controlling terminal when
 * there is one), forwards SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 and SIGWINCH to it,
 * reaps every zombie that is reparented to it, and exits with PROG's status: its exit code, or
 * 128 + N when a signal N ended it. Exit status 125 means stack-init itself failed; 126 that PROG
 * could not be executed; 127 that it was not found.
 *
 * It is bind-mounted into containers whose root filesystem may lack a libc, so it is linked
 * statically and uses only libc.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static const int forwarded_signals[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH};
#define FORWARDED_COUNT ((int)(sizeof(forwarded_signals) / sizeof(forwarded_signals[0])))

static void usage(void) {
    fprintf(stderr, "usage: stack-init -- PROGRAM [ARGUMENTS...]\n");
}

/* The child: own process group, terminal foreground, default signal state, then exec. */
static void exec_child(char **argv) {
    if (setpgid(0, 0) < 0) {
        fprintf(stderr, "stack-init: setpgid: %s\n", strerror(errno));
        _exit(125);
    }
    int tty = isatty(STDIN_FILENO) ? STDIN_FILENO : -1;
    if (tty >= 0) {
        /* tcsetpgrp from a background process group raises SIGTTOU; ignore it meanwhile. */
        signal(SIGTTOU, SIG_IGN);
        if (tcsetpgrp(tty, getpgrp()) < 0 && errno != ENOTTY && errno != ENXIO) {
            fprintf(stderr, "stack-init: tcsetpgrp: %s\n", strerror(errno));
        }
        signal(SIGTTOU, SIG_DFL);
    }
    for (int i = 0; i < FORWARDED_COUNT; i++) {
        signal(forwarded_signals[i], SIG_DFL);
    }
    /* The program starts with no signal blocked, whatever mask we inherited. */
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execvp(argv[0], argv);
    int saved = errno;
    fprintf(stderr, "stack-init: exec %s: %s\n", argv[0], strerror(saved));
    _exit(saved == ENOENT ? 127 : 126);
}

int main(int argc, char **argv) {
    int first = 1;
    if (first < argc && strcmp(argv[first], "--") == 0) {
        first++;
    }
    if (first >= argc) {
        usage();
        return 125;
    }
    if (getpid() != 1) {
        /* Not PID 1 (e.g. under a test): become the subreaper, so orphans still come to us. */
        prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    }

    /* Block the signals we handle synchronously: forwarded ones and SIGCHLD. An ignored signal would
     * be discarded before sigwaitinfo could see it, so whatever our parent ignored is reset first. */
    sigset_t handled;
    sigemptyset(&handled);
    for (int i = 0; i < FORWARDED_COUNT; i++) {
        sigaddset(&handled, forwarded_signals[i]);
        signal(forwarded_signals[i], SIG_DFL);
    }
    sigaddset(&handled, SIGCHLD);
    signal(SIGCHLD, SIG_DFL);
    if (sigprocmask(SIG_BLOCK, &handled, NULL) < 0) {
        fprintf(stderr, "stack-init: sigprocmask: %s\n", strerror(errno));
        return 125;
    }

    pid_t child = fork();
    if (child < 0) {
        fprintf(stderr, "stack-init: fork: %s\n", strerror(errno));
        return 125;
    }
    if (child == 0) {
        exec_child(argv + first);
    }
    /* Also from the parent, so the terminal is handed over whichever runs first. */
    setpgid(child, child);
    if (isatty(STDIN_FILENO)) {
        signal(SIGTTOU, SIG_IGN);
        tcsetpgrp(STDIN_FILENO, child);
    }

    int exit_status = -1;
    for (;;) {
        siginfo_t info;
        int signo = sigwaitinfo(&handled, &info);
        if (signo < 0) {
            if (errno == EINTR) continue;
            fprintf(stderr, "stack-init: sigwaitinfo: %s\n", strerror(errno));
            return 125;
        }
        if (signo != SIGCHLD) {
            /* Forward to the child only, as tini does by default. */
            if (kill(child, signo) < 0 && errno != ESRCH) {
                fprintf(stderr, "stack-init: kill: %s\n", strerror(errno));
            }
            continue;
        }
        /* Reap everything that has exited: the child and any orphaned descendants. */
        for (;;) {
            int status;
            pid_t pid = waitpid(-1, &status, WNOHANG);
            if (pid <= 0) {
                if (pid < 0 && errno == ECHILD && exit_status >= 0) {
                    return exit_status;
                }
                break;
            }
            if (pid == child) {
                if (WIFEXITED(status)) {
                    exit_status = WEXITSTATUS(status);
                } else if (WIFSIGNALED(status)) {
                    exit_status = 128 + WTERMSIG(status);
                } else {
                    continue;
                }
            }
        }
        if (exit_status >= 0) {
            /* The child is gone: reap what is left without waiting for stragglers that still run
             * (the container ends with its PID 1 and the kernel kills them). */
            return exit_status;
        }
    }
}
