#include "monitor.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char hex[] = "0123456789abcdef";

/* Length of the valid UTF-8 sequence at p (1–4), or 0 when it is invalid (RFC 3629: no
 * overlongs, no surrogates, nothing above U+10FFFF). */
static size_t utf8_sequence(const unsigned char *p, size_t left) {
    unsigned char c = p[0];
    size_t need;
    unsigned char low = 0x80, high = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) need = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        if (c == 0xE0) low = 0xA0;
        if (c == 0xED) high = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        if (c == 0xF0) low = 0x90;
        if (c == 0xF4) high = 0x8F;
    } else return 0;
    if (left < need) return 0;
    if (p[1] < low || p[1] > high) return 0;
    for (size_t i = 2; i < need; i++) if (p[i] < 0x80 || p[i] > 0xBF) return 0;
    return need;
}

size_t json_escape(const unsigned char *data, size_t size, char *out) {
    char *o = out;
    size_t i = 0;
    while (i < size) {
        unsigned char c = data[i];
        if (c < 0x80) {
            switch (c) {
            case '"': *o++ = '\\'; *o++ = '"'; break;
            case '\\': *o++ = '\\'; *o++ = '\\'; break;
            case '\n': *o++ = '\\'; *o++ = 'n'; break;
            case '\r': *o++ = '\\'; *o++ = 'r'; break;
            case '\t': *o++ = '\\'; *o++ = 't'; break;
            case '<': case '>': case '&':
                memcpy(o, "\\u00", 4); o += 4; *o++ = hex[c >> 4]; *o++ = hex[c & 15]; break;
            default:
                if (c < 0x20) { memcpy(o, "\\u00", 4); o += 4; *o++ = hex[c >> 4]; *o++ = hex[c & 15]; }
                else *o++ = (char)c;
            }
            i++;
            continue;
        }
        size_t n = utf8_sequence(data + i, size - i);
        if (n == 0) {
            memcpy(o, "\\ufffd", 6);
            o += 6;
            i++;
        } else if (n == 3 && c == 0xE2 && data[i + 1] == 0x80 && (data[i + 2] == 0xA8 || data[i + 2] == 0xA9)) {
            memcpy(o, data[i + 2] == 0xA8 ? "\\u2028" : "\\u2029", 6);
            o += 6;
            i += 3;
        } else {
            memcpy(o, data + i, n);
            o += n;
            i += n;
        }
    }
    return (size_t)(o - out);
}

void rfc3339_now(char out[40]) {
    struct timespec now;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &tm);
    snprintf(out, 40, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min, tm.tm_sec, (long)now.tv_nsec);
}
