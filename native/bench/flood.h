/* SPDX-License-Identifier: Apache-2.0 */
/* What flood.c and flood.bpf.c share: the program's argument and the number of record templates. */
#ifndef BLKFLIGHT_FLOOD_H
#define BLKFLIGHT_FLOOD_H

#define FLOOD_TEMPLATES 8 /* issuing threads x {read, write}; a power of two */

/* The context of one program run (BPF_PROG_RUN's ctx_in): how many records to write. */
struct flood_args {
	__u32 count;
};

#endif /* BLKFLIGHT_FLOOD_H */
