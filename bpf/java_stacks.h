/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Java stacks of faults and native system calls (the agent's faultStacks option): the record the kernel side
 * writes when it sends a thread of the JVM the signal on which the agent's handler takes that thread's Java stack
 * (kernel side: java_stacks.bpf.h; handler: native/java_stacks_handler.c; Java: io.blkflight.decode.StackSignalRecord,
 * checked by RequestRecordLayoutTest). Nothing else defines it.
 *
 * An episode: the first bio a thread of the JVM queues while no such signal is pending for it sends one; every
 * bio it queues until the signal is delivered (when the page fault or system call returns to user space) joins
 * the episode. The handler's stack, taken at delivery, is the Java stack of the access or call that issued every
 * request of the episode: those of that thread submitted from the episode's start (this record's ns) to the moment
 * the handler ran.
 */
#ifndef BLKFLIGHT_JAVA_STACKS_H
#define BLKFLIGHT_JAVA_STACKS_H

#include "requests.h"

/* A ring-buffer sample of its own, written before the signal is sent. */
struct bf_stack_signal_record {
	struct bf_record_header header; /* BF_RECORD_STACK_SIGNAL */
	__u64 ns;       /* the episode's start: the queue time of its first bio (CLOCK_MONOTONIC) */
	__u32 tid;      /* the thread, as the JVM's PID namespace numbers it (what its handler's gettid says) */
	__u32 host_tid; /* the thread in the kernel's initial PID namespace */
	__u64 vthread;  /* the virtual thread mounted on it (its java.lang.Thread id, vthreads.h); 0: none, or not followed */
};

#endif /* BLKFLIGHT_JAVA_STACKS_H */
