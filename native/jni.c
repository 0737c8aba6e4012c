// SPDX-License-Identifier: Apache-2.0
/*
 * Every JNI entry point of libblkflight.so, for io.blkflight.collector.NativeCollector. Internal C
 * returns negative errno; each entry point turns a failure into one CollectorException, once, after
 * releasing what it holds. libbpf's log goes to the agent's logger, never to stdout.
 */
#include <errno.h>
#include <stdarg.h>
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
								      jint stack_signal_rate)
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
