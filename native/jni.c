// SPDX-License-Identifier: Apache-2.0
/*
 * Every JNI entry point of libblkflight.so, for io.blkflight.collector.NativeCollector. Internal C
 * returns negative errno; each entry point turns a failure into one CollectorException, once, after
 * releasing what it holds. libbpf's log goes to the agent's logger, never to stdout.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <jni.h>
#include <jvmti.h>
#include <bpf/libbpf.h>

#include "collector.h"
#include "java_stacks_handler.h"
#include "mounts.h"
#include "paths.h"
#include "requests.h"

#define EXPORT __attribute__((visibility("default")))

static JavaVM *java_vm;
static jclass native_collector_class;
static jclass collector_exception_class;
static jmethodID libbpf_log_method;

static jclass java_threads_class;
static jmethodID thread_started_method;
static jmethodID thread_ended_method;

/* The calling thread's JNIEnv while it is inside an entry point; libbpf logs on the caller's thread. */
static __thread JNIEnv *current_env;

/* libbpf hands over a whole verifier log in one message; it is forwarded line by line, up to this much. */
#define MAX_LIBBPF_MESSAGE (4 << 20)

static void forward_libbpf_line(JNIEnv *env, enum libbpf_print_level level, const char *line)
{
	jstring text = (*env)->NewStringUTF(env, line);

	if (!text) {
		(*env)->ExceptionClear(env);
		return;
	}
	(*env)->CallStaticVoidMethod(env, native_collector_class, libbpf_log_method, (jint)level, text);
	(*env)->ExceptionClear(env);
	(*env)->DeleteLocalRef(env, text);
}

static int forward_libbpf_log(enum libbpf_print_level level, const char *format, va_list args)
{
	JNIEnv *env = current_env;
	va_list measure;
	char *message, *line, *end;
	int needed;
	size_t size;

	if (!env || !libbpf_log_method || (*env)->ExceptionCheck(env))
		return 0;
	va_copy(measure, args);
	needed = vsnprintf(NULL, 0, format, measure);
	va_end(measure);
	if (needed < 0)
		return 0;
	size = (size_t)needed + 1 < MAX_LIBBPF_MESSAGE ? (size_t)needed + 1 : MAX_LIBBPF_MESSAGE;
	message = malloc(size);
	if (!message)
		return 0;
	vsnprintf(message, size, format, args);
	for (line = message; *line; line = end + 1) {
		end = strchr(line, '\n');
		if (!end) {
			forward_libbpf_line(env, level, line);
			break;
		}
		*end = '\0';
		forward_libbpf_line(env, level, line);
	}
	free(message);
	return 0;
}

static void throw_collector_exception(JNIEnv *env, const char *message)
{
	if (!(*env)->ExceptionCheck(env))
		(*env)->ThrowNew(env, collector_exception_class, message);
}

static struct bf_collector *collector_of(JNIEnv *env, jlong handle)
{
	if (handle == 0) {
		throw_collector_exception(env, "the collector is closed");
		return NULL;
	}
	return (struct bf_collector *)(intptr_t)handle;
}

EXPORT jint JNI_OnLoad(JavaVM *vm, void *reserved)
{
	JNIEnv *env;
	jclass local;

	(void)reserved;
	if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_8) != JNI_OK)
		return JNI_ERR;
	java_vm = vm;
	local = (*env)->FindClass(env, "io/blkflight/collector/NativeCollector");
	if (!local)
		return JNI_ERR;
	native_collector_class = (*env)->NewGlobalRef(env, local);
	libbpf_log_method = (*env)->GetStaticMethodID(env, local, "libbpfLog", "(ILjava/lang/String;)V");
	local = (*env)->FindClass(env, "io/blkflight/collector/CollectorException");
	if (!local || !libbpf_log_method || !native_collector_class)
		return JNI_ERR;
	collector_exception_class = (*env)->NewGlobalRef(env, local);
	if (!collector_exception_class)
		return JNI_ERR;
	libbpf_set_print(forward_libbpf_log);
	return JNI_VERSION_1_8;
}

/*
 * JVMTI thread events run in the thread that starts or ends, the one place its kernel thread id and its
 * java.lang.Thread can be seen together: Java has no API from one to the other.
 */
static jlong monotonic_nanos(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (jlong)now.tv_sec * 1000000000LL + now.tv_nsec;
}

static void JNICALL on_thread_start(jvmtiEnv *jvmti, JNIEnv *env, jthread thread)
{
	__u32 tid = (__u32)syscall(SYS_gettid);

	(void)jvmti;
	bf_java_thread_started(tid, env);
	(*env)->CallStaticVoidMethod(env, java_threads_class, thread_started_method, thread, (jint)tid, monotonic_nanos());
	(*env)->ExceptionClear(env);
}

static void JNICALL on_thread_end(jvmtiEnv *jvmti, JNIEnv *env, jthread thread)
{
	__u32 tid = (__u32)syscall(SYS_gettid);

	(void)jvmti;
	(void)thread;
	/* First: from here on the thread's JNIEnv is going away, and a signal arriving now must not walk it. */
	bf_java_thread_ended(tid);
	bf_vthreads_release();
	(*env)->CallStaticVoidMethod(env, java_threads_class, thread_ended_method, (jint)tid, monotonic_nanos());
	(*env)->ExceptionClear(env);
}

