package io.blkflight.jmc.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.blkflight.jmc.recording.Fixtures;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.openjdk.jmc.common.IDisplayable;
import org.openjdk.jmc.common.item.ItemCollectionToolkit;
import org.openjdk.jmc.common.unit.IQuantity;
import org.openjdk.jmc.common.unit.UnitLookup;
import org.openjdk.jmc.common.util.IPreferenceValueProvider;
import org.openjdk.jmc.common.util.TypedPreference;
import org.openjdk.jmc.flightrecorder.rules.IResult;
import org.openjdk.jmc.flightrecorder.rules.IRule;
import org.openjdk.jmc.flightrecorder.rules.RuleRegistry;
import org.openjdk.jmc.flightrecorder.rules.Severity;
import org.openjdk.jmc.flightrecorder.rules.report.JfrRulesReport;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** The 'Block I/O latency' rule, run the way JMC runs it headless: JfrRulesReport over every registered rule. */
class BlockIoLatencyRuleTest {

    @Test
    void isRegisteredThroughServiceLoader() {
        assertThat(ServiceLoader.load(IRule.class).stream().map(ServiceLoader.Provider::type))
                .as("IRule services on the class path").contains(BlockIoLatencyRule.class);
        assertThat(RuleRegistry.getRules()).extracting(IRule::getId).as("rules JMC's registry knows")
                .contains(BlockIoLatencyRule.ID);
    }

    @Test
    void rulesReportScoresTheDirectIoRecordingAndNamesItsSlowestPaths() throws Exception {
        Element rule = ruleResult(Fixtures.DIRECT_IO);

        assertThat(text(rule, "error")).as("error of the rule").isNull();
        assertThat(text(rule, "name")).as("rule name").isEqualTo("Block I/O latency");
        assertThat(text(rule, "severity")).as("severity: a p99 of 590.0 us is far below the 10 ms info limit").isEqualTo("OK");
        assertThat(text(rule, "summary")).as("summary")
                .isEqualTo("The 99th percentile of block I/O latency is "
                        + UnitLookup.NANOSECOND.quantity(590_043).displayUsing(IDisplayable.AUTO) + " over 9 requests.");
        assertThat(text(rule, "explanation")).as("explanation names the slowest kernel path first: the completions in ksoftirqd, "
                        + "all 9 requests with the report's p99 of 590.0 us")
                .startsWith("Slowest kernel paths, by p99 latency: ret_from_fork_asm > ret_from_fork > kthread > ... > "
                        + "blk_mq_end_request > blk_update_request <- complete (p99 590.0 us, 9 requests),")
                .contains("__x64_sys_fsync > ... > ext4_io_submit > submit_bio_noacct_nocheck <- submit (p99 590.0 us, 1 requests)")
                .contains("Slowest Java call sites: sun.nio.ch.FileChannelImpl.force < io.blkflight.it.DirectIoWorkload.perform"
                        + " < io.blkflight.it.DirectIoWorkload.lambda$main$0 < ... (p99 590.0 us, 1 requests)")
                .contains("sun.nio.ch.FileChannelImpl.read < io.blkflight.it.DirectIoWorkload.perform"
                        + " < io.blkflight.it.DirectIoWorkload.lambda$main$0 < ... (p99 182.2 us, 6 requests)");
        assertThat(items(rule)).as("the requests at or above the p99 latency, listed by the verbose report").isEqualTo(1);
    }

    @Test
    void rulesReportNamesTheFsyncPathOfTheH2Recording() throws Exception {
        Element rule = ruleResult(Fixtures.H2_DEMO);

        assertThat(text(rule, "error")).as("error of the rule").isNull();
        assertThat(text(rule, "summary")).as("summary").contains("over 1,695 requests");
        assertThat(text(rule, "explanation")).as("explanation").contains("__x64_sys_fsync").contains("org.h2.");
    }

    @Test
    void warnsWhenTheP99ExceedsTheWarningLimit() throws Exception {
        IResult result = evaluate(Fixtures.DIRECT_IO, Map.of(BlockIoLatencyRule.INFO_LIMIT, UnitLookup.MICROSECOND.quantity(10),
                BlockIoLatencyRule.WARNING_LIMIT, UnitLookup.MICROSECOND.quantity(50)));

        assertThat(result.getSeverity()).as("severity with a 50 us warning limit and a 590.0 us p99").isEqualTo(Severity.WARNING);
        assertThat(result.getResult(BlockIoLatencyRule.P99_LATENCY).clampedLongValueIn(UnitLookup.NANOSECOND))
                .as("p99 in ns").isEqualTo(590_043);
        assertThat(result.getSummary()).as("summary template").startsWith("Block I/O is slow");
        assertThat(result.getSolution()).as("solution").contains("Block I/O page");
        assertThat(result.getResult(BlockIoLatencyRule.SLOWEST_KERNEL_PATHS)).as("named kernel paths").hasSize(BlockIoLatencyRule.NAMED);
    }

    @Test
    void isNotApplicableWithoutBlockRequests() throws Exception {
        IRule rule = new BlockIoLatencyRule();
        var evaluation = rule.createEvaluation(ItemCollectionToolkit.EMPTY, IPreferenceValueProvider.DEFAULT_VALUES, null);
        evaluation.run();

        assertThat(evaluation.get().getSeverity()).as("severity on a recording without blkflight events").isEqualTo(Severity.NA);
    }

    private static IResult evaluate(Path recording, Map<TypedPreference<?>, IQuantity> limits) throws Exception {
        IPreferenceValueProvider preferences = new IPreferenceValueProvider() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> T getPreferenceValue(TypedPreference<T> preference) {
                return limits.containsKey(preference) ? (T) limits.get(preference) : preference.getDefaultValue();
            }
        };
        var evaluation = new BlockIoLatencyRule().createEvaluation(Fixtures.load(recording), preferences, null);
        evaluation.run();
        return evaluation.get();
    }

    /** Our rule's element of the XML report JfrRulesReport writes, verbose (with explanations and item sets). */
    private static Element ruleResult(Path recording) throws Exception {
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
        Element root = document.createElement("reportcollection");
        document.appendChild(root);
        JfrRulesReport.addReport(recording.toString(), Severity.OK, true, root);
        List<Element> rules = new ArrayList<>();
        NodeList nodes = document.getElementsByTagName("rule");
        for (int i = 0; i < nodes.getLength(); i++) {
            rules.add((Element) nodes.item(i));
        }
        assertThat(rules).extracting(rule -> text(rule, "id")).as("rules with a result in the report: JMC's JDK rules beside ours")
                .contains("FileRead", BlockIoLatencyRule.ID);
        return rules.stream().filter(rule -> BlockIoLatencyRule.ID.equals(text(rule, "id"))).findFirst()
                .orElseThrow(() -> new AssertionError("no result of " + BlockIoLatencyRule.ID + " in the rules report"));
    }

    private static String text(Element element, String child) {
        for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element && ((Element) node).getTagName().equals(child)) {
                return node.getTextContent();
            }
        }
        return null;
    }

    private static int items(Element rule) {
        NodeList items = rule.getElementsByTagName("item");
        return Objects.requireNonNull(items).getLength();
    }
}
