#include "cvolumes.h"

#include <errno.h>
#include <sys/xattr.h>

ssize_t cv_llistxattr(const char *path, char *list, size_t size) { return llistxattr(path, list, size); }

ssize_t cv_lgetxattr(const char *path, const char *name, void *value, size_t size) {
    return lgetxattr(path, name, value, size);
}

int cv_lsetxattr(const char *path, const char *name, const void *value, size_t size) {
    return lsetxattr(path, name, value, size, 0);
}

int cv_errno(void) { return errno; }