EXPORT void JNICALL Java_io_blkflight_collector_NativeCollector_trackThreads0(JNIEnv *env, jclass cls)
{
	jvmtiEventCallbacks callbacks = { 0 };
	jvmtiEnv *jvmti;
	JavaVM *vm;
	jclass local;

	(void)cls;
	if ((*env)->GetJavaVM(env, &vm) != JNI_OK || (*vm)->GetEnv(vm, (void **)&jvmti, JVMTI_VERSION_1_2) != JNI_OK) {
		throw_collector_exception(env, "JVMTI is not available: new Java threads are found by thread dumps only");
		return;
	}
	local = (*env)->FindClass(env, "io/blkflight/resolve/JavaThreads");
	if (!local)
		return;
	java_threads_class = (*env)->NewGlobalRef(env, local);
	thread_started_method = (*env)->GetStaticMethodID(env, local, "started", "(Ljava/lang/Thread;IJ)V");
	thread_ended_method = (*env)->GetStaticMethodID(env, local, "ended", "(IJ)V");
	if (!java_threads_class || !thread_started_method || !thread_ended_method)
		return;
	callbacks.ThreadStart = on_thread_start;
	callbacks.ThreadEnd = on_thread_end;
	if ((*jvmti)->SetEventCallbacks(jvmti, &callbacks, sizeof(callbacks)) != JVMTI_ERROR_NONE ||
	    (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, JVMTI_EVENT_THREAD_START, NULL) != JVMTI_ERROR_NONE ||
	    (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, JVMTI_EVENT_THREAD_END, NULL) != JVMTI_ERROR_NONE)
		throw_collector_exception(env, "enabling JVMTI thread events failed: new Java threads are found by thread dumps only");
}

/*
 * Virtual threads (JDK 21 and later). JVMTI tells an agent with can_support_virtual_threads when a virtual thread
 * starts and ends (standard events) and when it mounts and unmounts (HotSpot's extension events), each in the
 * carrier thread, with the virtual thread as the current thread. The callbacks write which one is mounted into the
 * carrier's slot of the carriers map (native/mounts.c), where the kernel side reads it as the carrier starts a
 * request; at unmount, one that the kernel side saw start a request or dirty pages is handed to the collector, which
 * names it in the request's event. The library is built against JDK 17's jvmti.h, which lacks JDK 21's additions:
 * they are spelled out here.
 */
#define BF_JVMTI_VERSION_21 0x30150000
#define BF_JVMTI_EVENT_VIRTUAL_THREAD_START 87
#define BF_JVMTI_EVENT_VIRTUAL_THREAD_END 88

/* JDK 21's jvmtiEventCallbacks: JDK 17's, then one slot per new event (VirtualThreadStart, VirtualThreadEnd). */
struct bf_jvmti_callbacks_21 {
	jvmtiEventCallbacks jdk17;
	void(JNICALL *virtual_thread_start)(jvmtiEnv *jvmti, JNIEnv *env, jthread vthread);
	void(JNICALL *virtual_thread_end)(jvmtiEnv *jvmti, JNIEnv *env, jthread vthread);
};
_Static_assert(offsetof(struct bf_jvmti_callbacks_21, virtual_thread_start) ==
		       (BF_JVMTI_EVENT_VIRTUAL_THREAD_START - JVMTI_MIN_EVENT_TYPE_VAL) * sizeof(void *),
	       "VirtualThreadStart's callback slot must follow SampledObjectAlloc's");

static jvmtiEnv *vthread_jvmti;
static jfieldID thread_id_field;
static jvmtiExtensionFunction get_virtual_thread;
static jint mount_event = -1;
static jint unmount_event = -1;

/* JDK 21's can_support_virtual_threads is the capability bit right after can_generate_sampled_object_alloc_events. */
static void add_support_virtual_threads(jvmtiCapabilities *capabilities)
{
	jvmtiCapabilities probe;
	unsigned char *bits = (unsigned char *)&probe;

	memset(&probe, 0, sizeof(probe));
	probe.can_generate_sampled_object_alloc_events = 1;
	for (size_t i = 0; i < sizeof(probe); i++) {
		if (bits[i]) {
			unsigned int bit = (unsigned int)__builtin_ctz(bits[i]) + 1;

			((unsigned char *)capabilities)[i + bit / 8] |= (unsigned char)(1U << (bit % 8));
			return;
		}
	}
}

static void JNICALL on_vthread_mounted(jvmtiEnv *jvmti, JNIEnv *env, jthread vthread)
{
	struct bf_carrier *slot = bf_vthreads_slot(1);

	(void)jvmti;
	if (!slot || !vthread)
		return;
	slot->io = 0;
	slot->vthread = (__u64)(*env)->GetLongField(env, vthread, thread_id_field);
}

