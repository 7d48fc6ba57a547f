#ifndef CDNS_SOCKET_H
#define CDNS_SOCKET_H

#include <stdint.h>
#include <sys/socket.h>

/// One datagram slot of a batch: the buffer the packet goes into (or comes from), its length and
/// the peer's address. Swift owns the memory; C only fills in or reads the fields.
typedef struct cdns_slot {
    uint8_t *buffer;
    uint32_t capacity;
    uint32_t length;
    struct sockaddr_storage address;
    socklen_t address_length;
} cdns_slot;

/// recvmmsg(MSG_WAITFORONE) into `count` slots: blocks for the first datagram, then takes what is
/// queued. Returns the number received, or -errno (EINTR retried).
int cdns_receive_batch(int fd, cdns_slot *slots, unsigned count);

/// sendmmsg of `count` slots (each to its own address, `length` bytes). Returns how many went,
/// or -errno; datagrams the kernel refuses one by one are skipped, never retried forever.
int cdns_send_batch(int fd, cdns_slot *slots, unsigned count);

/// eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), or -errno.
int cdns_eventfd(void);

/// Adds 1 to an eventfd (wakes its poller).
void cdns_eventfd_signal(int fd);

/// Resets an eventfd to 0.
void cdns_eventfd_drain(int fd);

/// accept4(fd, NULL, NULL, SOCK_CLOEXEC), or -errno.
int cdns_accept(int fd);

/// The MSG_DONTWAIT and MSG_NOSIGNAL flags (Swift's Glibc module does not import them).
int cdns_msg_dontwait(void);
int cdns_msg_nosignal(void);

#endif
