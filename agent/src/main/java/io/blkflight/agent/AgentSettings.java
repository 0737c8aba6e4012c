package io.blkflight.agent;

import io.blkflight.model.EventNames;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

import jdk.jfr.Configuration;

/** The JFR settings of the agent's own recording: the JDK's defaults plus blkflight.jfc. */
public final class AgentSettings {
    /** blkflight's settings file, next to this class in the agent jar. */
    public static final String RESOURCE = "blkflight.jfc";

    private AgentSettings() {
    }

    /**
     * The JDK's default settings, blkflight's, and file reads and writes recorded from the link threshold on,
     * or not at all without one, at most at the link rate (JFR's throttle: "1000/s", or "off").
     */
    public static Map<String, String> recordingSettings(OptionalLong linkThresholdNanos, String linkRate)
            throws IOException, ParseException {
        Map<String, String> settings = new HashMap<>(Configuration.getConfiguration("default").getSettings());
        settings.putAll(blkflight().getSettings());
        for (String event : new String[] {EventNames.FILE_READ, EventNames.FILE_WRITE}) {
            if (linkThresholdNanos.isPresent()) {
                settings.put(event + "#threshold", linkThresholdNanos.getAsLong() + " ns");
                settings.put(event + "#throttle", linkRate);
            } else {
                settings.put(event + "#enabled", "false");
            }
        }
        return settings;
    }

    /**
     * The settings of the push's JFR stream: blkflight's, file events as for the agent's recording, and method
     * samples as the JDK's default profile takes them (20 ms): what links requests to Java calls, and nothing else.
     */
    public static Map<String, String> pushSettings(OptionalLong linkThresholdNanos, String linkRate)
            throws IOException, ParseException {
        Map<String, String> settings = new HashMap<>(blkflight().getSettings());
        for (String event : new String[] {EventNames.FILE_READ, EventNames.FILE_WRITE}) {
            if (linkThresholdNanos.isPresent()) {
                settings.put(event + "#threshold", linkThresholdNanos.getAsLong() + " ns");
                settings.put(event + "#throttle", linkRate);
            } else {
                settings.put(event + "#enabled", "false");
            }
        }
        for (String event : new String[] {EventNames.EXECUTION_SAMPLE, EventNames.NATIVE_METHOD_SAMPLE}) {
            settings.put(event + "#enabled", "true");
            settings.put(event + "#period", "20 ms");
        }
        return settings;
    }

    /** Whether this JDK's file reads can be throttled (JDK 25 and later): the link rate needs it. */
    public static boolean fileEventsThrottle() {
        return jdk.jfr.FlightRecorder.getFlightRecorder().getEventTypes().stream()
                .filter(type -> type.getName().equals(EventNames.FILE_READ))
                .flatMap(type -> type.getSettingDescriptors().stream())
                .anyMatch(setting -> setting.getName().equals("throttle"));
    }

    /** blkflight's own settings, as shipped in the agent jar. */
    public static Configuration blkflight() throws IOException, ParseException {
        try (InputStream in = AgentSettings.class.getResourceAsStream(RESOURCE);
             Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return Configuration.create(reader);
        }
    }
}
