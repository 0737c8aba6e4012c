/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Java stacks of faults and native system calls (the agent's faultStacks option), user-space half: the signal
 * handler that takes a thread's Java stack with HotSpot's AsyncGetCallTrace when the kernel side's signal
 * (bpf/java_stacks.bpf.h) is delivered, the buffer the stacks wait in for the collector, the table of the JVM's
 * Java threads the handler trusts, and the JVMTI set-up AsyncGetCallTrace needs. Internal functions return 0 or a
 * count on success and a negative errno on failure, with `why` saying what failed.
 */
#ifndef BLKFLIGHT_JAVA_STACKS_HANDLER_H
#define BLKFLIGHT_JAVA_STACKS_HANDLER_H

#include <stddef.h>
#include <jni.h>
#include <jvmti.h>
#include <linux/types.h>

/* Frames kept per stack, innermost first (JFR's own default depth); a deeper stack is marked truncated. */
#define BF_JAVA_STACK_DEPTH 64

/* A stack as the drain writes it: this head, then `frames` frames when frames > 0. */
struct bf_java_stack_head {
	__u64 ns;      /* when the handler ran, CLOCK_MONOTONIC */
	__u32 tid;     /* the thread, as the JVM's PID namespace numbers it (gettid) */
	__s32 frames;  /* frames that follow; 0: no Java frame; < 0: why there is no stack (BF_JAVA_STACK_*, or
	                * AsyncGetCallTrace's own codes -1 to -11) */
	__u32 truncated; /* 1: the thread's stack was deeper than BF_JAVA_STACK_DEPTH */
	__u32 pad;
};

struct bf_java_frame {
	__u64 method; /* jmethodID */
	__s32 bci;    /* bytecode index, -1 unknown, -3 a native method (AsyncGetCallTrace's convention) */
	__u32 pad;
};

/* Causes the handler adds to AsyncGetCallTrace's codes. */
#define BF_JAVA_STACK_NOT_JAVA (-100) /* the thread is not one of the JVM's Java threads the agent knows */
#define BF_JAVA_STACK_NO_ENV (-101)   /* the JVM gave no JNI environment for the thread */

/* The handler's own counts, indexes of bf_java_stacks_counters. */
enum bf_java_stack_counter {
	BF_JSC_TAKEN,        /* handler runs that left a stack (or a cause) for the collector */
	BF_JSC_BUFFER_FULL,  /* handler runs whose stack had no free slot: the collector did not keep up */
	BF_JSC_FOREIGN,      /* the signal came from elsewhere than the kernel side (not SI_KERNEL): ignored */
	BF_JSC_NANOS,        /* time spent in the handler, CLOCK_MONOTONIC nanoseconds (what a stack costs its thread there) */
	BF_JSC_MAX,
};

/*
 * Sets up the JVMTI environment AsyncGetCallTrace needs (class load events, jmethodIDs of every class, compiled
 * methods' debug information at every instruction), chooses a free real-time signal and installs the handler on it,
 * with room for `slots` stacks between drains. Returns the signal, or a negative errno. Once only: later calls
 * return the same signal.
 */
int bf_java_stacks_start(JavaVM *vm, JNIEnv *env, __u32 slots, char *why);

/* The handler's address as the kernel sees it in the signal's action (the kernel side sends only while it is ours). */
__u64 bf_java_stacks_handler_address(void);

/*
 * Stops: the signal's action becomes "ignore" (never the default, which would end the process if a signal were
 * still on its way) and the JVMTI events stop. The buffer stays: a handler may still be running.
 */
void bf_java_stacks_stop(void);

/* Moves the stacks waiting into buf (heads and frames, 8-byte aligned); returns the bytes written. */
size_t bf_java_stacks_drain(void *buf, size_t capacity);

/* The handler's counts (enum bf_java_stack_counter) into out[0..n). */
void bf_java_stacks_counters(__u64 *out, int n);

/* The JVMTI environment of the stacks, for resolving their jmethodIDs; NULL before a start. */
jvmtiEnv *bf_java_stacks_jvmti(void);

/* The Java threads the handler takes stacks of: started (with its JNI environment) and ended, in the thread itself
 * (JVMTI ThreadStart and ThreadEnd), and known from a thread dump (env NULL: the handler asks the JVM for it). */
void bf_java_thread_started(__u32 tid, JNIEnv *env);
void bf_java_thread_ended(__u32 tid);
void bf_java_thread_known(__u32 tid);

/* Layout of the drained stacks as "struct.field offset size" lines, for the Java decoder's test. */
const char *bf_java_stacks_layout(void);

#endif /* BLKFLIGHT_JAVA_STACKS_HANDLER_H */
