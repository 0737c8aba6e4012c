package io.blkflight.bench;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Virtual threads that do nothing but mount and unmount, for {@link MountCostBenchmark} (JDK 21 and later): "yield",
 * virtual threads that call Thread.yield() in a loop (one unmount and one mount each); or "spawn", a platform thread
 * that starts short-lived virtual threads, each yielding once (a start, an unmount, a mount and an end each).
 * Prints "ops=N cpu=NANOS" for the measured seconds: the whole process's CPU time, so whatever the agent's JVMTI
 * callbacks cost, in whichever thread, counts. Arguments: kind, virtual threads at once, warm-up seconds, measured seconds.
 */
public final class MountWorkload {
    private MountWorkload() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int threads = Integer.parseInt(args[1]);
        long warmup = TimeUnit.SECONDS.toNanos(Long.parseLong(args[2]));
        long measured = TimeUnit.SECONDS.toNanos(Long.parseLong(args[3]));
        LongAdder ops = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(kind.equals("yield") ? threads : 1);
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        java.lang.reflect.Method start = Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class);
        if (kind.equals("yield")) {
            for (int i = 0; i < threads; i++) {
                start.invoke(builder, (Runnable) () -> {
                    while (!stop.get()) {
                        Thread.yield();
                        ops.increment();
                    }
                    done.countDown();
                });
            }
        } else {
            Thread spawner = new Thread(() -> {
                Thread[] batch = new Thread[threads];
                try {
                    while (!stop.get()) {
                        for (int i = 0; i < threads; i++) {
                            batch[i] = (Thread) start.invoke(builder, (Runnable) () -> {
                                Thread.yield();
                                ops.increment();
                            });
                        }
                        for (Thread thread : batch) {
                            thread.join();
                        }
                    }
                } catch (ReflectiveOperationException | InterruptedException e) {
                    throw new IllegalStateException(e);
                } finally {
                    done.countDown();
                }
            }, "spawner");
            spawner.start();
        }
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(warmup));
        long ops0 = ops.sum();
        long cpu0 = cpu();
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(measured));
        long cpu1 = cpu();
        long ops1 = ops.sum();
        stop.set(true);
        done.await();
        System.out.println("ops=" + (ops1 - ops0) + " cpu=" + (cpu1 - cpu0));
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
