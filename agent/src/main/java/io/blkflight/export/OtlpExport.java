package io.blkflight.export;

import com.google.protobuf.ByteString;

import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.profiles.v1development.Function;
import io.opentelemetry.proto.profiles.v1development.KeyValueAndUnit;
import io.opentelemetry.proto.profiles.v1development.Line;
import io.opentelemetry.proto.profiles.v1development.Link;
import io.opentelemetry.proto.profiles.v1development.Location;
import io.opentelemetry.proto.profiles.v1development.Mapping;
import io.opentelemetry.proto.profiles.v1development.Profile;
import io.opentelemetry.proto.profiles.v1development.ProfilesDictionary;
import io.opentelemetry.proto.profiles.v1development.ResourceProfiles;
import io.opentelemetry.proto.profiles.v1development.Sample;
import io.opentelemetry.proto.profiles.v1development.ScopeProfiles;
import io.opentelemetry.proto.profiles.v1development.Stack;
import io.opentelemetry.proto.profiles.v1development.ValueType;
import io.opentelemetry.proto.resource.v1.Resource;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Requests as OpenTelemetry profiles (OTLP Profiles, {@code v1development}): an {@code ExportProfilesServiceRequest}
 * as an OTLP/HTTP exporter posts it (its bytes are also those of a {@code ProfilesData}), written with the Java
 * generated from opentelemetry-proto's definitions. One resource (service.name, host.name), one scope (blkflight),
 * and one profile per value type of {@link ProfileSamples} (this version of OTLP gives each profile one sample type),
 * all sharing one dictionary; a sample's labels are its attributes, and each location says its frame type
 * ({@code profile.frame.type}: jvm or kernel).
 */
public final class OtlpExport {
    /** Where an OTLP/HTTP receiver takes profiles. */
    public static final String HTTP_PATH = "/v1development/profiles";
    static final String SCOPE = "blkflight";
    private static final SecureRandom IDS = new SecureRandom();

    private final ProfileSamples samples;
    private final ProfileInfo info;
    private final String version;

    /** @param version blkflight's version, the scope's */
    public OtlpExport(ProfileSamples samples, ProfileInfo info, String version) {
        this.samples = samples;
        this.info = info;
        this.version = version;
    }

    /** The request's bytes. */
    public byte[] toBytes() {
        return request().toByteArray();
    }

