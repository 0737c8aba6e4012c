package io.blkflight.agent;

import java.lang.instrument.Instrumentation;

/**
 * Entry points of the Java agent: {@code -javaagent:blkflight.jar[=options]} (premain) and attach to a
 * running JVM (agentmain). Neither ever throws into the JVM or the application, nor calls System.exit:
 * when blkflight cannot run it logs one line and steps aside.
 *
 * <p>The agent runs in a module of its own ({@link AgentModule}), which holds native access on JDKs that
 * restrict JNI (24 and later): the application's own modules are left as they are.
 */
public final class Agent {
    private Agent() {
    }

    public static void premain(String options, Instrumentation instrumentation) {
        start(options, instrumentation);
    }

    public static void agentmain(String options, Instrumentation instrumentation) {
        start(options, instrumentation);
    }

    private static void start(String options, Instrumentation instrumentation) {
        try {
            AgentModule.start(options, instrumentation);
        } catch (Throwable t) {
            try {
                Log.warn("agent disabled after an unexpected error: " + t);
            } catch (Throwable ignored) {
                // Nothing may escape into the JVM.
            }
        }
    }

    /**
     * Where the agent starts once it is in its own module (called reflectively by {@link AgentModule}), or
     * in the class path's unnamed module when no module could be made for it.
     */
    public static void startHere(String options) {
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
