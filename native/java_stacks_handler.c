// SPDX-License-Identifier: Apache-2.0
/*
 * Takes a thread's Java stack where the kernel side's signal is delivered: at the instruction that faulted on a
 * mapped file, or where a system call (also one made by native code) returns. HotSpot's AsyncGetCallTrace walks the
 * stack from the signal's context, as async-profiler and honest-profiler do, under its known rules:
 *
 * - it must be called with the thread's own JNIEnv, and only while a JVMTI environment has class load events
 *   enabled (it returns -1 otherwise); it reports methods by jmethodID and cannot create one in a signal handler,
 *   so every class's jmethodIDs are made beforehand (at the start for the classes loaded, at ClassPrepare after);
 * - compiled code has debug information at safepoints only unless a JVMTI environment asks for compiled method
 *   events (HotSpot then records it at every instruction, as -XX:+DebugNonSafepoints does): without it a fault in
 *   a compiled loop would be placed at the loop's safepoint rather than at the access;
 * - JNIEnv lookups are not async-signal-safe for a thread the JVM never knew (JDK-8132510: its thread-local
 *   storage may be allocated on first use, which takes malloc's lock), so the handler only walks threads in a table
 *   of the JVM's Java threads, filled by JVMTI ThreadStart and ThreadEnd (with each thread's JNIEnv) and thread dumps.
 *
 * The handler is async-signal-safe: no locks, no allocation; it writes into a fixed pool of slots that the
 * collector thread drains. It keeps errno, ignores a signal that did not come from the kernel side (another process
 * using the same number), and never runs nested with a profiler's SIGPROF or SIGVTALRM handler or JFR's suspension
 * (masked while it runs: AsyncGetCallTrace is not reentrant).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "java_stacks_handler.h"

/* HotSpot's AsyncGetCallTrace interface (prims/forte.cpp); not in any JDK header. */
typedef struct {
	jint lineno; /* the bci, or -3 for a native method */
	jmethodID method_id;
} asgct_frame;

typedef struct {
	JNIEnv *env_id;
	jint num_frames;
	asgct_frame *frames;
} asgct_trace;

typedef void (*asgct_fn)(asgct_trace *trace, jint depth, void *ucontext);

/* Slot states: free for the handler, being written, ready for the collector. */
enum { SLOT_FREE = 0, SLOT_WRITING = 1, SLOT_READY = 2 };

struct stack_slot {
	_Atomic __u32 state;
	__u32 tid;
	__u64 ns;
	__s32 frames;
	__u32 truncated;
	asgct_frame frame[BF_JAVA_STACK_DEPTH + 1];
};

/* Slots a handler tries before counting its stack lost: the pool is scanned from a rotating start. */
#define CLAIM_TRIES 64

static JavaVM *java_vm;
static jvmtiEnv *jvmti;
static asgct_fn asgct;
static struct stack_slot *slots;
static __u32 slot_count;
static _Atomic __u32 next_slot;
static int stack_signal;
static _Atomic __u64 counters[BF_JSC_MAX];

/*
 * The JVM's Java threads, by kernel thread id: open addressing, filled and emptied by the threads themselves
 * (JVMTI callbacks run in the thread that starts or ends) and by thread dumps; read by the handler, lock-free.
 */
#define THREAD_SLOTS 16384
#define THREAD_PROBES 64
#define TID_EMPTY 0
#define TID_GONE 0xffffffffU
#define TID_CLAIMED 0xfffffffeU /* being filled in by thread_put */

/* The env of a thread known from a dump only: the handler asks the JVM for it (the thread is surely the JVM's). */
#define ENV_ASK ((JNIEnv *)1)

struct java_thread {
	_Atomic __u32 tid;
	JNIEnv *_Atomic env;
};

static struct java_thread java_threads[THREAD_SLOTS];

static __u32 thread_hash(__u32 tid)
{
	return (tid * 2654435761U) & (THREAD_SLOTS - 1);
}