    ExportProfilesServiceRequest request() {
        Dictionary dictionary = new Dictionary();
        List<ProfileSamples.Sample> all = samples.samples();
        List<Integer> stacks = new ArrayList<>(all.size());
        List<List<Integer>> attributes = new ArrayList<>(all.size());
        for (ProfileSamples.Sample sample : all) {
            stacks.add(dictionary.stack(sample.stack()));
            List<Integer> indexes = new ArrayList<>();
            sample.labels().forEach((key, value) -> indexes.add(dictionary.attribute(key, value)));
            attributes.add(indexes);
        }
        ScopeProfiles.Builder scope = ScopeProfiles.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName(SCOPE).setVersion(version));
        for (int type = 0; type < ProfileSamples.VALUE_TYPES.size(); type++) {
            ProfileSamples.ValueType valueType = ProfileSamples.VALUE_TYPES.get(type);
            byte[] id = new byte[16];
            IDS.nextBytes(id);
            Profile.Builder profile = Profile.newBuilder()
                    .setSampleType(ValueType.newBuilder().setTypeStrindex(dictionary.string(valueType.type()))
                            .setUnitStrindex(dictionary.string(valueType.unit())))
                    .setProfileId(ByteString.copyFrom(id));
            if (samples.requests() > 0) {
                profile.setTimeUnixNano(samples.firstStart())
                        .setDurationNano(Math.max(0, samples.lastEnd() - samples.firstStart()));
            }
            for (int i = 0; i < all.size(); i++) {
                long value = all.get(i).values()[type];
                if (value != 0) {
                    profile.addSamples(Sample.newBuilder().setStackIndex(stacks.get(i))
                            .addAllAttributeIndices(attributes.get(i)).addValues(value));
                }
            }
            scope.addProfiles(profile);
        }
        Resource.Builder resource = Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue(info.service())));
        if (!info.host().isEmpty()) {
            resource.addAttributes(KeyValue.newBuilder().setKey("host.name")
                    .setValue(AnyValue.newBuilder().setStringValue(info.host())));
        }
        return ExportProfilesServiceRequest.newBuilder()
                .addResourceProfiles(ResourceProfiles.newBuilder().setResource(resource).addScopeProfiles(scope))
                .setDictionary(dictionary.build())
                .build();
    }

    /** The shared tables; index 0 of each holds its zero value, as the definition requires. */
    private static final class Dictionary {
        private final ProfilesDictionary.Builder tables = ProfilesDictionary.newBuilder()
                .addMappingTable(Mapping.getDefaultInstance())
                .addLocationTable(Location.getDefaultInstance())
                .addFunctionTable(Function.getDefaultInstance())
                .addLinkTable(Link.newBuilder().setTraceId(ByteString.copyFrom(new byte[16]))
                        .setSpanId(ByteString.copyFrom(new byte[8])))
                .addStringTable("")
                .addAttributeTable(KeyValueAndUnit.getDefaultInstance())
                .addStackTable(Stack.getDefaultInstance());
        private final Map<String, Integer> strings = new HashMap<>(Map.of("", 0));
        private final Map<List<String>, Integer> attributes = new HashMap<>();
        private final Map<List<Object>, Integer> functions = new HashMap<>();
        private final Map<ProfileSamples.Frame, Integer> locations = new HashMap<>();
        private final Map<List<ProfileSamples.Frame>, Integer> stacks = new HashMap<>();
        private int jvmMapping;
        private int kernelMapping;

        int string(String text) {
            Integer index = strings.get(text);
            if (index == null) {
                index = tables.getStringTableCount();
                tables.addStringTable(text);
                strings.put(text, index);
            }
            return index;
        }

        int attribute(String key, String value) {
            return attributes.computeIfAbsent(List.of(key, value), k -> {
                tables.addAttributeTable(KeyValueAndUnit.newBuilder().setKeyStrindex(string(key))
                        .setValue(AnyValue.newBuilder().setStringValue(value)));
                return tables.getAttributeTableCount() - 1;
            });
        }

        private int mapping(ProfileSamples.FrameKind kind) {
            if (kind == ProfileSamples.FrameKind.JAVA) {
                if (jvmMapping == 0) {
                    tables.addMappingTable(Mapping.newBuilder().setFilenameStrindex(string("[jvm]")));
                    jvmMapping = tables.getMappingTableCount() - 1;
                }
                return jvmMapping;
            }
            if (kernelMapping == 0) {
                tables.addMappingTable(Mapping.newBuilder().setFilenameStrindex(string("[kernel]")));
                kernelMapping = tables.getMappingTableCount() - 1;
            }
            return kernelMapping;
        }

        private int location(ProfileSamples.Frame frame) {
            Integer index = locations.get(frame);
            if (index == null) {
                int function = functions.computeIfAbsent(List.of(frame.function(), frame.file()), key -> {
                    tables.addFunctionTable(Function.newBuilder().setNameStrindex(string(frame.function()))
                            .setSystemNameStrindex(string(frame.function())).setFilenameStrindex(string(frame.file())));
                    return tables.getFunctionTableCount() - 1;
                });
                Location.Builder location = Location.newBuilder()
                        .addLines(Line.newBuilder().setFunctionIndex(function).setLine(frame.line()));
                if (frame.kind() != ProfileSamples.FrameKind.PSEUDO) {
                    location.setMappingIndex(mapping(frame.kind()))
                            .addAttributeIndices(attribute("profile.frame.type",
                                    frame.kind() == ProfileSamples.FrameKind.JAVA ? "jvm" : "kernel"));
                }
                tables.addLocationTable(location);
                index = tables.getLocationTableCount() - 1;
                locations.put(frame, index);
            }
            return index;
        }

        int stack(List<ProfileSamples.Frame> frames) {
            Integer index = stacks.get(frames);
            if (index == null) {
                Stack.Builder stack = Stack.newBuilder();
                for (ProfileSamples.Frame frame : frames) {
                    stack.addLocationIndices(location(frame));
                }
                tables.addStackTable(stack);
                index = tables.getStackTableCount() - 1;
                stacks.put(frames, index);
            }
            return index;
        }

        ProfilesDictionary build() {
            return tables.build();
        }
    }
}
