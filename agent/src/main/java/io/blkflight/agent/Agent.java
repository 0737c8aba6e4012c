package io.blkflight.agent;

import java.lang.instrument.Instrumentation;

/**
 * Entry points of the Java agent: {@code -javaagent:blkflight.jar[=options]} (premain) and attach to a
 * running JVM (agentmain). Neither ever throws into the JVM or the application, nor calls System.exit:
 * when blkflight cannot run it logs one line and steps aside.
 */
public final class Agent {
    private Agent() {
    }

    public static void premain(String options, Instrumentation instrumentation) {
        start(options);
    }

    public static void agentmain(String options, Instrumentation instrumentation) {
        start(options);
    }

    private static void start(String options) {
        try {
            AgentRuntime.startOnce(options);
        } catch (Throwable t) {
            try {
                Log.warn("agent disabled after an unexpected error: " + t);
            } catch (Throwable ignored) {
                // Nothing may escape into the JVM.
            }
        }
    }
}