/*
 * What this carrier handed over last, and when: a virtual thread that reads and yields in a loop would otherwise be
 * handed over at every unmount, filling the queue with one thread while the collector holds it already.
 */
static __thread __u64 handed_id;
static __thread __u32 handed_io;
static __thread jlong handed_ns;
#define BF_HANDED_AGAIN_NS 1000000000LL

static void JNICALL on_vthread_unmounted(jvmtiEnv *jvmti, JNIEnv *env, jthread vthread)
{
	struct bf_carrier *slot = bf_vthreads_slot(0);
	__u64 id;
	__u32 io;

	(void)jvmti;
	if (!slot)
		return;
	id = slot->vthread;
	io = slot->io;
	if (id && io && vthread) {
		jlong now = monotonic_nanos();

		if (id != handed_id || (io & ~handed_io) || now - handed_ns >= BF_HANDED_AGAIN_NS) {
			jobject held = (*env)->NewGlobalRef(env, vthread);

			if (held && bf_vthreads_hand_over(held, id, io))
				(*env)->DeleteGlobalRef(env, held);
			(*env)->ExceptionClear(env);
			handed_id = id;
			handed_io = io;
			handed_ns = now;
		}
	}
	slot->vthread = 0;
	slot->io = 0;
}

/* Finds a HotSpot extension event's index, or -1. */
static jint extension_event(jvmtiEnv *jvmti, const char *id)
{
	jvmtiExtensionEventInfo *events = NULL;
	jint count = 0, found = -1;

	if ((*jvmti)->GetExtensionEvents(jvmti, &count, &events) != JVMTI_ERROR_NONE)
		return -1;
	for (jint i = 0; i < count; i++) {
		if (strcmp(events[i].id, id) == 0)
			found = events[i].extension_event_index;
		for (jint p = 0; p < events[i].param_count; p++)
			(*jvmti)->Deallocate(jvmti, (unsigned char *)events[i].params[p].name);
		(*jvmti)->Deallocate(jvmti, (unsigned char *)events[i].params);
		(*jvmti)->Deallocate(jvmti, (unsigned char *)events[i].id);
		(*jvmti)->Deallocate(jvmti, (unsigned char *)events[i].short_description);
	}
	(*jvmti)->Deallocate(jvmti, (unsigned char *)events);
	return found;
}

/* Finds a HotSpot extension function, or NULL. */
static jvmtiExtensionFunction extension_function(jvmtiEnv *jvmti, const char *id)
{
	jvmtiExtensionFunctionInfo *functions = NULL;
	jvmtiExtensionFunction found = NULL;
	jint count = 0;

	if ((*jvmti)->GetExtensionFunctions(jvmti, &count, &functions) != JVMTI_ERROR_NONE)
		return NULL;
	for (jint i = 0; i < count; i++) {
		if (strcmp(functions[i].id, id) == 0)
			found = functions[i].func;
		for (jint p = 0; p < functions[i].param_count; p++)
			(*jvmti)->Deallocate(jvmti, (unsigned char *)functions[i].params[p].name);
		(*jvmti)->Deallocate(jvmti, (unsigned char *)functions[i].params);
		(*jvmti)->Deallocate(jvmti, (unsigned char *)functions[i].errors);
		(*jvmti)->Deallocate(jvmti, (unsigned char *)functions[i].id);
		(*jvmti)->Deallocate(jvmti, (unsigned char *)functions[i].short_description);
	}
	(*jvmti)->Deallocate(jvmti, (unsigned char *)functions);
	return found;
}

static void set_vthread_events(jvmtiEnv *jvmti, jvmtiEventMode mode)
{
	(*jvmti)->SetEventNotificationMode(jvmti, mode, (jvmtiEvent)BF_JVMTI_EVENT_VIRTUAL_THREAD_START, NULL);
	(*jvmti)->SetEventNotificationMode(jvmti, mode, (jvmtiEvent)BF_JVMTI_EVENT_VIRTUAL_THREAD_END, NULL);
	if (mount_event >= 0)
		(*jvmti)->SetEventNotificationMode(jvmti, mode, (jvmtiEvent)mount_event, NULL);
	if (unmount_event >= 0)
		(*jvmti)->SetEventNotificationMode(jvmti, mode, (jvmtiEvent)unmount_event, NULL);
}

/*
 * Starts following virtual threads into the collector's carriers map. Throws, saying why, where the JVM cannot
 * (before JDK 21, no HotSpot mount events) or the collector has no carriers map.
 */
