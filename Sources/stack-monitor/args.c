#include "monitor.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: stack-monitor --id ID --bundle DIR --runtime PATH --runtime-root DIR --dir CONTAINERDIR\n"
    "                     --log-file F [--log-max-size BYTES] [--log-max-files N] [--stdin] [--terminal]\n"
    "                     --sync-fd N";

static int parse_number(const char *text, long long min, long long *value) {
    char *end;
    errno = 0;
    long long parsed = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || parsed < min) return -1;
    *value = parsed;
    return 0;
}

int parse_options(int argc, char **argv, struct options *o, char *error, size_t error_size) {
    memset(o, 0, sizeof *o);
    o->log_max_size = -1;
    o->log_max_files = 1;
    o->sync_fd = -1;
    for (int i = 1; i < argc; i++) {
        const char *flag = argv[i];
        if (strcmp(flag, "--stdin") == 0) { o->open_stdin = true; continue; }
        if (strcmp(flag, "--terminal") == 0) { o->terminal = true; continue; }
        if (strcmp(flag, "--help") == 0 || strcmp(flag, "-h") == 0) {
            snprintf(error, error_size, "%s", usage);
            return -1;
        }
        if (i + 1 >= argc) {
            snprintf(error, error_size, "%s needs a value (or is unknown)\n%s", flag, usage);
            return -1;
        }
        const char *value = argv[++i];
        long long number;
        if (strcmp(flag, "--id") == 0) o->id = value;
        else if (strcmp(flag, "--bundle") == 0) o->bundle = value;
        else if (strcmp(flag, "--runtime") == 0) o->runtime = value;
        else if (strcmp(flag, "--runtime-root") == 0) o->runtime_root = value;
        else if (strcmp(flag, "--dir") == 0) o->dir = value;
        else if (strcmp(flag, "--log-file") == 0) o->log_file = value;
        else if (strcmp(flag, "--log-max-size") == 0) {
            if (parse_number(value, -1, &number) < 0) {
                snprintf(error, error_size, "--log-max-size: not a byte count: %s", value);
                return -1;
            }
            o->log_max_size = number;
        } else if (strcmp(flag, "--log-max-files") == 0) {
            if (parse_number(value, 1, &number) < 0 || number > 1000) {
                snprintf(error, error_size, "--log-max-files: not a count from 1 to 1000: %s", value);
                return -1;
            }
            o->log_max_files = (int)number;
        } else if (strcmp(flag, "--sync-fd") == 0) {
            if (parse_number(value, 0, &number) < 0 || number > 1 << 20) {
                snprintf(error, error_size, "--sync-fd: not an fd: %s", value);
                return -1;
            }
            o->sync_fd = (int)number;
        } else {
            snprintf(error, error_size, "unknown option %s\n%s", flag, usage);
            return -1;
        }
    }
    const char *missing = !o->id ? "--id" : !o->bundle ? "--bundle" : !o->runtime ? "--runtime"
        : !o->runtime_root ? "--runtime-root" : !o->dir ? "--dir" : !o->log_file ? "--log-file"
        : o->sync_fd < 0 ? "--sync-fd" : NULL;
    if (missing) {
        snprintf(error, error_size, "missing %s\n%s", missing, usage);
        return -1;
    }
    return 0;
}