static void thread_put(__u32 tid, JNIEnv *env)
{
	__u32 h = thread_hash(tid);

	if (tid == TID_EMPTY || tid == TID_GONE || tid == TID_CLAIMED)
		return;
	for (__u32 i = 0; i < THREAD_PROBES; i++) {
		struct java_thread *t = &java_threads[(h + i) & (THREAD_SLOTS - 1)];
		__u32 seen = atomic_load(&t->tid);

		if (seen == tid) {
			/* A dump never overwrites the env a thread gave itself. */
			if (env != ENV_ASK)
				atomic_store(&t->env, env);
			return;
		}
		/*
		 * A free slot is claimed first, then given its env, then its tid: the handler matches a tid only once its
		 * env is the thread's own, never another thread's that raced for the slot or one that left it.
		 */
		if ((seen == TID_EMPTY || seen == TID_GONE) &&
		    atomic_compare_exchange_strong(&t->tid, &seen, TID_CLAIMED)) {
			atomic_store(&t->env, env);
			atomic_store(&t->tid, tid);
			return;
		}
	}
}

void bf_java_thread_started(__u32 tid, JNIEnv *env)
{
	thread_put(tid, env);
}

void bf_java_thread_known(__u32 tid)
{
	thread_put(tid, ENV_ASK);
}

void bf_java_thread_ended(__u32 tid)
{
	__u32 h = thread_hash(tid);

	for (__u32 i = 0; i < THREAD_PROBES; i++) {
		struct java_thread *t = &java_threads[(h + i) & (THREAD_SLOTS - 1)];
		__u32 seen = atomic_load(&t->tid);

		if (seen == TID_EMPTY)
			return;
		/* Every entry of the tid: a dump racing with ThreadStart may have added it twice. */
		if (seen == tid)
			atomic_store(&t->tid, TID_GONE);
	}
}

/* The thread's JNIEnv if it is a Java thread the agent knows, else NULL. Async-signal-safe. */
static JNIEnv *java_env_of(__u32 tid)
{
	__u32 h = thread_hash(tid);

	for (__u32 i = 0; i < THREAD_PROBES; i++) {
		struct java_thread *t = &java_threads[(h + i) & (THREAD_SLOTS - 1)];
		__u32 seen = atomic_load(&t->tid);

		if (seen == TID_EMPTY)
			return NULL;
		if (seen == tid) {
			JNIEnv *env = atomic_load(&t->env);

			if (env == ENV_ASK) {
				/* A thread of the JVM (a dump listed it), so its thread-local storage exists: safe here. */
				if ((*java_vm)->GetEnv(java_vm, (void **)&env, JNI_VERSION_1_6) != JNI_OK)
					env = NULL;
			}
			return env;
		}
	}
	return NULL;
}

static struct stack_slot *claim_slot(void)
{
	__u32 start = atomic_fetch_add(&next_slot, 1);

	for (__u32 i = 0; i < CLAIM_TRIES && i < slot_count; i++) {
		struct stack_slot *slot = &slots[(start + i) % slot_count];
		__u32 expected = SLOT_FREE;

		if (atomic_compare_exchange_strong(&slot->state, &expected, SLOT_WRITING))
			return slot;
	}
	return NULL;
}