EXPORT void JNICALL Java_io_blkflight_collector_NativeCollector_trackVirtualThreads0(JNIEnv *env, jclass cls,
										    jlong handle)
{
	struct bf_collector *collector = collector_of(env, handle);
	struct bf_jvmti_callbacks_21 callbacks;
	jvmtiCapabilities capabilities;
	struct bf_carrier *carriers;
	jvmtiEnv *jvmti;
	jclass thread_class;
	jvmtiError err;
	JavaVM *vm;
	__u32 slots;

	(void)cls;
	if (!collector)
		return;
	carriers = bf_collector_carriers(collector, &slots);
	if (!carriers) {
		throw_collector_exception(env, "the collector was opened without a carriers map");
		return;
	}
	if (vthread_jvmti) {
		bf_vthreads_follow(carriers, slots);
		set_vthread_events(vthread_jvmti, JVMTI_ENABLE);
		return;
	}
	if ((*env)->GetJavaVM(env, &vm) != JNI_OK ||
	    (*vm)->GetEnv(vm, (void **)&jvmti, BF_JVMTI_VERSION_21) != JNI_OK) {
		throw_collector_exception(env, "this JVM's JVMTI has no virtual threads (JDK 21 and later have)");
		return;
	}
	thread_class = (*env)->FindClass(env, "java/lang/Thread");
	thread_id_field = thread_class ? (*env)->GetFieldID(env, thread_class, "tid", "J") : NULL;
	if (!thread_id_field) {
		(*env)->ExceptionClear(env);
		throw_collector_exception(env, "java.lang.Thread has no field tid in this JVM");
		return;
	}
	memset(&capabilities, 0, sizeof(capabilities));
	add_support_virtual_threads(&capabilities);
	if ((err = (*jvmti)->AddCapabilities(jvmti, &capabilities)) != JVMTI_ERROR_NONE) {
		char why[128];

		snprintf(why, sizeof(why), "JVMTI refused the capability can_support_virtual_threads (error %d)", err);
		throw_collector_exception(env, why);
		return;
	}
	mount_event = extension_event(jvmti, "com.sun.hotspot.events.VirtualThreadMount");
	unmount_event = extension_event(jvmti, "com.sun.hotspot.events.VirtualThreadUnmount");
	get_virtual_thread = extension_function(jvmti, "com.sun.hotspot.functions.GetVirtualThread");
	if (mount_event < 0 || unmount_event < 0) {
		throw_collector_exception(env, "this JVM has no VirtualThreadMount and VirtualThreadUnmount events (HotSpot has)");
		return;
	}
	memset(&callbacks, 0, sizeof(callbacks));
	callbacks.virtual_thread_start = on_vthread_mounted;
	callbacks.virtual_thread_end = on_vthread_unmounted;
	bf_vthreads_follow(carriers, slots);
	if ((*jvmti)->SetEventCallbacks(jvmti, (jvmtiEventCallbacks *)&callbacks, (jint)sizeof(callbacks)) != JVMTI_ERROR_NONE ||
	    (*jvmti)->SetExtensionEventCallback(jvmti, mount_event, (jvmtiExtensionEvent)on_vthread_mounted) != JVMTI_ERROR_NONE ||
	    (*jvmti)->SetExtensionEventCallback(jvmti, unmount_event, (jvmtiExtensionEvent)on_vthread_unmounted) != JVMTI_ERROR_NONE) {
		bf_vthreads_follow(NULL, 0);
		throw_collector_exception(env, "setting the JVMTI virtual thread callbacks failed");
		return;
	}
	vthread_jvmti = jvmti;
	set_vthread_events(jvmti, JVMTI_ENABLE);
}

/* Stops following virtual threads; callbacks already running finish on the mapping, which stays. */
EXPORT void JNICALL Java_io_blkflight_collector_NativeCollector_untrackVirtualThreads0(JNIEnv *env, jclass cls)
{
	(void)env;
	(void)cls;
	bf_vthreads_follow(NULL, 0);
	if (vthread_jvmti)
		set_vthread_events(vthread_jvmti, JVMTI_DISABLE);
}

/* Moves the virtual threads handed over into the arrays; returns how many. */
EXPORT jint JNICALL Java_io_blkflight_collector_NativeCollector_takeVirtualThreads0(JNIEnv *env, jclass cls,
										   jobjectArray threads, jlongArray ids,
										   jintArray io)
{
	jobject taken[256];
	__u64 taken_ids[256];
	__u32 taken_io[256];
	jsize capacity = (*env)->GetArrayLength(env, threads);
	int count;

	(void)cls;
	if (capacity > 256)
		capacity = 256;
	count = bf_vthreads_take(taken, taken_ids, taken_io, capacity);
	for (int i = 0; i < count; i++) {
		jlong id = (jlong)taken_ids[i];
		jint what = (jint)taken_io[i];

		(*env)->SetObjectArrayElement(env, threads, i, taken[i]);
		(*env)->DeleteGlobalRef(env, taken[i]);
		(*env)->SetLongArrayRegion(env, ids, i, 1, &id);
		(*env)->SetIntArrayRegion(env, io, i, 1, &what);
	}
	return count;
}

/* The virtual thread mounted on a carrier thread now, or null (HotSpot's GetVirtualThread). */
EXPORT jobject JNICALL Java_io_blkflight_collector_NativeCollector_mountedVirtualThread0(JNIEnv *env, jclass cls,
											jobject carrier)
{
	jthread vthread = NULL;

	(void)env;
	(void)cls;
	if (!vthread_jvmti || !get_virtual_thread || !carrier)
		return NULL;
	if (get_virtual_thread(vthread_jvmti, carrier, &vthread) != JVMTI_ERROR_NONE)
		return NULL;
	return vthread;
}

