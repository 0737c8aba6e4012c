// SPDX-License-Identifier: Apache-2.0
/*
 * A tiny JNI library for FaultStacksIT: native code that reads a file with its own pread(2) calls, as storage
 * engines reached through JNI (RocksDB and others) do, outside every JDK file API and so outside JFR's file events.
 * Built by native/Makefile (target test-libs) into native/target/test/libblkflight-preader.so.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <jni.h>

#define CHUNK (64 << 10)

/* Reads length bytes from offset in chunks of 64 KiB; returns the bytes read, or -errno. */
JNIEXPORT jlong JNICALL Java_io_blkflight_it_NativeReader_pread0(JNIEnv *env, jclass cls, jstring path, jlong offset,
								jlong length)
{
	const char *name = (*env)->GetStringUTFChars(env, path, NULL);
	char *buffer = malloc(CHUNK);
	jlong done = 0;
	int fd;

	(void)cls;
	if (!name || !buffer) {
		free(buffer);
		if (name)
			(*env)->ReleaseStringUTFChars(env, path, name);
		return -ENOMEM;
	}
	fd = open(name, O_RDONLY | O_CLOEXEC);
	(*env)->ReleaseStringUTFChars(env, path, name);
	if (fd < 0) {
		free(buffer);
		return -errno;
	}
	while (done < length) {
		size_t want = length - done < CHUNK ? (size_t)(length - done) : CHUNK;
		ssize_t got = pread(fd, buffer, want, offset + done);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			done = got < 0 ? -errno : done;
			break;
		}
		done += got;
	}
	close(fd);
	free(buffer);
	return done;
}

/*
 * The same read from a native thread that attaches itself to the JVM, reads, detaches and reads once more: the
 * kernel side's signal then reaches a thread that was a Java thread a moment ago and is not any more.
 */
struct detached_read {
	JavaVM *vm;
	char path[4096];
	jlong offset;
	jlong length;
	jlong result;
};

static void *read_attached_then_detached(void *arg)
{
	struct detached_read *read = arg;
	JNIEnv *env;
	int fd;
	char *buffer = malloc(CHUNK);

	if (!buffer || (*read->vm)->AttachCurrentThread(read->vm, (void **)&env, NULL) != JNI_OK) {
		free(buffer);
		read->result = -1;
		return NULL;
	}
	read->result = 0;
	fd = open(read->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || pread(fd, buffer, CHUNK, read->offset) < 0)
		read->result = -errno;
	(*read->vm)->DetachCurrentThread(read->vm);
	for (jlong done = CHUNK; fd >= 0 && done < read->length; done += CHUNK)
		if (pread(fd, buffer, CHUNK, read->offset + done) <= 0)
			break;
	if (fd >= 0)
		close(fd);
	free(buffer);
	return NULL;
}

/* Runs read_attached_then_detached on a new native thread and waits for it; returns 0 or -errno. */
JNIEXPORT jlong JNICALL Java_io_blkflight_it_NativeReader_detachedRead0(JNIEnv *env, jclass cls, jstring path,
								       jlong offset, jlong length)
{
	struct detached_read read = { .offset = offset, .length = length };
	const char *name = (*env)->GetStringUTFChars(env, path, NULL);
	pthread_t thread;

	(void)cls;
	if (!name)
		return -ENOMEM;
	snprintf(read.path, sizeof(read.path), "%s", name);
	(*env)->ReleaseStringUTFChars(env, path, name);
	if ((*env)->GetJavaVM(env, &read.vm) != JNI_OK)
		return -EINVAL;
	if (pthread_create(&thread, NULL, read_attached_then_detached, &read))
		return -EAGAIN;
	pthread_join(thread, NULL);
	return read.result;
}

/* Drops the file's clean, unmapped pages from the page cache (posix_fadvise DONTNEED); 0 or -errno. */
JNIEXPORT jint JNICALL Java_io_blkflight_it_NativeReader_dropCache0(JNIEnv *env, jclass cls, jstring path)
{
	const char *name = (*env)->GetStringUTFChars(env, path, NULL);
	int fd, err;

	(void)cls;
	if (!name)
		return -ENOMEM;
	fd = open(name, O_RDONLY | O_CLOEXEC);
	(*env)->ReleaseStringUTFChars(env, path, name);
	if (fd < 0)
		return -errno;
	err = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	close(fd);
	return -err;
}

static void other_handler(int sig, siginfo_t *info, void *context)
{
	(void)sig;
	(void)info;
	(void)context;
}

/*
 * Installs a do-nothing handler on the signal, as other code that uses a real-time signal would: before the agent
 * starts (it must choose another) or after (its kernel side must stop sending). 0 or -errno.
 */
JNIEXPORT jint JNICALL Java_io_blkflight_it_NativeReader_takeSignal0(JNIEnv *env, jclass cls, jint sig)
{
	struct sigaction action = { 0 };

	(void)env;
	(void)cls;
	action.sa_sigaction = other_handler;
	action.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&action.sa_mask);
	return sigaction(sig, &action, NULL) ? -errno : 0;
}

/* The signal of SIGRTMAX - offset, for tests that take the agent's favourite signals. */
JNIEXPORT jint JNICALL Java_io_blkflight_it_NativeReader_realtimeMax0(JNIEnv *env, jclass cls)
{
	(void)env;
	(void)cls;
	return SIGRTMAX;
}

static void profiling_handler(int sig)
{
	(void)sig;
}

/*
 * A profiler's timer, as async-profiler's cpu mode uses: SIGPROF every interval of the process's CPU time, handled
 * (and so interrupting the threads, their system calls and the agent's own handler's neighbours) while the test runs.
 */
JNIEXPORT jint JNICALL Java_io_blkflight_it_NativeReader_profilingTimer0(JNIEnv *env, jclass cls, jint micros)
{
	struct sigaction action = { 0 };
	struct itimerval timer = { 0 };

	(void)env;
	(void)cls;
	action.sa_handler = profiling_handler;
	action.sa_flags = SA_RESTART;
	sigemptyset(&action.sa_mask);
	if (sigaction(SIGPROF, &action, NULL))
		return -errno;
	timer.it_interval.tv_usec = micros;
	timer.it_value.tv_usec = micros;
	return setitimer(ITIMER_PROF, &timer, NULL) ? -errno : 0;
}
