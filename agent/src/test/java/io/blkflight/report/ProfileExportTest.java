package io.blkflight.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.perftools.profiles.ProfileProto;

import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.profiles.v1development.Profile;
import io.opentelemetry.proto.profiles.v1development.ProfilesDictionary;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;

/**
 * {@code export --format pprof|otlp} of the checked-in recording (9 requests of 4 threads, every request's kernel
 * stacks), read back by each format's reference tool: Go's own {@code go tool pprof}, and protoc decoding with
 * OTLP's published definitions; and parsed with the Java generated from those definitions, for exact checks.
 */
class ProfileExportTest {
    @Test
    void goToolPprofReadsWhatTheGoldenFileHolds() throws Exception {
        assertThat(ExportGolden.pprof()).isEqualTo(Files.readString(FixtureRecording.GOLDEN.resolve(ExportGolden.PPROF)));
    }

    @Test
    void protocDecodesWhatTheGoldenFileHolds() throws Exception {
        assertThat(ExportGolden.otlp()).isEqualTo(Files.readString(FixtureRecording.GOLDEN.resolve(ExportGolden.OTLP)));
    }

    @Test
    void goToolPprofShowsTheSampleTypesTopFunctionsAndLabels() throws Exception {
        Path file = ExportGolden.export("pprof");
        try {
            String raw = ExportGolden.run(List.of("go", "tool", "pprof", "-raw", file.toString()), null);
            assertThat(raw).as("sample types, latency the default")
                    .contains("requests/count bytes/bytes latency/nanoseconds[dflt] queue/nanoseconds service/nanoseconds");

            String top = ExportGolden.run(List.of("go", "tool", "pprof", "-top", "-cum", "-sample_index=requests",
                    file.toString()), null);
            assertThat(top).as("every request under the workload's call and a system call entry")
                    .containsPattern("\\s0\\s+0%\\s+\\S+\\s+9\\s+100%\\s+io\\.blkflight\\.it\\.DirectIoWorkload\\.perform\\n")
                    .containsPattern("\\s9\\s+100%\\s+100%\\s+9\\s+100%\\s+\\[submit\\]\\n")
                    .containsPattern("\\s6\\s+66\\.67%\\s+__x64_sys_pread64\\n")
                    .containsPattern("\\s1\\s+11\\.11%\\s+__x64_sys_fsync\\n");

            String tags = ExportGolden.run(List.of("go", "tool", "pprof", "-tags", "-sample_index=requests",
                    file.toString()), null);
            assertThat(tags).as("labels of the requests")
                    .containsPattern("thread: Total 9\\.0\\s+3\\.0 \\(33\\.33%\\): reader-1\\s+3\\.0 \\(33\\.33%\\): reader-2\\s+"
                            + "2\\.0 \\(22\\.22%\\): writer-1\\s+1\\.0 \\(11\\.11%\\): syncer")
                    .containsPattern("syscall: Total 9\\.0\\s+6\\.0 \\(66\\.67%\\): pread64\\s+2\\.0 \\(22\\.22%\\): pwrite64\\s+1\\.0 \\(11\\.11%\\): fsync")
                    .containsPattern("device: Total 9\\.0\\s+8\\.0 \\(88\\.89%\\): loop\\d+\\s+1\\.0 \\(11\\.11%\\): loop\\d+")
                    .containsPattern("file: Total 9\\.0\\s+8\\.0 \\(88\\.89%\\): \\S+/data\\.bin\\s+1\\.0 \\(11\\.11%\\): \\S+/other\\.bin")
                    .containsPattern("operation: Total 9\\.0\\s+6\\.0 \\(66\\.67%\\): read\\s+3\\.0 \\(33\\.33%\\): write")
                    .containsPattern("origin: Total 9\\.0\\s+9\\.0 \\(  100%\\): thread");

            Path reader = ExportGolden.export("pprof", "--thread", "reader-1");
            String filtered = ExportGolden.run(List.of("go", "tool", "pprof", "-top", "-sample_index=bytes", reader.toString()), null);
            Files.delete(reader);
            assertThat(filtered).as("the report's filters select the requests (3 of 4 KiB)").contains("Total samples = 12kB");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void otlpHoldsOneProfilePerValueTypeOverOneDictionary() throws Exception {
        Path otlpFile = ExportGolden.export("otlp");
        Path pprofFile = ExportGolden.export("pprof");
        try {
            ExportProfilesServiceRequest request = ExportProfilesServiceRequest.parseFrom(Files.readAllBytes(otlpFile));
            ProfilesDictionary dictionary = request.getDictionary();
            assertThat(dictionary.getStringTable(0)).as("string_table[0] is \"\"").isEmpty();
            assertThat(List.of(dictionary.getMappingTable(0).getSerializedSize(), dictionary.getLocationTable(0).getSerializedSize(),
                    dictionary.getFunctionTable(0).getSerializedSize(), dictionary.getAttributeTable(0).getSerializedSize(),
                    dictionary.getStackTable(0).getSerializedSize()))
                    .as("each table's entry 0 is its zero value").containsOnly(0);
            assertThat(dictionary.getLinkTable(0).getTraceId().size()).isEqualTo(16);

            assertThat(request.getResourceProfilesList()).singleElement().satisfies(resource -> {
                assertThat(resource.getResource().getAttributesList()).extracting(a -> a.getKey() + "=" + a.getValue().getStringValue())
                        .containsExactly("service.name=fixture", "host.name=host-1");
                assertThat(resource.getScopeProfiles(0).getScope().getName()).isEqualTo("blkflight");
            });
            List<Profile> profiles = request.getResourceProfiles(0).getScopeProfiles(0).getProfilesList();
            assertThat(profiles).extracting(p -> dictionary.getStringTable(p.getSampleType().getTypeStrindex()) + "/"
                    + dictionary.getStringTable(p.getSampleType().getUnitStrindex()))
                    .containsExactly("requests/count", "bytes/bytes", "latency/nanoseconds", "queue/nanoseconds", "service/nanoseconds");

            ProfileProto.Profile pprof;
            try (InputStream in = new GZIPInputStream(Files.newInputStream(pprofFile))) {
                pprof = ProfileProto.Profile.parseFrom(in);
            }
            for (int type = 0; type < profiles.size(); type++) {
                int index = type;
                long otlpTotal = profiles.get(type).getSamplesList().stream().mapToLong(s -> s.getValues(0)).sum();
                long pprofTotal = pprof.getSampleList().stream().mapToLong(s -> s.getValue(index)).sum();
                assertThat(otlpTotal).as("%s: the same totals in both formats", profiles.get(type).getSampleType()).isEqualTo(pprofTotal);
            }
            assertThat(profiles.get(0).getSamplesList().stream().mapToLong(s -> s.getValues(0)).sum()).isEqualTo(9);
            assertThat(profiles.get(1).getSamplesList().stream().mapToLong(s -> s.getValues(0)).sum()).isEqualTo(9 * 4096);

            // A read's sample: its attributes and its stack from the leaf.
            var read = profiles.get(2).getSamplesList().stream().filter(sample -> sample.getAttributeIndicesList().stream()
                    .map(dictionary::getAttributeTable).anyMatch(a -> dictionary.getStringTable(a.getKeyStrindex()).equals("thread")
                            && a.getValue().getStringValue().equals("reader-2"))).findFirst().orElseThrow();
            Map<String, String> attributes = read.getAttributeIndicesList().stream()
                    .map(dictionary::getAttributeTable)
                    .collect(Collectors.toMap(a -> dictionary.getStringTable(a.getKeyStrindex()), a -> a.getValue().getStringValue()));
            assertThat(attributes).containsEntry("thread", "reader-2").containsEntry("syscall", "pread64")
                    .containsEntry("origin", "thread");
            assertThat(attributes.get("device")).startsWith("loop");
            assertThat(attributes.get("file")).endsWith(".bin");
            List<String> stack = dictionary.getStackTable(read.getStackIndex()).getLocationIndicesList()
                    .stream().map(dictionary::getLocationTable)
                    .map(l -> dictionary.getStringTable(dictionary.getFunctionTable(l.getLines(0).getFunctionIndex()).getNameStrindex()))
                    .collect(Collectors.toList());
            assertThat(stack.get(0)).isEqualTo("[submit]");
            assertThat(stack).contains("__x64_sys_pread64", "sun.nio.ch.FileChannelImpl.read");
            assertThat(stack.indexOf("__x64_sys_pread64")).as("kernel frames below the Java frames")
                    .isLessThan(stack.indexOf("sun.nio.ch.FileChannelImpl.read"));
        } finally {
            Files.deleteIfExists(otlpFile);
            Files.deleteIfExists(pprofFile);
        }
    }
}
