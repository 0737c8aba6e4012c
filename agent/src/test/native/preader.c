// SPDX-License-Identifier: Apache-2.0
/*
 * A tiny JNI library for FaultStacksIT: native code that reads a file with its own pread(2) calls, as storage
 * engines reached through JNI (RocksDB and others) do, outside every JDK file API and so outside JFR's file events.
 * Built by native/Makefile (target test-libs) into native/target/test/libblkflight-preader.so.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
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
