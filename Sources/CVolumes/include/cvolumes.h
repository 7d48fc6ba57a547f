#ifndef CVOLUMES_H
#define CVOLUMES_H

#include <stddef.h>
#include <sys/types.h>

/// llistxattr(2): the names of `path`'s extended attributes (a symlink's own), NUL-separated.
/// Returns the byte count or -1 with errno set.
ssize_t cv_llistxattr(const char *path, char *list, size_t size);

/// lgetxattr(2): one attribute's value (the symlink's own). Returns the size or -1 with errno set.
ssize_t cv_lgetxattr(const char *path, const char *name, void *value, size_t size);

/// lsetxattr(2) with flags 0 (create or replace). Returns 0 or -1 with errno set.
int cv_lsetxattr(const char *path, const char *name, const void *value, size_t size);

/// The calling thread's errno.
int cv_errno(void);

#endif