static void on_stack_signal(int sig, siginfo_t *info, void *ucontext)
{
	int saved_errno = errno;
	struct stack_slot *slot;
	struct timespec now, done;
	asgct_trace trace;
	JNIEnv *env;
	__u32 tid;

	(void)sig;
	if (!info || info->si_code != SI_KERNEL) {
		atomic_fetch_add(&counters[BF_JSC_FOREIGN], 1);
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	tid = (__u32)syscall(SYS_gettid);
	slot = claim_slot();
	if (!slot) {
		atomic_fetch_add(&counters[BF_JSC_BUFFER_FULL], 1);
		goto out;
	}
	slot->tid = tid;
	slot->ns = (__u64)now.tv_sec * 1000000000ULL + (__u64)now.tv_nsec;
	slot->truncated = 0;
	env = java_env_of(tid);
	if (!env) {
		slot->frames = BF_JAVA_STACK_NOT_JAVA;
	} else {
		trace.env_id = env;
		trace.num_frames = 0;
		trace.frames = slot->frame;
		asgct(&trace, BF_JAVA_STACK_DEPTH + 1, ucontext);
		slot->frames = trace.num_frames;
		if (trace.num_frames > BF_JAVA_STACK_DEPTH) {
			slot->frames = BF_JAVA_STACK_DEPTH;
			slot->truncated = 1;
		}
	}
	atomic_store(&slot->state, SLOT_READY);
	atomic_fetch_add(&counters[BF_JSC_TAKEN], 1);
	clock_gettime(CLOCK_MONOTONIC, &done);
	atomic_fetch_add(&counters[BF_JSC_NANOS], (__u64)((done.tv_sec - now.tv_sec) * 1000000000LL + done.tv_nsec - now.tv_nsec));
out:
	errno = saved_errno;
}

__u64 bf_java_stacks_handler_address(void)
{
	return (__u64)(uintptr_t)on_stack_signal;
}

static int fail(char *why, int err, const char *what)
{
	snprintf(why, 512, "%s", what);
	return err < 0 ? err : -err;
}

static void JNICALL on_class_load(jvmtiEnv *env, JNIEnv *jni, jthread thread, jclass klass)
{
	(void)env;
	(void)jni;
	(void)thread;
	(void)klass;
}

/* Makes the class's jmethodIDs, which AsyncGetCallTrace can only report, never create. */
static void make_method_ids(jvmtiEnv *env, jclass klass)
{
	jmethodID *methods = NULL;
	jint count = 0;

	if ((*env)->GetClassMethods(env, klass, &count, &methods) == JVMTI_ERROR_NONE)
		(*env)->Deallocate(env, (unsigned char *)methods);
}

static void JNICALL on_class_prepare(jvmtiEnv *env, JNIEnv *jni, jthread thread, jclass klass)
{
	(void)jni;
	(void)thread;
	make_method_ids(env, klass);
}

/* Enabled only for its side effect: HotSpot then records compiled code's debug information at every instruction. */
static void JNICALL on_compiled_method_load(jvmtiEnv *env, jmethodID method, jint code_size, const void *code_addr,
					    jint map_length, const jvmtiAddrLocationMap *map, const void *compile_info)
{
	(void)env;
	(void)method;
	(void)code_size;
	(void)code_addr;
	(void)map_length;
	(void)map;
	(void)compile_info;
}

/* Local references GetLoadedClasses may make at once (HotSpot's MaxJNILocalCapacity). */
#define LOADED_CLASSES_ROOM 65536

static const jvmtiEvent STACK_EVENTS[] = {
	JVMTI_EVENT_CLASS_LOAD, JVMTI_EVENT_CLASS_PREPARE, JVMTI_EVENT_COMPILED_METHOD_LOAD,
};

static int setup_jvmti(JNIEnv *jni, char *why)
{
	jvmtiCapabilities wanted = { 0 }, line_numbers = { 0 };
	jvmtiEventCallbacks callbacks = { 0 };
	jclass *classes = NULL;
	jint class_count = 0;

	if ((*java_vm)->GetEnv(java_vm, (void **)&jvmti, JVMTI_VERSION_1_2) != JNI_OK)
		return fail(why, -ENOTSUP, "JVMTI is not available");
	line_numbers.can_get_line_numbers = 1;
	if ((*jvmti)->AddCapabilities(jvmti, &line_numbers) != JVMTI_ERROR_NONE)
		return fail(why, -ENOTSUP, "JVMTI refused the capability to read line numbers");
	/* Optional: without it compiled frames are placed at their nearest safepoint. */
	wanted.can_generate_compiled_method_load_events = 1;
	(*jvmti)->AddCapabilities(jvmti, &wanted);
	callbacks.ClassLoad = on_class_load;
	callbacks.ClassPrepare = on_class_prepare;
	callbacks.CompiledMethodLoad = on_compiled_method_load;
	if ((*jvmti)->SetEventCallbacks(jvmti, &callbacks, sizeof(callbacks)) != JVMTI_ERROR_NONE)
		return fail(why, -ENOTSUP, "JVMTI refused the class events AsyncGetCallTrace needs");
	for (size_t i = 0; i < sizeof(STACK_EVENTS) / sizeof(STACK_EVENTS[0]); i++) {
		jvmtiError err = (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, STACK_EVENTS[i], NULL);

		if (err != JVMTI_ERROR_NONE && STACK_EVENTS[i] != JVMTI_EVENT_COMPILED_METHOD_LOAD)
			return fail(why, -ENOTSUP, "JVMTI refused the class events AsyncGetCallTrace needs");
	}
	/*
	 * Classes loaded before the agent: their jmethodIDs now (classes not yet prepared get theirs at ClassPrepare).
	 * GetLoadedClasses makes a local reference per class at once: a frame with room for them, popped after, keeps
	 * -Xcheck:jni quiet.
	 */
	if ((*jni)->PushLocalFrame(jni, LOADED_CLASSES_ROOM) != JNI_OK) {
		(*jni)->ExceptionClear(jni);
		return fail(why, -ENOMEM, "no room for the loaded classes' local references");
	}
	if ((*jvmti)->GetLoadedClasses(jvmti, &class_count, &classes) == JVMTI_ERROR_NONE) {
		for (jint i = 0; i < class_count; i++)
			make_method_ids(jvmti, classes[i]);
		(*jvmti)->Deallocate(jvmti, (unsigned char *)classes);
	}
	(*jni)->PopLocalFrame(jni, NULL);
	return 0;
}

/* A real-time signal nobody handles: from the top of the range down, where libraries that use one seldom look. */
static int install_handler(char *why)
{
	struct sigaction ours = { 0 };

	ours.sa_sigaction = on_stack_signal;
	ours.sa_flags = SA_SIGINFO | SA_RESTART;
	/*
	 * Masked while the handler runs, so that no other stack walker interrupts AsyncGetCallTrace half-way: a profiler's
	 * SIGPROF or SIGVTALRM (async-profiler, JDK 25's CPU-time sampler) and HotSpot's suspend signal, SIGUSR2, with
	 * which JFR's sampler stops a thread to walk it (it waits for the thread to stop: a few microseconds more).
	 */
	sigemptyset(&ours.sa_mask);
	sigaddset(&ours.sa_mask, SIGPROF);
	sigaddset(&ours.sa_mask, SIGVTALRM);
	sigaddset(&ours.sa_mask, SIGUSR2);
	for (int sig = SIGRTMAX - 1; sig >= SIGRTMIN + 4; sig--) {
		struct sigaction current, previous;

		if (sigaction(sig, NULL, &current) || current.sa_handler != SIG_DFL)
			continue;
		if (sigaction(sig, &ours, &previous))
			continue;
		if (previous.sa_handler == SIG_DFL)
			return sig;
		/* Someone installed one in the meantime: theirs again. */
		sigaction(sig, &previous, NULL);
	}
	return fail(why, -EBUSY, "every real-time signal has a handler already; none is free for taking Java stacks");
}

int bf_java_stacks_start(JavaVM *vm, JNIEnv *env, __u32 slot_total, char *why)
{
	void *libjvm;
	int err;

	if (stack_signal)
		return stack_signal;
	java_vm = vm;
	libjvm = dlopen("libjvm.so", RTLD_LAZY | RTLD_NOLOAD);
	asgct = (asgct_fn)dlsym(libjvm ? libjvm : RTLD_DEFAULT, "AsyncGetCallTrace");
	if (libjvm)
		dlclose(libjvm);
	if (!asgct)
		return fail(why, -ENOTSUP, "this JVM has no AsyncGetCallTrace (a HotSpot JVM has)");
	if (slot_total < CLAIM_TRIES)
		slot_total = CLAIM_TRIES;
	slots = mmap(NULL, (size_t)slot_total * sizeof(*slots), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (slots == MAP_FAILED) {
		slots = NULL;
		return fail(why, -ENOMEM, "allocating the buffer of Java stacks failed");
	}
	slot_count = slot_total;
	err = setup_jvmti(env, why);
	if (err)
		return err;
	err = install_handler(why);
	if (err < 0) {
		for (size_t i = 0; i < sizeof(STACK_EVENTS) / sizeof(STACK_EVENTS[0]); i++)
			(*jvmti)->SetEventNotificationMode(jvmti, JVMTI_DISABLE, STACK_EVENTS[i], NULL);
		return err;
	}
	stack_signal = err;
	return stack_signal;
}

void bf_java_stacks_stop(void)
{
	struct sigaction current, ignore = { 0 };

	if (!stack_signal)
		return;
	if (!sigaction(stack_signal, NULL, &current) && current.sa_sigaction == on_stack_signal) {
		ignore.sa_handler = SIG_IGN;
		sigemptyset(&ignore.sa_mask);
		sigaction(stack_signal, &ignore, NULL);
	}
	for (size_t i = 0; i < sizeof(STACK_EVENTS) / sizeof(STACK_EVENTS[0]); i++)
		(*jvmti)->SetEventNotificationMode(jvmti, JVMTI_DISABLE, STACK_EVENTS[i], NULL);
}

size_t bf_java_stacks_drain(void *buf, size_t capacity)
{
	unsigned char *out = buf;
	size_t used = 0;

	for (__u32 i = 0; i < slot_count; i++) {
		struct stack_slot *slot = &slots[i];
		struct bf_java_stack_head head;
		__s32 frames;
		size_t size;

		if (atomic_load(&slot->state) != SLOT_READY)
			continue;
		frames = slot->frames > 0 ? slot->frames : 0;
		size = sizeof(head) + (size_t)frames * sizeof(struct bf_java_frame);
		if (capacity - used < size)
			break;
		head.ns = slot->ns;
		head.tid = slot->tid;
		head.frames = slot->frames;
		head.truncated = slot->truncated;
		head.pad = 0;
		memcpy(out + used, &head, sizeof(head));
		used += sizeof(head);
		for (__s32 f = 0; f < frames; f++) {
			struct bf_java_frame frame = { .method = (__u64)(uintptr_t)slot->frame[f].method_id,
						       .bci = slot->frame[f].lineno };

			memcpy(out + used, &frame, sizeof(frame));
			used += sizeof(frame);
		}
		atomic_store(&slot->state, SLOT_FREE);
	}
	return used;
}

void bf_java_stacks_counters(__u64 *out, int n)
{
	for (int i = 0; i < n && i < BF_JSC_MAX; i++)
		out[i] = atomic_load(&counters[i]);
}

jvmtiEnv *bf_java_stacks_jvmti(void)
{
	return stack_signal ? jvmti : NULL;
}

#define STACK_LAYOUT_FIELD(type, field)                                                              \
	used += snprintf(layout + used, sizeof(layout) - used, "%s.%s %zu %zu\n", #type, #field,        \
			 offsetof(struct type, field), sizeof(((struct type *)0)->field))

const char *bf_java_stacks_layout(void)
{
	static char layout[1024];
	size_t used = 0;

	used += snprintf(layout + used, sizeof(layout) - used, "bf_java_stack_head 0 %zu\n", sizeof(struct bf_java_stack_head));
	STACK_LAYOUT_FIELD(bf_java_stack_head, ns);
	STACK_LAYOUT_FIELD(bf_java_stack_head, tid);
	STACK_LAYOUT_FIELD(bf_java_stack_head, frames);
	STACK_LAYOUT_FIELD(bf_java_stack_head, truncated);
	used += snprintf(layout + used, sizeof(layout) - used, "bf_java_frame 0 %zu\n", sizeof(struct bf_java_frame));
	STACK_LAYOUT_FIELD(bf_java_frame, method);
	STACK_LAYOUT_FIELD(bf_java_frame, bci);
	used += snprintf(layout + used, sizeof(layout) - used, "const.BF_JAVA_STACK_DEPTH %d 0\n", BF_JAVA_STACK_DEPTH);
	used += snprintf(layout + used, sizeof(layout) - used, "const.BF_JAVA_STACK_NOT_JAVA %d 0\n", BF_JAVA_STACK_NOT_JAVA);
	used += snprintf(layout + used, sizeof(layout) - used, "const.BF_JAVA_STACK_NO_ENV %d 0\n", BF_JAVA_STACK_NO_ENV);
	used += snprintf(layout + used, sizeof(layout) - used, "const.BF_JSC_MAX %d 0\n", BF_JSC_MAX);
	return layout;
}

_Static_assert(sizeof(struct bf_java_stack_head) == 24, "bf_java_stack_head changed size: update the Java decoder");
_Static_assert(sizeof(struct bf_java_frame) == 16, "bf_java_frame changed size: update the Java decoder");