/* Carriers that found no free slot, and virtual threads not handed over (the queue was full). */
EXPORT void JNICALL Java_io_blkflight_collector_NativeCollector_virtualThreadCounters0(JNIEnv *env, jclass cls,
										      jlongArray out)
{
	__u64 values[2];
	jlong longs[2];

	(void)cls;
	bf_vthreads_counters(&values[0], &values[1]);
	longs[0] = (jlong)values[0];
	longs[1] = (jlong)values[1];
	(*env)->SetLongArrayRegion(env, out, 0, 2, longs);
}

EXPORT jstring JNICALL Java_io_blkflight_collector_NativeCollector_layout0(JNIEnv *env, jclass cls)
{
	const char *records = bf_layout_description(), *stacks = bf_java_stacks_layout();
	char *both = malloc(strlen(records) + strlen(stacks) + 1);
	jstring result;

	(void)cls;
	if (!both) {
		throw_collector_exception(env, "out of memory describing the record layout");
		return NULL;
	}
	strcpy(both, records);
	strcat(both, stacks);
	result = (*env)->NewStringUTF(env, both);
	free(both);
	return result;
}

EXPORT jlong JNICALL Java_io_blkflight_collector_NativeCollector_monotonicNanos0(JNIEnv *env, jclass cls)
{
	(void)env;
	(void)cls;
	return monotonic_nanos();
}

EXPORT jlong JNICALL Java_io_blkflight_collector_NativeCollector_open0(JNIEnv *env, jclass cls, jint scope,
								      jint self_tgid, jlong pidns_dev, jlong pidns_ino,
								      jstring cgroup_path, jintArray devices,
								      jlong min_latency_ns, jint ring_buffer_bytes,
								      jint max_inflight, jint max_bios,
								      jint wakeup_bytes, jint stack_entries,
								      jint stack_mode, jint stack_rate,
								      jstring btf_path, jint path_entries,
								      jboolean syscall_entry, jint max_files,
								      jboolean writeback, jint stack_signal,
								      jint stack_signal_rate, jint carrier_slots)
{
	struct bf_collector_config config = {
		.min_latency_ns = (__u64)min_latency_ns,
		.scope = (__u32)scope,
		.self_tgid = (__u32)self_tgid,
		.pidns_dev = (__u64)pidns_dev,
		.pidns_ino = (__u64)pidns_ino,
		.ring_buffer_bytes = (__u32)ring_buffer_bytes,
		.max_inflight = (__u32)max_inflight,
		.max_bios = (__u32)max_bios,
		.wakeup_bytes = (__u32)wakeup_bytes,
		.stack_entries = (__u32)stack_entries,
		.stack_mode = (__u32)stack_mode,
		.stack_rate = (__u32)stack_rate,
		.path_entries = (__u32)path_entries,
		.max_files = (__u32)max_files,
		.syscall_entry = syscall_entry ? 1 : 0,
		.writeback = writeback ? 1 : 0,
		.stack_signal = (__u32)stack_signal,
		.stack_signal_handler = stack_signal ? bf_java_stacks_handler_address() : 0,
		.stack_signal_rate = (__u32)stack_signal_rate,
		.carrier_slots = (__u32)carrier_slots,
	};
	struct bf_collector *collector = NULL;
	char why[BF_WHY_LEN] = "";
	jint *device_values = NULL;
	const char *btf = NULL;
	const char *cgroup = NULL;
	int err = 0;

	(void)cls;
	if (btf_path && !(btf = (*env)->GetStringUTFChars(env, btf_path, NULL)))
		goto release;
	config.btf_path = btf;
	if (cgroup_path && !(cgroup = (*env)->GetStringUTFChars(env, cgroup_path, NULL)))
		goto release;
	config.cgroup_path = cgroup;
	if (devices) {
		config.device_count = (__u32)(*env)->GetArrayLength(env, devices);
		device_values = (*env)->GetIntArrayElements(env, devices, NULL);
		if (!device_values)
			goto release;
		config.devices = (const __u32 *)device_values;
	}
	current_env = env;
	err = bf_collector_open(&config, &collector, why);
	current_env = NULL;
	if (err)
		throw_collector_exception(env, why);

release:
	if (device_values)
		(*env)->ReleaseIntArrayElements(env, devices, device_values, JNI_ABORT);
	if (cgroup)
		(*env)->ReleaseStringUTFChars(env, cgroup_path, cgroup);
	if (btf)
		(*env)->ReleaseStringUTFChars(env, btf_path, btf);
	return err ? 0 : (jlong)(intptr_t)collector;
}

EXPORT jint JNICALL Java_io_blkflight_collector_NativeCollector_await0(JNIEnv *env, jclass cls, jlong handle,
								      jint timeout_ms)
{
	struct bf_collector *collector = collector_of(env, handle);
	char why[BF_WHY_LEN];
	int ready;

	(void)cls;
	if (!collector)
		return -1;
	ready = bf_collector_wait(collector, timeout_ms, why);
	if (ready < 0)
		throw_collector_exception(env, why);
	return ready;
}

