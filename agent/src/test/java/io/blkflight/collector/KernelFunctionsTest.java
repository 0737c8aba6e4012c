package io.blkflight.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blkflight.collector.KernelFunctions.Candidate;
import io.blkflight.collector.KernelFunctions.Kind;
import io.blkflight.collector.KernelFunctions.Selection;
import io.blkflight.collector.KernelFunctions.Skipped;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Function-level mode's choice of functions: discovery against this machine's own BTF (the native code
 * that walks it), the globs, the traceability checks, the cap.
 */
class KernelFunctionsTest {
    private static final Path KERNEL_BTF = Path.of("/sys/kernel/btf/vmlinux");

    @TempDir
    Path directory;

    @BeforeAll
    static void loadLibrary() throws Exception {
        NativeLibrary.load(null);
    }

    private static Optional<Candidate> find(List<Candidate> candidates, String name) {
        return candidates.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    @Test
    void findsTheBlockLayersFunctionsInTheKernelsBtfWithTheRightArgument() throws Exception {
        List<Candidate> found = KernelFunctions.parseDiscovery(NativeCollector.discoverFunctions(null));

        assertThat(found).hasSizeGreaterThan(100);
        assertThat(find(found, "blk_mq_start_request")).get().extracting(Candidate::argument, Candidate::kind)
                .containsExactly(0, Kind.REQUEST);
        assertThat(find(found, "blk_mq_try_issue_directly")).as("(hctx, rq)").get()
                .extracting(Candidate::argument, Candidate::kind).containsExactly(1, Kind.REQUEST);
        assertThat(find(found, "attempt_merge")).as("(q, req, next): the first request").get()
                .extracting(Candidate::argument, Candidate::kind).containsExactly(1, Kind.REQUEST);
        assertThat(find(found, "submit_bio")).get().extracting(Candidate::argument, Candidate::kind)
                .containsExactly(0, Kind.BIO);
        assertThat(find(found, "elv_merge")).as("(q, struct request **, bio): a request ** is not a request *").get()
                .extracting(Candidate::argument, Candidate::kind).containsExactly(2, Kind.BIO);
        assertThat(find(found, "blk_mq_free_request")).isPresent();
        assertThat(found).allSatisfy(c -> assertThat(c.argument()).isBetween(0, 5));
        assertThat(find(found, "vfs_read")).as("takes neither").isEmpty();
    }

    @Test
    void readsTheSameFromABtfFileAsFromTheKernel() throws Exception {
        Path copy = Files.copy(KERNEL_BTF, directory.resolve("vmlinux.btf"));

        List<Candidate> fromFile = KernelFunctions.parseDiscovery(NativeCollector.discoverFunctions(copy.toString()));
        List<Candidate> fromKernel = KernelFunctions.parseDiscovery(NativeCollector.discoverFunctions(null));

        assertThat(fromFile).isEqualTo(fromKernel.stream().filter(c -> c.module().isEmpty()).toList());
    }

    @Test
    void aMalformedOrTruncatedBtfFileGetsAClearError() throws Exception {
        Path garbage = Files.writeString(directory.resolve("garbage.btf"), "this is not BTF at all\n".repeat(50));
        byte[] kernel = Files.readAllBytes(KERNEL_BTF);
        Path truncated = Files.write(directory.resolve("truncated.btf"), Arrays.copyOf(kernel, kernel.length / 3));

        for (Path bad : List.of(garbage, truncated, directory.resolve("missing.btf"))) {
            assertThatThrownBy(() -> NativeCollector.discoverFunctions(bad.toString()))
                    .as(bad.toString())
                    .isInstanceOf(CollectorException.class)
                    .hasMessageContaining("reading BTF from " + bad)
                    .hasMessageContaining("errno")
                    .hasMessageContaining("a BTF file");
        }
    }

    private static final List<Candidate> CANDIDATES = List.of(
            new Candidate("blk_mq_start_request", 1, 0, Kind.REQUEST, ""),
            new Candidate("blk_mq_free_request", 2, 0, Kind.REQUEST, ""),
            new Candidate("blk_mq_end_request", 3, 0, Kind.REQUEST, ""),
            new Candidate("attempt_merge", 4, 1, Kind.REQUEST, ""),
            new Candidate("submit_bio", 5, 0, Kind.BIO, ""),
            new Candidate("virtblk_done_rq", 6, 0, Kind.REQUEST, "virtio_blk"),
            new Candidate("blk_inlined_helper", 7, 0, Kind.REQUEST, ""),
            new Candidate("__traceiter_block_rq_issue", 8, 1, Kind.REQUEST, ""),
            new Candidate("blk_add_trace_rq_issue", 9, 1, Kind.REQUEST, ""));

    private static final KernelFunctions.Symbols ALL_TRACEABLE_BUT_INLINED = name ->
            name.equals("blk_inlined_helper") ? Optional.of("inlined") : Optional.empty();

    private static List<String> names(Selection selection) {
        return selection.chosen().stream().map(Candidate::name).toList();
    }

    @Test
    void globsPickFunctionsAndExcludesLeaveThemOutWithTheReason() {
        Selection selection = KernelFunctions.select(CANDIDATES, List.of("blk_*", "virtblk_*"),
                List.of("blk_mq_free_request"), false, 100, ALL_TRACEABLE_BUT_INLINED);

        assertThat(names(selection)).containsExactly("blk_mq_end_request", "blk_mq_start_request", "virtblk_done_rq");
        assertThat(selection.skipped()).containsExactlyInAnyOrder(
                new Skipped("blk_mq_free_request", "excluded by blk_mq_free_request"),
                new Skipped("blk_inlined_helper", "inlined"),
                new Skipped("blk_add_trace_rq_issue", "part of the tracing machinery (tracepoint stubs, blktrace), never traced"));
        assertThat(KernelFunctions.select(CANDIDATES, List.of("*"), List.of(), false, 100, ALL_TRACEABLE_BUT_INLINED)
                .skipped()).extracting(Skipped::name).contains("__traceiter_block_rq_issue", "submit_bio");
    }

    @Test
    void bioFunctionsOnlyWhenAskedAndRequestFunctionsFirstUnderTheCap() {
        Selection withBios = KernelFunctions.select(CANDIDATES, List.of("*_bio", "blk_mq_*", "attempt_?erge"), List.of(),
                true, 100, ALL_TRACEABLE_BUT_INLINED);
        assertThat(names(withBios)).containsExactly("attempt_merge", "blk_mq_end_request", "blk_mq_free_request",
                "blk_mq_start_request", "submit_bio");
        assertThat(KernelFunctions.select(CANDIDATES, List.of("submit_bio"), List.of(), false, 100, ALL_TRACEABLE_BUT_INLINED)
                .skipped()).containsExactly(new Skipped("submit_bio", "takes a struct bio *, not a request (functionBios=on traces it)"));

        Selection capped = KernelFunctions.select(CANDIDATES, List.of("*_bio", "blk_mq_*"), List.of(), true, 2,
                ALL_TRACEABLE_BUT_INLINED);
        assertThat(names(capped)).containsExactly("blk_mq_end_request", "blk_mq_free_request");
        assertThat(capped.skipped()).containsExactly(new Skipped("blk_mq_start_request", "over maxFunctions=2"),
                new Skipped("submit_bio", "over maxFunctions=2"));
    }

    @Test
    void globsMatchWholeNamesAndTakeNoRegexSyntax() {
        assertThat(KernelFunctions.glob("blk_*").test("blk_mq_start_request")).isTrue();
        assertThat(KernelFunctions.glob("blk_*").test("__blk_mq_end_request")).isFalse();
        assertThat(KernelFunctions.glob("blk_mq_?nd_request").test("blk_mq_end_request")).isTrue();
        assertThat(KernelFunctions.glob("blk.mq").test("blkxmq")).as("a dot is a dot").isFalse();
        assertThat(KernelFunctions.glob("*request").test("blk_mq_free_request")).isTrue();
    }

    @Test
    void kallsymsSaysWhichFunctionsCanBeTracedByName() throws Exception {
        Path kallsyms = Files.writeString(directory.resolve("kallsyms"), String.join("\n",
                "ffffffff81b04b90 T blk_mq_start_request",
                "ffffffff81afd7f0 t attempt_merge",
                "ffffffff81a00000 t attempt_merge",
                "ffffffff81a00100 t blk_stat_add.isra.0",
                "ffffffff81a00200 D blk_data_symbol",
                "ffffffffc0100000 t virtblk_done\t[virtio_blk]",
                ""));

        KernelFunctions.Symbols symbols = KernelFunctions.fromKallsyms(kallsyms);

        assertThat(symbols.untraceable("blk_mq_start_request")).isEmpty();
        assertThat(symbols.untraceable("virtblk_done")).as("a module's function").isEmpty();
        assertThat(symbols.untraceable("attempt_merge")).get().asString().contains("ambiguous: 2");
        assertThat(symbols.untraceable("blk_stat_add")).get().asString().contains("blk_stat_add.isra.0");
        assertThat(symbols.untraceable("blk_data_symbol")).get().asString().contains("inlined");
        assertThat(symbols.untraceable("blk_gone")).get().asString().contains("no symbol in /proc/kallsyms");
    }

    @Test
    void availableFilterFunctionsIsTheExactListWhereReadable() throws Exception {
        Path list = Files.writeString(directory.resolve("available_filter_functions"),
                "blk_mq_start_request\nvirtblk_done [virtio_blk]\ndup\ndup\n");

        KernelFunctions.Symbols symbols = KernelFunctions.fromFilterFunctions(list);

        assertThat(symbols.untraceable("blk_mq_start_request")).isEmpty();
        assertThat(symbols.untraceable("virtblk_done")).isEmpty();
        assertThat(symbols.untraceable("dup")).get().asString().contains("ambiguous");
        assertThat(symbols.untraceable("blk_rq_is_poll")).get().asString().contains("notrace");
    }

    @Test
    void thisKernelsSymbolsKnowTheBlockLayer() {
        assertThat(KernelFunctions.kernelSymbols().untraceable("blk_mq_start_request")).isEmpty();
    }

    @Test
    void discoveryTextWithModules() {
        assertThat(KernelFunctions.parseDiscovery("blk_mq_start_request 63079 0 1\nvirtblk_done_rq 120 0 1 virtio_blk\n"))
                .containsExactly(new Candidate("blk_mq_start_request", 63079, 0, Kind.REQUEST, ""),
                        new Candidate("virtblk_done_rq", 120, 0, Kind.REQUEST, "virtio_blk"));
        assertThat(new Candidate("virtblk_done_rq", 120, 0, Kind.REQUEST, "virtio_blk").describe())
                .isEqualTo("virtblk_done_rq(arg 0) [virtio_blk]");
    }
}
