#include "proxy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: stack-proxy --pid-file FILE [--udp-timeout SECONDS] MAPPING...\n"
    "  MAPPING: tcp:FD:CONTAINERIP:CONTAINERPORT or udp:FD:CONTAINERIP:CONTAINERPORT\n"
    "  FD is an inherited IPv4 socket, bound (and listening, for tcp); CONTAINERIP is IPv4.";

static int parse_long(const char *text, long min, long max, long *value) {
    char *end;
    errno = 0;
    long parsed = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || parsed < min || parsed > max) return -1;
    *value = parsed;
    return 0;
}

/* "tcp:3:172.17.0.2:80" */
static int parse_mapping(const char *text, struct mapping *mapping) {
    char copy[128];
    if (strlen(text) >= sizeof copy) goto invalid;
    strcpy(copy, text);
    char *proto = copy;
    char *fd = strchr(proto, ':');
    if (!fd) goto invalid;
    *fd++ = '\0';
    char *ip = strchr(fd, ':');
    if (!ip) goto invalid;
    *ip++ = '\0';
    char *port = strrchr(ip, ':');
    if (!port) goto invalid;
    *port++ = '\0';

    if (strcmp(proto, "tcp") == 0) mapping->proto = PROTO_TCP;
    else if (strcmp(proto, "udp") == 0) mapping->proto = PROTO_UDP;
    else {
        fail_message("mapping %s: protocol %s is not supported (tcp or udp)", text, proto);
        return -1;
    }
    long number;
    if (parse_long(fd, 0, 1 << 30, &number) < 0) goto invalid;
    mapping->fd = (int)number;
    memset(&mapping->upstream, 0, sizeof mapping->upstream);
    mapping->upstream.sin_family = AF_INET;
    if (inet_pton(AF_INET, ip, &mapping->upstream.sin_addr) != 1) {
        fail_message("mapping %s: %s is not an IPv4 address (stack-proxy serves IPv4 only)", text, ip);
        return -1;
    }
    if (parse_long(port, 1, 65535, &number) < 0) goto invalid;
    mapping->upstream.sin_port = htons((uint16_t)number);
    return 0;
invalid:
    fail_message("invalid mapping %s\n%s", text, usage);
    return -1;
}

int parse_options(int argc, char **argv, struct options *options) {
    memset(options, 0, sizeof *options);
    options->udp_timeout = 30;
    options->mappings = calloc((size_t)argc, sizeof *options->mappings);
    if (!options->mappings) {
        fail_step("calloc");
        return -1;
    }
    for (int i = 1; i < argc; i++) {
        const char *argument = argv[i];
        if (strcmp(argument, "--help") == 0 || strcmp(argument, "-h") == 0) {
            fail_message("%s", usage);
            return -1;
        }
        if (strncmp(argument, "--", 2) == 0) {
            if (i + 1 >= argc) {
                fail_message("%s needs a value (or is unknown)\n%s", argument, usage);
                return -1;
            }
            const char *value = argv[++i];
            if (strcmp(argument, "--pid-file") == 0) {
                options->pid_file = value;
            } else if (strcmp(argument, "--udp-timeout") == 0) {
                if (parse_long(value, 1, 86400, &options->udp_timeout) < 0) {
                    fail_message("--udp-timeout %s: not a number of seconds (1-86400)", value);
                    return -1;
                }
            } else {
                fail_message("unknown option %s\n%s", argument, usage);
                return -1;
            }
            continue;
        }
        if (parse_mapping(argument, &options->mappings[options->mapping_count]) < 0) return -1;
        options->mapping_count++;
    }
    if (!options->pid_file || options->pid_file[0] == '\0') {
        fail_message("--pid-file is required\n%s", usage);
        return -1;
    }
    if (options->mapping_count == 0) {
        fail_message("no mapping given\n%s", usage);
        return -1;
    }
    return 0;
}
