/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writeback's dirtying side (bpf/dirtying.bpf.c): which thread of the JVM dirtied which pages, and why flushers
 * write them back. Loaded with the request collector, sharing its maps.
 */
#ifndef BLKFLIGHT_DIRTYING_H
#define BLKFLIGHT_DIRTYING_H

#include "collector.h"

struct bf_dirtying;

/*
 * Loads and attaches the dirtying programs on the collector's maps. Returns 0, or a negative errno with why saying
 * what failed (the collector runs on without writeback then).
 */
int bf_dirtying_open(struct bf_collector *c, struct bf_dirtying **out, char *why);

void bf_dirtying_detach(struct bf_dirtying *d);
int bf_dirtying_attach(struct bf_dirtying *d, char *why);
void bf_dirtying_destroy(struct bf_dirtying *d);

#endif /* BLKFLIGHT_DIRTYING_H */