EXPORT jint JNICALL Java_io_blkflight_collector_NativeCollector_drain0(JNIEnv *env, jclass cls, jlong handle,
								      jobject buffer)
{
	struct bf_collector *collector = collector_of(env, handle);
	void *address = (*env)->GetDirectBufferAddress(env, buffer);
	jlong capacity = (*env)->GetDirectBufferCapacity(env, buffer);
	char why[BF_WHY_LEN];
	long written;

	(void)cls;
	if (!collector)
		return -1;
	if (!address || capacity <= 0) {
		throw_collector_exception(env, "drain needs a direct ByteBuffer");
		return -1;
	}
	current_env = env;
	written = bf_collector_drain(collector, address, (size_t)capacity, why);
	current_env = NULL;
	if (written < 0) {
		throw_collector_exception(env, why);
		return -1;
	}
	return (jint)written;
}

EXPORT void JNICALL Java_io_blkflight_collector_NativeCollector_counters0(JNIEnv *env, jclass cls, jlong handle,
									 jlongArray out)
{
	struct bf_collector *collector = collector_of(env, handle);
	__u64 values[BF_CNT_MAX] = { 0 };
	char why[BF_WHY_LEN];
	jsize length;

	(void)cls;
	if (!collector)
		return;
	length = (*env)->GetArrayLength(env, out);
	if (length > BF_CNT_MAX)
		length = BF_CNT_MAX;
	if (bf_collector_counters(collector, values, length, why)) {
		throw_collector_exception(env, why);
		return;
	}
	(*env)->SetLongArrayRegion(env, out, 0, length, (const jlong *)values);
}

EXPORT jint JNICALL Java_io_blkflight_collector_NativeCollector_stack0(JNIEnv *env, jclass cls, jlong handle, jint id,
								      jlongArray out)
{
	struct bf_collector *collector = collector_of(env, handle);
	__u64 frames[BF_MAX_STACK_DEPTH];
	char why[BF_WHY_LEN];
	jsize capacity;
	int depth;

	(void)cls;
	if (!collector)
		return -1;
	capacity = (*env)->GetArrayLength(env, out);
	depth = bf_collector_stack(collector, (__u32)id, frames, capacity < BF_MAX_STACK_DEPTH ? capacity : BF_MAX_STACK_DEPTH, why);
	if (depth < 0) {
		throw_collector_exception(env, why);
		return -1;
	}
	(*env)->SetLongArrayRegion(env, out, 0, depth, (const jlong *)frames);
	return depth;
}

/* Every function taking a struct request * or bio *, one per line: "name btf_id argument kind [module]". */
EXPORT jstring JNICALL Java_io_blkflight_collector_NativeCollector_discoverFunctions0(JNIEnv *env, jclass cls,
										     jstring btf_path)
{
	struct bf_function_candidate *found = NULL;
	const char *path = NULL;
	char why[BF_WHY_LEN];
	char *text;
	size_t used = 0;
	int count;
	jstring result;

	(void)cls;
	if (btf_path && !(path = (*env)->GetStringUTFChars(env, btf_path, NULL)))
		return NULL;
	current_env = env;
	count = bf_functions_discover(path, &found, why);
	current_env = NULL;
	if (path)
		(*env)->ReleaseStringUTFChars(env, btf_path, path);
	if (count < 0) {
		throw_collector_exception(env, why);
		return NULL;
	}
	text = malloc((size_t)count * (BF_FUNCTION_NAME_LEN + BF_MODULE_NAME_LEN + 32) + 1);
	if (!text) {
		free(found);
		throw_collector_exception(env, "out of memory listing the kernel's functions");
		return NULL;
	}
	text[0] = '\0';
	for (int i = 0; i < count; i++)
		used += (size_t)sprintf(text + used, "%s %u %u %u%s%s\n", found[i].name, found[i].btf_id, found[i].arg,
					found[i].kind, found[i].module[0] ? " " : "", found[i].module);
	free(found);
	result = (*env)->NewStringUTF(env, text);
	free(text);
	return result;
}

/*
 * Attaches function programs; kinds[i] is 1 (struct request *) or 2 (struct bio *) at argument args[i].
 * Returns the mode used (1 fentry, 2 kprobe) and fills results with 0 or the negative errno of each
 * function. Throws when the kernel refuses function-level tracing altogether.
 */
