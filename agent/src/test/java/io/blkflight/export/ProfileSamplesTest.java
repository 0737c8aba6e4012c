package io.blkflight.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.blkflight.model.BlockRequest;
import io.blkflight.model.JavaLink;
import io.blkflight.model.Stage;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class ProfileSamplesTest {
    static final List<String> SUBMIT = List.of("submit_bio_noacct_nocheck+0x22d", "iomap_dio_bio_iter+0x319",
            "ext4_file_read_iter+0x18b", "__x64_sys_pread64+0xa3", "entry_SYSCALL_64_after_hwframe+0x76");
    static final List<String> FLUSHER = List.of("submit_bio_noacct_nocheck+0x22d", "ext4_writepages+0x10",
            "wb_workfn+0x2f", "kthread+0xf8");
    static final JavaLink READER = new JavaLink(JavaLink.Source.FILE_EVENT,
            List.of("sun.nio.ch.FileChannelImpl.read", "app.Store$Segment.load", "java.lang.Thread.run"), List.of(108, 42, -1));

    private static BlockRequest.Builder read(long start, long duration, int kind) {
        return BlockRequest.builder().time(start, duration).where("loop0", "7:0", "read", "sync", 17026, 4096)
                .stages(2_000, BlockRequest.NOT_AVAILABLE, 5_000, duration - 5_000)
                .issuer(100, 101, "reader", "reader", 7)
                .syscall("pread64", start - 1_000)
                .sampleKind(kind)
                .file("/data/store.db", "file", 12, 0);
    }

    private static BlockRequest linked(BlockRequest request, JavaLink link) {
        request.link(link);
        return request;
    }

    private static String stack(ProfileSamples.Sample sample) {
        return sample.stack().stream().map(ProfileSamples.Frame::function).collect(Collectors.joining(";"));
    }

    @Test
    void aRequestIsOneSampleOfItsJavaFramesAboveItsSubmissionStack() {
        ProfileSamples samples = new ProfileSamples(false);
        samples.add(linked(read(1_000_000, 50_000, 1).kernelStack(Stage.SUBMIT, SUBMIT, true)
                .kernelStack(Stage.COMPLETE, List.of("blk_update_request+0x1df", "run_ksoftirqd+0x2f"), false).build(), READER));
        samples.add(linked(read(2_000_000, 30_000, 1).kernelStack(Stage.SUBMIT, SUBMIT, true).build(), READER));

        assertThat(samples.samples()).singleElement().satisfies(sample -> {
            assertThat(stack(sample)).as("leaf first: the stage, the submission's kernel frames, the Java frames")
                    .isEqualTo("[submit];submit_bio_noacct_nocheck;iomap_dio_bio_iter;ext4_file_read_iter;__x64_sys_pread64;"
                            + "entry_SYSCALL_64_after_hwframe;sun.nio.ch.FileChannelImpl.read;app.Store$Segment.load;java.lang.Thread.run");
            assertThat(sample.values()).as("requests, bytes, latency, queue, service: added up")
                    .containsExactly(2, 8192, 80_000, 10_000, 70_000);
            assertThat(sample.labels()).containsExactly(java.util.Map.entry("device", "loop0"),
                    java.util.Map.entry("operation", "read"), java.util.Map.entry("thread", "reader"),
                    java.util.Map.entry("syscall", "pread64"), java.util.Map.entry("file", "/data/store.db"),
                    java.util.Map.entry("origin", "thread"));
            ProfileSamples.Frame load = sample.stack().get(7);
            assertThat(load).as("a Java frame names its line and the source file of its outer class")
                    .isEqualTo(new ProfileSamples.Frame("app.Store$Segment.load", ProfileSamples.FrameKind.JAVA, "app/Store.java", 42));
            assertThat(sample.stack().get(8).line()).as("an unknown line is 0").isZero();
            assertThat(sample.stack().get(1).kind()).isEqualTo(ProfileSamples.FrameKind.KERNEL);
        });
    }

    @Test
    void writebackHangsBelowTheDirtyingCallAndNamesTheDirtierAsItsThread() {
        ProfileSamples samples = new ProfileSamples(false);
        BlockRequest writeback = BlockRequest.builder().time(1_000_000, 90_000).where("vda", "254:0", "write", "", 10, 65536)
                .issuer(0, 55, "kworker/u8:2", "appender", 9)
                .writeback("periodic", "pages", 1, 500_000)
                .kernelStack(Stage.SUBMIT, FLUSHER, true)
                .file("/data/app.log", "file", 13, 0).build();
        samples.add(linked(writeback, new JavaLink(JavaLink.Source.FILE_EVENT, List.of("app.Log.append"), List.of(7))));

        ProfileSamples.Sample sample = samples.samples().get(0);
        assertThat(stack(sample)).isEqualTo("[submit];submit_bio_noacct_nocheck;ext4_writepages;wb_workfn;kthread;"
                + "[writeback: periodic];app.Log.append");
        assertThat(sample.labels()).containsEntry("thread", "appender").containsEntry("origin", "writeback")
                .containsEntry("writeback", "periodic").containsEntry("syscall", "none");
    }

    @Test
    void aRequestWithoutStacksSaysWhyItHasNeither() {
        ProfileSamples samples = new ProfileSamples(false);
        samples.add(read(1_000_000, 10_000, 1).issuer(100, 5, "jbd2/vda-8", null, -1).build());

        assertThat(stack(samples.samples().get(0))).isEqualTo("[no kernel stack];(not a Java thread)");
    }

    @Test
    void sampledStacksStandForTheirKindAndKeepTheTotals() {
        ProfileSamples samples = new ProfileSamples(true);
        // Kind 1: 10 requests, two picked at weight 4 and 1 (the kernel's stride), the rest without stacks.
        for (int i = 0; i < 10; i++) {
            BlockRequest.Builder request = read(1_000_000L * i, 10_000, 1);
            if (i == 0) {
                request.kernelStack(Stage.SUBMIT, SUBMIT, true).stackWeight(4);
            } else if (i == 5) {
                request.kernelStack(Stage.SUBMIT, List.of("submit_bio+0x1", "__x64_sys_pread64+0xa3"), true).stackWeight(1);
            }
            samples.add(linked(request.build(), READER));
        }
        // Kind 2: 3 requests, none picked: kept as they are.
        for (int i = 0; i < 3; i++) {
            samples.add(linked(read(50_000_000L + i, 20_000, 2).build(), READER));
        }

        List<ProfileSamples.Sample> all = samples.samples();
        long requests = all.stream().mapToLong(s -> s.values()[0]).sum();
        long bytes = all.stream().mapToLong(s -> s.values()[1]).sum();
        assertThat(requests).as("requests add up to the selection's").isEqualTo(13);
        assertThat(bytes).as("bytes add up to the selection's").isEqualTo(13 * 4096);
        assertThat(all).as("kind 1's picks in the proportion of their weights (4:1 of 10), kind 2 as recorded")
                .extracting(s -> stack(s).split(";")[1] + "=" + s.values()[0])
                .containsExactlyInAnyOrder("submit_bio_noacct_nocheck=8", "submit_bio=2", "sun.nio.ch.FileChannelImpl.read=3");
        assertThat(samples.weights().unrepresented()).isEqualTo(3);
    }

    @Test
    void pastItsBoundARequestJoinsTheSampleWithoutItsFileOrIsCounted() {
        ProfileSamples samples = new ProfileSamples(false, 2);
        samples.add(linked(read(1, 10, 1).file("/a", "file", 1, 0).build(), READER));
        samples.add(linked(read(2, 10, 1).file("", "", 0, 0).build(), READER));
        samples.add(linked(read(3, 10, 1).file("/c", "file", 3, 0).build(), READER));
        samples.add(linked(read(4, 10, 1).file("/d", "file", 4, 0).where("loop0", "7:0", "write", "sync", 1, 4096).build(), READER));

        assertThat(samples.samples()).hasSize(2);
        assertThat(Arrays.stream(samples.samples().stream().mapToLong(s -> s.values()[0]).toArray()).sum()).isEqualTo(3);
        assertThat(samples.overflow()).isEqualTo(1);
    }

    @Test
    void sourceFilesComeFromTheOuterClass() {
        assertThat(ProfileSamples.sourceFile("org.h2.mvstore.FileStore$1.run")).isEqualTo("org/h2/mvstore/FileStore.java");
        assertThat(ProfileSamples.sourceFile("Main.main")).isEqualTo("Main.java");
    }
}
