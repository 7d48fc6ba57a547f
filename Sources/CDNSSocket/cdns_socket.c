#define _GNU_SOURCE
#include "cdns_socket.h"

#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/uio.h>
#include <unistd.h>

#define CDNS_MAX_BATCH 256

int cdns_receive_batch(int fd, cdns_slot *slots, unsigned count) {
    struct mmsghdr messages[CDNS_MAX_BATCH];
    struct iovec vectors[CDNS_MAX_BATCH];
    if (count > CDNS_MAX_BATCH) count = CDNS_MAX_BATCH;
    memset(messages, 0, sizeof(struct mmsghdr) * count);
    for (unsigned i = 0; i < count; i++) {
        vectors[i].iov_base = slots[i].buffer;
        vectors[i].iov_len = slots[i].capacity;
        messages[i].msg_hdr.msg_iov = &vectors[i];
        messages[i].msg_hdr.msg_iovlen = 1;
        messages[i].msg_hdr.msg_name = &slots[i].address;
        messages[i].msg_hdr.msg_namelen = sizeof(struct sockaddr_storage);
    }
    int received;
    do {
        received = recvmmsg(fd, messages, count, MSG_WAITFORONE, NULL);
    } while (received < 0 && errno == EINTR);
    if (received < 0) return -errno;
    for (int i = 0; i < received; i++) {
        // A datagram longer than the buffer is cut (MSG_TRUNC): mark it so the caller drops it.
        slots[i].length = (messages[i].msg_hdr.msg_flags & MSG_TRUNC) ? 0 : messages[i].msg_len;
        slots[i].address_length = messages[i].msg_hdr.msg_namelen;
    }
    return received;
}

int cdns_send_batch(int fd, cdns_slot *slots, unsigned count) {
    struct mmsghdr messages[CDNS_MAX_BATCH];
    struct iovec vectors[CDNS_MAX_BATCH];
    if (count > CDNS_MAX_BATCH) count = CDNS_MAX_BATCH;
    memset(messages, 0, sizeof(struct mmsghdr) * count);
    for (unsigned i = 0; i < count; i++) {
        vectors[i].iov_base = slots[i].buffer;
        vectors[i].iov_len = slots[i].length;
        messages[i].msg_hdr.msg_iov = &vectors[i];
        messages[i].msg_hdr.msg_iovlen = 1;
        messages[i].msg_hdr.msg_name = &slots[i].address;
        messages[i].msg_hdr.msg_namelen = slots[i].address_length;
    }
    unsigned done = 0;
    while (done < count) {
        int sent = sendmmsg(fd, messages + done, count - done, MSG_DONTWAIT);
        if (sent < 0) {
            if (errno == EINTR) continue;
            // The first remaining datagram failed (no route, buffer full): skip it, go on with the rest.
            done += 1;
            continue;
        }
        done += (unsigned)sent;
    }
    return (int)done;
}

int cdns_eventfd(void) {
    int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    return fd < 0 ? -errno : fd;
}

void cdns_eventfd_signal(int fd) {
    uint64_t one = 1;
    ssize_t ignored = write(fd, &one, sizeof one);
    (void)ignored;
}

void cdns_eventfd_drain(int fd) {
    uint64_t value;
    ssize_t ignored = read(fd, &value, sizeof value);
    (void)ignored;
}

int cdns_accept(int fd) {
    int connection = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
    return connection < 0 ? -errno : connection;
}

int cdns_msg_dontwait(void) { return MSG_DONTWAIT; }

int cdns_msg_nosignal(void) { return MSG_NOSIGNAL; }