EXPORT jint JNICALL Java_io_blkflight_collector_NativeCollector_attachFunctions0(JNIEnv *env, jclass cls, jlong handle,
										 jobjectArray names, jintArray args,
										 jintArray kinds, jboolean stacks, jint mode,
										 jintArray results)
{
	struct bf_collector *collector = collector_of(env, handle);
	jsize count = names ? (*env)->GetArrayLength(env, names) : 0;
	struct bf_function_target *targets = calloc(count ? count : 1, sizeof(*targets));
	int *result_values = calloc(count ? count : 1, sizeof(int));
	char why[BF_WHY_LEN] = "";
	jint used = -1;

	(void)cls;
	if (!collector)
		goto out;
	if (!targets || !result_values) {
		throw_collector_exception(env, "out of memory attaching functions");
		goto out;
	}
	for (jsize i = 0; i < count; i++) {
		jstring name = (jstring)(*env)->GetObjectArrayElement(env, names, i);
		const char *chars;
		jint arg, kind;

		if (!name) {
			throw_collector_exception(env, "a function name is missing");
			goto out;
		}
		chars = (*env)->GetStringUTFChars(env, name, NULL);
		if (!chars)
			goto out;
		snprintf(targets[i].name, sizeof(targets[i].name), "%s", chars);
		(*env)->ReleaseStringUTFChars(env, name, chars);
		(*env)->DeleteLocalRef(env, name);
		(*env)->GetIntArrayRegion(env, args, i, 1, &arg);
		(*env)->GetIntArrayRegion(env, kinds, i, 1, &kind);
		if ((*env)->ExceptionCheck(env))
			goto out;
		targets[i].arg = (__u8)arg;
		targets[i].kind = (__u8)kind;
	}
	current_env = env;
	used = bf_paths_attach(collector, targets, count, stacks, (enum bf_path_mode)mode, result_values, why);
	current_env = NULL;
	if (used < 0) {
		throw_collector_exception(env, why);
		goto out;
	}
	(*env)->SetIntArrayRegion(env, results, 0, count, (const jint *)result_values);

out:
	free(targets);
	free(result_values);
	return used;
}

EXPORT jstring JNICALL Java_io_blkflight_collector_NativeCollector_errnoText0(JNIEnv *env, jclass cls, jint err)
{
	(void)cls;
	return (*env)->NewStringUTF(env, strerror(err));
}

EXPORT jlong JNICALL Java_io_blkflight_collector_NativeCollector_ringPeak0(JNIEnv *env, jclass cls, jlong handle)
{
	struct bf_collector *collector = collector_of(env, handle);

	(void)cls;
	return collector ? (jlong)bf_collector_ring_peak(collector) : 0;
}

EXPORT jlong JNICALL Java_io_blkflight_collector_NativeCollector_expire0(JNIEnv *env, jclass cls, jlong handle,
									jlong cutoff_ns)
{
	struct bf_collector *collector = collector_of(env, handle);
	char why[BF_WHY_LEN];
	long removed;

	(void)cls;
	/* A cutoff at or before boot (uptime shorter than the timeout) expires nothing; as unsigned it would
	 * expire every open lifecycle. */
	if (!collector || cutoff_ns <= 0)
		return 0;
	removed = bf_collector_expire(collector, (__u64)cutoff_ns, why);
	if (removed < 0) {
		throw_collector_exception(env, why);
		return 0;
	}
	return removed;
}

EXPORT jint JNICALL Java_io_blkflight_collector_NativeCollector_filesEndIo0(JNIEnv *env, jclass cls, jlong handle)
{
	struct bf_collector *collector = collector_of(env, handle);

	(void)cls;
	return collector ? bf_collector_files_end_io(collector) : 0;
}

/* pairs: dev, ino, dev, ino, ... of files whose path the kernel side is to send again. */
EXPORT void JNICALL Java_io_blkflight_collector_NativeCollector_forgetFiles0(JNIEnv *env, jclass cls, jlong handle,
									    jlongArray pairs)
{
	struct bf_collector *collector = collector_of(env, handle);
	char why[BF_WHY_LEN];
	jsize length;
	jlong *values;
	int err;

	(void)cls;
	if (!collector)
		return;
	length = (*env)->GetArrayLength(env, pairs);
	values = (*env)->GetLongArrayElements(env, pairs, NULL);
	if (!values)
		return;
	err = bf_collector_forget_files(collector, (const __u64 *)values, length / 2, why);
	(*env)->ReleaseLongArrayElements(env, pairs, values, JNI_ABORT);
	if (err)
		throw_collector_exception(env, why);
}

EXPORT jint JNICALL Java_io_blkflight_collector_NativeCollector_maxSample0(JNIEnv *env, jclass cls)
{
	(void)env;
	(void)cls;
	return (jint)bf_collector_max_sample();
}

EXPORT jstring JNICALL Java_io_blkflight_collector_NativeCollector_probes0(JNIEnv *env, jclass cls, jlong handle)
{
	struct bf_collector *collector = collector_of(env, handle);

	(void)cls;
	return collector ? (*env)->NewStringUTF(env, bf_collector_probes(collector)) : NULL;
}

EXPORT jstring JNICALL Java_io_blkflight_collector_NativeCollector_writebackProblem0(JNIEnv *env, jclass cls,
										      jlong handle)
{
	struct bf_collector *collector = collector_of(env, handle);

	(void)cls;
	return collector ? (*env)->NewStringUTF(env, bf_collector_dirtying_problem(collector)) : NULL;
}

EXPORT void JNICALL Java_io_blkflight_collector_NativeCollector_detach0(JNIEnv *env, jclass cls, jlong handle)
{
	struct bf_collector *collector = collector_of(env, handle);

	(void)cls;
	if (collector)
		bf_collector_detach(collector);
}

