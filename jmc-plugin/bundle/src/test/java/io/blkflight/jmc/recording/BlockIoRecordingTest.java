package io.blkflight.jmc.recording;

import static org.assertj.core.api.Assertions.assertThat;

import io.blkflight.model.BlockRequest;
import io.blkflight.model.CallTree;
import io.blkflight.model.EventNames;
import io.blkflight.model.JavaLink;
import io.blkflight.model.LinkCounts;

import java.nio.file.Path;

import jdk.jfr.AnnotationElement;
import jdk.jfr.Event;
import jdk.jfr.EventFactory;
import jdk.jfr.Name;
import jdk.jfr.Recording;
import jdk.jfr.ValueDescriptor;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openjdk.jmc.common.item.IItem;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.item.IItemIterable;

/** The plugin's model on real recordings made by the agent, against the trees the report command printed for them. */
class BlockIoRecordingTest {
    private static final List<String> PERFORM = List.of("java.lang.Thread.run", "io.blkflight.it.DirectIoWorkload$$Lambda.run",
            "io.blkflight.it.DirectIoWorkload.lambda$main$0", "io.blkflight.it.DirectIoWorkload.perform");
    private static final List<String> SYSCALL = List.of("entry_SYSCALL_64_after_hwframe", "do_syscall_64");

    private static BlockIoRecording directIo;
    private static BlockIoRecording h2;

    @BeforeAll
    static void read() {
        directIo = Fixtures.read(Fixtures.DIRECT_IO);
        h2 = Fixtures.read(Fixtures.H2_DEMO);
    }

