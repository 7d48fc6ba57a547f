#include "monitor.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define ERROR_MAX 4096

static char error_text[ERROR_MAX];
static size_t error_len;

void error_clear(void) {
    error_len = 0;
    error_text[0] = '\0';
}

bool error_empty(void) { return error_len == 0; }

void error_append(const char *data, size_t size) {
    if (error_len + size > ERROR_MAX - 1) size = ERROR_MAX - 1 - error_len;
    memcpy(error_text + error_len, data, size);
    error_len += size;
    error_text[error_len] = '\0';
}

void error_step(const char *step) {
    char text[512];
    int n = snprintf(text, sizeof text, "stack-monitor: %s: %s", step, strerror(errno));
    error_clear();
    error_append(text, (size_t)n);
}

void send_sync(int *sync_fd, bool ok, pid_t pid) {
    if (*sync_fd < 0) return;
    static char line[ERROR_MAX * 6 + 64];
    size_t n;
    if (ok) {
        n = (size_t)snprintf(line, sizeof line, "{\"pid\":%d}\n", (int)pid);
    } else {
        while (error_len > 0 && (error_text[error_len - 1] == '\n' || error_text[error_len - 1] == ' '))
            error_text[--error_len] = '\0';
        memcpy(line, "{\"error\":\"", 10);
        n = 10 + json_escape((const unsigned char *)error_text, error_len, line + 10);
        memcpy(line + n, "\"}\n", 3);
        n += 3;
    }
    write_all(*sync_fd, line, n); /* a launcher that went away (EPIPE) is ignored */
    close(*sync_fd);
    *sync_fd = -1;
}

void write_exit_record(pid_t pid, int status) {
    int code = 0, sig = 0;
    if (WIFEXITED(status)) code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status)) { sig = WTERMSIG(status); code = 128 + sig; }
    char time[40], text[256];
    rfc3339_now(time);
    int n = sig ? snprintf(text, sizeof text, "{\"pid\":%d,\"exitCode\":%d,\"signal\":%d,\"finishedAt\":\"%s\"}\n",
                           (int)pid, code, sig, time)
                : snprintf(text, sizeof text, "{\"pid\":%d,\"exitCode\":%d,\"finishedAt\":\"%s\"}\n",
                           (int)pid, code, time);
    write_file_atomically("exit.json", text, (size_t)n);
}