EXPORT void JNICALL Java_io_blkflight_collector_NativeCollector_close0(JNIEnv *env, jclass cls, jlong handle)
{
	(void)env;
	(void)cls;
	bf_collector_close((struct bf_collector *)(intptr_t)handle);
}

/*
 * Java stacks of faults and native system calls (faultStacks). Sets up the handler and returns its signal, for the
 * kernel side to send; slots: stacks that can wait between two drains.
 */
EXPORT jint JNICALL Java_io_blkflight_collector_NativeCollector_startJavaStacks0(JNIEnv *env, jclass cls, jint slots)
{
	char why[BF_WHY_LEN] = "";
	int signal;

	(void)cls;
	signal = bf_java_stacks_start(java_vm, env, (__u32)slots, why);
	if (signal < 0) {
		char message[BF_WHY_LEN + 64];

		snprintf(message, sizeof(message), "%s (errno %d)", why, -signal);
		throw_collector_exception(env, message);
		return -1;
	}
	return signal;
}

EXPORT void JNICALL Java_io_blkflight_collector_NativeCollector_stopJavaStacks0(JNIEnv *env, jclass cls)
{
	(void)env;
	(void)cls;
	bf_java_stacks_stop();
}

EXPORT jint JNICALL Java_io_blkflight_collector_NativeCollector_drainJavaStacks0(JNIEnv *env, jclass cls, jobject buffer)
{
	void *address = (*env)->GetDirectBufferAddress(env, buffer);
	jlong capacity = (*env)->GetDirectBufferCapacity(env, buffer);

	(void)cls;
	if (!address || capacity <= 0) {
		throw_collector_exception(env, "draining Java stacks needs a direct ByteBuffer");
		return -1;
	}
	return (jint)bf_java_stacks_drain(address, (size_t)capacity);
}

EXPORT void JNICALL Java_io_blkflight_collector_NativeCollector_javaStackCounters0(JNIEnv *env, jclass cls,
										  jlongArray out)
{
	__u64 values[BF_JSC_MAX] = { 0 };
	jsize length = (*env)->GetArrayLength(env, out);

	(void)cls;
	if (length > BF_JSC_MAX)
		length = BF_JSC_MAX;
	bf_java_stacks_counters(values, length);
	(*env)->SetLongArrayRegion(env, out, 0, length, (const jlong *)values);
}

/* A thread a thread dump lists as a Java thread of this JVM (one that existed before the agent). */
EXPORT void JNICALL Java_io_blkflight_collector_NativeCollector_javaThreadKnown0(JNIEnv *env, jclass cls, jint tid)
{
	(void)env;
	(void)cls;
	bf_java_thread_known((__u32)tid);
}

/*
 * What a stack's jmethodID names: "class-signature TAB method-name TAB bci:line,bci:line,...", or null when the
 * method is gone (its class unloaded) or the stacks never started.
 */
EXPORT jstring JNICALL Java_io_blkflight_collector_NativeCollector_methodInfo0(JNIEnv *env, jclass cls, jlong id)
{
	jvmtiEnv *jvmti = bf_java_stacks_jvmti();
	jmethodID method = (jmethodID)(intptr_t)id;
	char *name = NULL, *class_signature = NULL, *text = NULL;
	jvmtiLineNumberEntry *lines = NULL;
	jint line_count = 0;
	jclass declaring = NULL;
	jstring result = NULL;
	size_t size, used;

	(void)cls;
	if (!jvmti || !method)
		return NULL;
	if ((*jvmti)->GetMethodName(jvmti, method, &name, NULL, NULL) != JVMTI_ERROR_NONE ||
	    (*jvmti)->GetMethodDeclaringClass(jvmti, method, &declaring) != JVMTI_ERROR_NONE ||
	    (*jvmti)->GetClassSignature(jvmti, declaring, &class_signature, NULL) != JVMTI_ERROR_NONE)
		goto out;
	/* Native and abstract methods, and classes compiled without line numbers, have none: no lines then. */
	if ((*jvmti)->GetLineNumberTable(jvmti, method, &line_count, &lines) != JVMTI_ERROR_NONE) {
		lines = NULL;
		line_count = 0;
	}
	size = strlen(class_signature) + strlen(name) + 3 + (size_t)line_count * 24;
	text = malloc(size);
	if (!text)
		goto out;
	used = (size_t)snprintf(text, size, "%s\t%s\t", class_signature, name);
	for (jint i = 0; i < line_count && used < size; i++)
		used += (size_t)snprintf(text + used, size - used, "%s%lld:%d", i ? "," : "",
					 (long long)lines[i].start_location, (int)lines[i].line_number);
	result = (*env)->NewStringUTF(env, text);

out:
	free(text);
	if (lines)
		(*jvmti)->Deallocate(jvmti, (unsigned char *)lines);
	if (class_signature)
		(*jvmti)->Deallocate(jvmti, (unsigned char *)class_signature);
	if (name)
		(*jvmti)->Deallocate(jvmti, (unsigned char *)name);
	if (declaring)
		(*env)->DeleteLocalRef(env, declaring);
	return result;
}
