package io.blkflight.export;

import java.util.List;

/**
 * What a profile says about where its requests come from.
 *
 * @param service  the service's name (OTLP's service.name, Pyroscope's application name)
 * @param host     the host's name, "" when not known
 * @param comments lines that say what the profile holds (pprof's comments; OTLP has no place for them)
 */
public record ProfileInfo(String service, String host, List<String> comments) {
    public ProfileInfo {
        comments = List.copyOf(comments);
    }
}
