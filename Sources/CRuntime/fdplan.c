/*
 * The fd remap plan: which steps turn the parent's fds into the child's fixed fd numbers.
 *
 * Input: maps {from -> to} with distinct targets. Goal: after the plan, every `to` refers to the
 * open file `from` referred to before it, and no `to` is close-on-exec.
 *
 * Overlaps are the hard part: a dup2() onto `to` destroys what `to` held, and that may be the
 * source of another map (3->4 together with 4->5), including cycles (3->4, 4->3). The plan:
 *
 *   1. floor = 1 + the largest fd any map mentions (at least 3).
 *   2. STASH: every source that is also the target of a *different*, non-identity map is copied
 *      first with fcntl(F_DUPFD_CLOEXEC, floor). The copy lands at or above floor, so no later
 *      dup2() can overwrite it, and it is close-on-exec, so it vanishes at execve(). A source used
 *      by several maps is stashed once.
 *   3. DUP2 each non-identity map from its stash (or straight from the source, which no dup2()
 *      in the plan targets, so it is still intact). dup2() clears FD_CLOEXEC on the target.
 *   4. KEEP each identity map (from == to): clear FD_CLOEXEC, since the child marked every fd
 *      >= 3 close-on-exec before running the plan.
 *
 * Stashes come before every dup2(), so the order of the maps does not matter. The caller must
 * keep its own fds (the spawn's pipes) at or above floor so the plan never targets them.
 */
#include "cruntime.h"

#include <errno.h>

int cr_fd_plan(const struct cr_fd_map *maps, size_t count, struct cr_fd_op *ops, int *floor_out) {
    if (count > CR_MAX_FDS || (count > 0 && (maps == NULL || ops == NULL))) return -EINVAL;
    int floor = 3;
    for (size_t i = 0; i < count; i++) {
        if (maps[i].from < 0 || maps[i].to < 0) return -EINVAL;
        for (size_t j = 0; j < i; j++)
            if (maps[j].to == maps[i].to) return -EINVAL;
        if (maps[i].from >= floor) floor = maps[i].from + 1;
        if (maps[i].to >= floor) floor = maps[i].to + 1;
    }
    if (floor_out != NULL) *floor_out = floor;

    /* slot_of[i]: the stash slot holding maps[i].from, or -1. */
    int slot_of[CR_MAX_FDS];
    int n = 0, slots = 0;
    for (size_t i = 0; i < count; i++) {
        slot_of[i] = -1;
        if (maps[i].from == maps[i].to) continue;
        int clobbered = 0;
        for (size_t j = 0; j < count; j++)
            if (j != i && maps[j].to == maps[i].from && maps[j].from != maps[j].to) clobbered = 1;
        if (!clobbered) continue;
        for (size_t j = 0; j < i; j++)
            if (slot_of[j] >= 0 && maps[j].from == maps[i].from) slot_of[i] = slot_of[j];
        if (slot_of[i] >= 0) continue;
        slot_of[i] = slots;
        ops[n++] = (struct cr_fd_op){CR_FD_OP_STASH, slots, maps[i].from, floor};
        slots++;
    }
    for (size_t i = 0; i < count; i++) {
        if (maps[i].from == maps[i].to)
            ops[n++] = (struct cr_fd_op){CR_FD_OP_KEEP, -1, maps[i].from, maps[i].to};
        else
            ops[n++] = (struct cr_fd_op){CR_FD_OP_DUP2, slot_of[i], maps[i].from, maps[i].to};
    }
    return n;
}