    static Stream<Arguments> recordingsWithReports() {
        return Stream.of(Arguments.of(Fixtures.DIRECT_IO, Fixtures.DIRECT_IO_REPORT, 9),
                Arguments.of(Fixtures.H2_DEMO, Fixtures.H2_DEMO_REPORT, 1_695));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordingsWithReports")
    void buildsTheTreeTheReportPrinted(Path recording, Path report, int requests) {
        BlockIoRecording read = Fixtures.read(recording);
        CallTree tree = RequestTrees.kernelTree(read.requests(), true);
        List<GoldenTree.Line> printed = GoldenTree.parse(Fixtures.lines(report));

        assertThat(tree.root().requests()).as("requests read from %s", recording).isEqualTo(requests);
        assertThat(printed).as("frames printed by the report").isNotEmpty();
        for (GoldenTree.Line line : printed) {
            CallTree.Node node = tree.find(line.path());
            assertThat(node).as("node at %s, printed by the report", line.path()).isNotNull();
            assertThat(GoldenTree.render(node)).as("requests, bytes, p50/p99/max, stages and sites of %s", line.path())
                    .isEqualTo(line.text());
        }
        assertThat(GoldenTree.printedNodes(tree, 0.01)).as("frames with at least 1%% of the requests, all printed by the report")
                .isEqualTo(printed.size());
    }

    @Test
    void linksEveryDirectIoRequestToTheFileEventOfItsCall() {
        LinkCounts links = BlockIoRecording.links(directIo.requests());

        assertThat(links.describe()).as("link rate, as the report's header says it")
                .isEqualTo("linked to a Java stack: 9 of 9 requests issued by Java threads (100.0%: file event 9, "
                        + "native method sample 0, execution sample 0); 0 issued by other threads");
        for (RecordedRequest r : directIo.requests()) {
            assertThat(r.javaEvent()).as("the JDK event that linked the request at sector %d", r.request().sector()).isNotNull();
            assertThat(r.javaEvent().getType().getIdentifier()).as("linking event type")
                    .isIn(EventNames.FILE_READ, EventNames.FILE_WRITE, EventNames.FILE_FORCE);
            assertThat(r.event().getType().getIdentifier()).as("request event type (the agent's default, compact)").isEqualTo(EventNames.COMPACT_REQUEST);
        }
    }

    @Test
    void eachDirectIoRequestNamesTheFileItReadOrWrote() {
        for (RecordedRequest r : directIo.requests()) {
            assertThat(r.request().file()).as("the file of the request at sector %d", r.request().sector())
                    .matches("/tmp/blkflight-fixture(-other)?-mnt\\d+/(data|other)\\.bin");
            assertThat(r.request().fileKind()).isEqualTo("file");
            assertThat(r.request().inode()).isPositive();
        }
    }

    @Test
    void kernelTreeWithoutJavaStacksIsRootedWhereTheKernelWasEntered() {
        CallTree tree = RequestTrees.kernelTree(directIo.requests(), false);

        assertThat(tree.root().children()).extracting(CallTree.Node::frame).as("roots: the system call entry and the softirq thread")
                .containsExactly("entry_SYSCALL_64_after_hwframe", "ret_from_fork_asm");
        assertThat(requestsAt(tree, SYSCALL)).as("all 9 requests were submitted inside a system call").isEqualTo(9);
        // The report prints these under FileChannelImpl.read (6), write (2) and force (1).
        assertThat(requestsAt(tree, concat(SYSCALL, "__x64_sys_pread64"))).as("reads").isEqualTo(6);
        assertThat(requestsAt(tree, concat(SYSCALL, "__x64_sys_pwrite64"))).as("writes").isEqualTo(2);
        assertThat(requestsAt(tree, concat(SYSCALL, "__x64_sys_fsync"))).as("fsync").isEqualTo(1);
        assertThat(allNodes(tree.root())).as("no Java frame in the kernel-only tree")
                .noneMatch(node -> node.kind() == CallTree.Kind.JAVA);
    }

    @Test
    void javaTreeMergesTheLinkedStacksOutermostFirst() {
        CallTree tree = RequestTrees.javaTree(directIo.requests());

        assertThat(requestsAt(tree, PERFORM)).as("the workload's perform(), caller of every request").isEqualTo(9);
        assertThat(requestsAt(tree, concat(PERFORM, "sun.nio.ch.FileChannelImpl.read"))).as("reads").isEqualTo(6);
        assertThat(requestsAt(tree, concat(PERFORM, "sun.nio.ch.FileChannelImpl.write"))).as("writes").isEqualTo(2);
        assertThat(requestsAt(tree, concat(PERFORM, "sun.nio.ch.FileChannelImpl.force"))).as("force").isEqualTo(1);
        assertThat(allNodes(tree.root())).as("no kernel frame in the Java tree")
                .noneMatch(node -> node.kind() == CallTree.Kind.KERNEL);
    }

    @Test
    void aKernelNodeSelectsTheRequestsThroughItAndTheirJavaStacks() {
        List<RecordedRequest> fsync = RequestTrees.throughKernelNode(directIo.requests(), concat(SYSCALL, "__x64_sys_fsync"), false);

        assertThat(fsync).as("requests through __x64_sys_fsync").hasSize(1);
        CallTree java = RequestTrees.javaTree(fsync);
        assertThat(requestsAt(java, concat(PERFORM, "sun.nio.ch.FileChannelImpl.force"))).as("their Java stack").isEqualTo(1);
        assertThat(java.find(concat(PERFORM, "sun.nio.ch.FileChannelImpl.read"))).as("reads are not under fsync").isNull();
    }

    @Test
    void aJavaFrameSelectsTheRequestsItCausedAndTheirKernelPaths() {
        List<RecordedRequest> writes = RequestTrees.throughJavaFrame(directIo.requests(), concat(PERFORM, "sun.nio.ch.FileChannelImpl.write"));

        assertThat(writes).as("requests caused by FileChannelImpl.write").hasSize(2);
        CallTree kernel = RequestTrees.kernelTree(writes, false);
        assertThat(requestsAt(kernel, concat(SYSCALL, "__x64_sys_pwrite64"))).as("their system call").isEqualTo(2);
        assertThat(kernel.find(concat(SYSCALL, "__x64_sys_pread64"))).as("no read path").isNull();
        assertThat(requestsAt(kernel, List.of("ret_from_fork_asm"))).as("their completions in ksoftirqd").isEqualTo(2);
    }

    @Test
    void selectionItemsAreTheRequestEventsAndTheEventsThatLinkedThem() {
        List<RecordedRequest> fsync = RequestTrees.throughKernelNode(directIo.requests(), concat(SYSCALL, "__x64_sys_fsync"), false);
        IItemCollection items = BlockIoRecording.items(fsync);

        assertThat(types(items)).as("event types handed to JMC's selection")
                .containsExactlyInAnyOrder(EventNames.COMPACT_REQUEST, EventNames.FILE_FORCE);
    }

    @Test
    void requestsOutsideASystemCallHaveNoSystemCallStart() {
        List<BlockRequest> none = h2.requests().stream().map(RecordedRequest::request).filter(r -> r.syscall().equals("none")).toList();
        List<BlockRequest> inCall = h2.requests().stream().map(RecordedRequest::request).filter(r -> !r.syscall().equals("none")).toList();

        assertThat(none).as("page faults on mapped files in the H2 recording").hasSize(17);
        assertThat(none).as("requests outside a system call").allMatch(r -> r.syscallStart() == BlockRequest.NOT_AVAILABLE);
        assertThat(inCall).as("requests inside one: it started before the request").allMatch(r -> r.syscallStart() > 0 && r.syscallStart() <= r.start());
    }

    @Test
    void selectsRequestsByTheirSubmissionTime() {
        List<RecordedRequest> all = h2.requests();
        long first = all.get(0).request().start();
        long tenth = all.get(9).request().start();

        assertThat(h2.submittedBetween(first, tenth)).as("first ten requests, bounds included").containsExactlyElementsOf(all.subList(0, 10));
        assertThat(h2.submittedBetween(Long.MIN_VALUE, Long.MAX_VALUE)).as("unbounded").hasSize(all.size());
        assertThat(h2.submittedBetween(tenth + 1, tenth)).as("empty range").isEmpty();
    }

    @Test
    void readsEachRequestsFunctionPathWhereTheRecordingHasOne() {
        BlockIoRecording functions = Fixtures.read(Fixtures.FUNCTIONS_6_12);
        List<BlockRequest> data = functions.requests().stream().map(RecordedRequest::request)
                .filter(r -> r.device().equals("vda") && r.bytes() > 0 && r.syscall().startsWith("p")).toList();

        assertThat(data).as("O_DIRECT requests of the workload on vda").hasSizeGreaterThan(400);
        assertThat(data).as("each with its path from the bio's submission to completion, in order").allSatisfy(r -> {
            List<String> path = r.functionPath().stream().map(io.blkflight.model.FunctionHit::function).toList();
            assertThat(path).contains("submit_bio", "blk_mq_start_request", "blk_update_request");
            assertThat(path.indexOf("submit_bio")).isLessThan(path.indexOf("blk_mq_start_request"));
            assertThat(r.functionPath()).isSortedAccordingTo(java.util.Comparator.comparingLong(io.blkflight.model.FunctionHit::offsetNanos));
        });
        assertThat(h2.requests()).as("a recording without function-level mode: no paths")
                .allMatch(r -> r.request().functionPath().isEmpty() && r.request().functionHitsLost() == 0);
        RecordedRequest first = functions.requests().stream()
                .filter(r -> !r.request().functionPath().isEmpty()).findFirst().orElseThrow();
        assertThat(first.kernelView(false).functionPath()).as("the kernel tree's copy keeps the path")
                .isEqualTo(first.request().functionPath());
    }

    @Test
    void theH2RecordingLinksFileEventsAndLeavesOtherThreadsUnlinked() {
        LinkCounts links = BlockIoRecording.links(h2.requests());

        assertThat(links.linkedBy(JavaLink.Source.FILE_EVENT)).as("linked by file events, as the command counted").isEqualTo(1_578);
        assertThat(links.javaThreads()).as("issued by Java threads").isEqualTo(1_695);
        assertThat(h2.malformed()).as("malformed request events").isZero();
    }

    @Test
    void skipsRequestEventsWithoutBlkflightsFields(@TempDir Path directory) throws Exception {
        // An event of the same name but another shape (another tool, or an agent from before the stack fields).
        EventFactory foreign = EventFactory.create(List.of(new AnnotationElement(Name.class, EventNames.BLOCK_REQUEST)),
                List.of(new ValueDescriptor(String.class, EventNames.Request.DEVICE)));
        Path file = directory.resolve("foreign.jfr");
        try (Recording recording = new Recording()) {
            recording.enable(EventNames.BLOCK_REQUEST);
            recording.start();
            for (int i = 0; i < 3; i++) {
                Event event = foreign.newEvent();
                event.set(0, "vda");
                event.commit();
            }
            recording.stop();
            recording.dump(file);
        }
        BlockIoRecording read = Fixtures.read(file);

        assertThat(read.requests()).as("requests read from events without blkflight's fields").isEmpty();
        assertThat(read.malformed()).as("events counted as skipped").isEqualTo(3);
    }

    static List<String> concat(List<String> path, String frame) {
        return Stream.concat(path.stream(), Stream.of(frame)).toList();
    }

    private static long requestsAt(CallTree tree, List<String> path) {
        CallTree.Node node = tree.find(path);
        assertThat(node).as("node at %s", path).isNotNull();
        return node.requests();
    }

    private static List<CallTree.Node> allNodes(CallTree.Node node) {
        return Stream.concat(Stream.of(node), node.children().stream().flatMap(child -> allNodes(child).stream())).toList();
    }

    private static List<String> types(IItemCollection items) {
        return items.stream().filter(IItemIterable::hasItems).flatMap(iterable -> iterable.stream().map(IItem::getType))
                .map(type -> type.getIdentifier()).toList();
    }

    @Test
    void pageFaultsAreLinkedByTheirFaultStacksToTheAccessThatFaulted() {
        BlockIoRecording faults = Fixtures.read(Fixtures.FAULT_STACKS);

        assertThat(faults.requests()).as("the scans' requests").hasSize(65);
        assertThat(BlockIoRecording.links(faults.requests()).linkedBy(JavaLink.Source.FAULT_STACK)).isEqualTo(65);
        assertThat(faults.requests()).allSatisfy(r -> {
            JavaLink link = r.request().javaLink();
            String scan = r.request().javaThreadName().equals("scanner-a") ? "scanA" : "scanB";
            assertThat(link.source()).isEqualTo(JavaLink.Source.FAULT_STACK);
            // The page faults of the scan, and the open of its file (a metadata read in openat).
            assertThat(link.frames()).as("the stack of %s's request in %s", r.request().javaThreadName(), r.request().syscall())
                    .contains(r.request().syscall().equals("none") ? "io.blkflight.it.MappedScanWorkload." + scan
                            : "java.nio.channels.FileChannel.open");
            assertThat(r.javaEvent()).as("the event that linked it").isNotNull();
            assertThat(r.javaEvent().getType().getIdentifier()).isEqualTo(EventNames.FAULT_STACK);
        });
    }

    /** Virtual threads as the report names them: by name or id, their carrier beside them, linked by their own file events. */
    @Test
    void virtualThreadsAreNamedWithTheirCarriersAndLinked() {
        BlockIoRecording virtual = Fixtures.read(Fixtures.VIRTUAL_THREADS);
        java.util.Map<String, List<BlockRequest>> byThread = virtual.requests().stream().map(RecordedRequest::request)
                .filter(r -> r.javaThreadName() != null)
                .collect(java.util.stream.Collectors.groupingBy(BlockRequest::javaThreadName));
        for (int i = 0; i < 8; i++) {
            List<BlockRequest> reader = byThread.get("vt-reader-" + i);
            assertThat(reader).as("requests of vt-reader-%d", i).hasSize(200).allSatisfy(r -> {
                assertThat(r.virtualThread()).isTrue();
                assertThat(r.carrierThreadName()).startsWith("ForkJoinPool-");
            });
            assertThat(reader.stream().filter(r -> r.javaLink().frames().stream()
                    .anyMatch(frame -> frame.endsWith("VirtualThreadsWorkload.readDirect"))).count())
                    .as("requests of vt-reader-%d linked to its read call", i).isGreaterThanOrEqualTo(190);
        }
        assertThat(byThread.keySet().stream().filter(name -> name.startsWith("VirtualThread#")))
                .as("unnamed virtual threads, by id").hasSize(8);
        assertThat(byThread.get("pt-reader-0")).as("a platform thread").hasSize(200).noneMatch(BlockRequest::virtualThread);
        assertThat(byThread.get("custom-carrier")).as("a carrier's own requests between mounts").hasSize(100)
                .noneMatch(BlockRequest::virtualThread);
        assertThat(byThread.get("vt-custom-0")).hasSize(50).allMatch(r -> "custom-carrier".equals(r.carrierThreadName()));
        assertThat(byThread.keySet()).as("no request left with a carrier of the default scheduler")
                .noneMatch(name -> name.startsWith("ForkJoinPool-"));
        assertThat(virtual.requests().stream().map(RecordedRequest::request)
                .filter(r -> io.blkflight.model.ThreadGrouping.PREFIX.label(r).equals("vt-reader-*")).count())
                .as("the readers grouped by name prefix").isEqualTo(1_600);
    }
}
