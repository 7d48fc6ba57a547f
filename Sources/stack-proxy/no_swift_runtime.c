/* SwiftPM links every executable with swiftc, which adds swiftrt.o: its constructor registers the
 * image with the Swift runtime, and that one reference would pull the whole static libswiftCore
 * (megabytes, plus its initialisers) into this plain-C program. Defining the two symbols here
 * satisfies swiftrt.o, so no archive member of the Swift libraries is linked at all. */
#include <stdbool.h>

void swift_addNewDSOImage(const void *image);
void swift_addNewDSOImage(const void *image) { (void)image; }

bool _swift_backtrace_isThunkFunction(const char *name);
bool _swift_backtrace_isThunkFunction(const char *name) { (void)name; return false; }
