package io.blkflight.export;

import com.google.perftools.profiles.ProfileProto;


import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Requests as a pprof profile: pprof's {@code profile.proto} (perftools.profiles.Profile), gzipped as pprof
 * stores it on disk, written with the Java generated from that definition. The samples are {@link ProfileSamples}'
 * with string labels; Java frames are functions of a "[jvm]" mapping with their file and line, kernel frames functions
 * of a "[kernel]" mapping; the preferred value is latency.
 */
public final class PprofExport {
    private static final long JVM_MAPPING = 1;
    private static final long KERNEL_MAPPING = 2;

    private final ProfileSamples samples;
    private final ProfileInfo info;

    public PprofExport(ProfileSamples samples, ProfileInfo info) {
        this.samples = samples;
        this.info = info;
    }

    /** The gzipped profile's bytes, as pprof stores a profile on disk. */
    public byte[] toBytes() throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        GZIPOutputStream gzip = new GZIPOutputStream(bytes);
        profile().writeTo(gzip);
        gzip.finish();
        return bytes.toByteArray();
    }

    /** The profile message. */
    ProfileProto.Profile profile() {
        Strings strings = new Strings();
        ProfileProto.Profile.Builder profile = ProfileProto.Profile.newBuilder();
        for (ProfileSamples.ValueType type : ProfileSamples.VALUE_TYPES) {
            profile.addSampleType(ProfileProto.ValueType.newBuilder()
                    .setType(strings.index(type.type())).setUnit(strings.index(type.unit())));
        }
        profile.setDefaultSampleType(strings.index(ProfileSamples.VALUE_TYPES.get(ProfileSamples.LATENCY).type()));
        profile.addMapping(ProfileProto.Mapping.newBuilder().setId(JVM_MAPPING).setFilename(strings.index("[jvm]"))
                .setHasFunctions(true).setHasFilenames(true).setHasLineNumbers(true));
        profile.addMapping(ProfileProto.Mapping.newBuilder().setId(KERNEL_MAPPING).setFilename(strings.index("[kernel]"))
                .setHasFunctions(true));
        Map<ProfileSamples.Frame, Long> locations = new HashMap<>();
        Map<List<Object>, Long> functions = new HashMap<>();
        for (ProfileSamples.Sample sample : samples.samples()) {
            ProfileProto.Sample.Builder builder = ProfileProto.Sample.newBuilder();
            for (ProfileSamples.Frame frame : sample.stack()) {
                Long location = locations.get(frame);
                if (location == null) {
                    List<Object> functionKey = List.of(frame.function(), frame.file());
                    Long function = functions.get(functionKey);
                    if (function == null) {
                        function = (long) functions.size() + 1;
                        functions.put(functionKey, function);
                        profile.addFunction(ProfileProto.Function.newBuilder().setId(function)
                                .setName(strings.index(frame.function())).setSystemName(strings.index(frame.function()))
                                .setFilename(strings.index(frame.file())));
                    }
                    location = (long) locations.size() + 1;
                    locations.put(frame, location);
                    ProfileProto.Location.Builder built = ProfileProto.Location.newBuilder().setId(location)
                            .addLine(ProfileProto.Line.newBuilder().setFunctionId(function).setLine(frame.line()));
                    if (frame.kind() != ProfileSamples.FrameKind.PSEUDO) {
                        built.setMappingId(frame.kind() == ProfileSamples.FrameKind.JAVA ? JVM_MAPPING : KERNEL_MAPPING);
                    }
                    profile.addLocation(built);
                }
                builder.addLocationId(location);
            }
            for (long value : sample.values()) {
                builder.addValue(value);
            }
            sample.labels().forEach((key, value) -> builder.addLabel(ProfileProto.Label.newBuilder()
                    .setKey(strings.index(key)).setStr(strings.index(value))));
            profile.addSample(builder);
        }
        if (samples.requests() > 0) {
            profile.setTimeNanos(samples.firstStart());
            profile.setDurationNanos(Math.max(0, samples.lastEnd() - samples.firstStart()));
        }
        for (String comment : info.comments()) {
            profile.addComment(strings.index(comment));
        }
        profile.addAllStringTable(strings.table);
        return profile.build();
    }

    /** pprof's string table: index 0 is "". */
    private static final class Strings {
        final List<String> table = new java.util.ArrayList<>(List.of(""));
        final Map<String, Long> indexes = new HashMap<>(Map.of("", 0L));

        long index(String text) {
            return indexes.computeIfAbsent(text, t -> {
                table.add(t);
                return (long) table.size() - 1;
            });
        }
    }
}
