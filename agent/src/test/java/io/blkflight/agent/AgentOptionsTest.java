package io.blkflight.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blkflight.resolve.RequestEventWriter;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {
    @Test
    void defaultsFollowThisJvmOnEveryDisk() {
        AgentOptions options = AgentOptions.defaults();

        assertThat(options.scope()).isEqualTo(AgentOptions.Scope.SELF);
        assertThat(options.devices()).isEmpty();
        assertThat(options.minLatencyNanos()).isZero();
        assertThat(options.output()).isEmpty();
        assertThat(options.ringBufferBytes()).isEqualTo(8 << 20);
        assertThat(options.maxInflight()).isEqualTo(16384);
        assertThat(options.pollIntervalNanos()).isEqualTo(100_000_000L);
        assertThat(options.logLevel()).isEqualTo(Log.Level.INFO);
        assertThat(options.stacks()).as("stage stacks for about 200 requests a second, spread over kinds")
                .isEqualTo(new AgentOptions.Stacks(AgentOptions.Stacks.Mode.SAMPLED, 200));
        assertThat(options.linkThresholdNanos()).hasValue(20_000);
        assertThat(options.maxSizeBytes()).as("the JDK's own default for -XX:StartFlightRecording").isEqualTo(250L << 20);
    }

    @Test
    void maxSizeBoundsTheRecording() throws OptionException {
        assertThat(AgentOptions.parse("output=a.jfr,maxSize=100m").maxSizeBytes()).isEqualTo(100L << 20);
        assertThat(AgentOptions.parse("maxSize=2G").maxSizeBytes()).isEqualTo(2L << 30);
        assertThat(AgentOptions.parse("maxSize=1024k").maxSizeBytes()).isEqualTo(1L << 20);
    }

    @Test
    void stacksAreARateAllOrOff() throws Exception {
        assertThat(AgentOptions.parse("stacks=50/s").stacks()).isEqualTo(new AgentOptions.Stacks(AgentOptions.Stacks.Mode.SAMPLED, 50));
        assertThat(AgentOptions.parse("stacks=all").stacks()).isEqualTo(AgentOptions.Stacks.ALL);
        assertThat(AgentOptions.parse("stacks=on").stacks()).as("on, from before sampling, means all").isEqualTo(AgentOptions.Stacks.ALL);
        assertThat(AgentOptions.parse("stacks=off").stacks()).isEqualTo(AgentOptions.Stacks.OFF);
        assertThat(AgentOptions.parse("functions=blk_*,functionStacks=on,stacks=off").stacks()).as("function stacks need every stage's")
                .isEqualTo(AgentOptions.Stacks.ALL);
        assertThat(AgentOptions.parse("stacks=200/s").stacks().label()).isEqualTo("200/s");
        for (String bad : List.of("stacks=0/s", "stacks=fast", "stacks=100", "stacks=5/m", "stacks=2000000/s")) {
            assertThatThrownBy(() -> AgentOptions.parse(bad)).as(bad).isInstanceOf(OptionException.class)
                    .hasMessageContaining("accepted: stacks=N/s with N from 1 to 1000000 (e.g. 200/s), all, or off");
        }
    }

    @Test
    void linkThresholdOffRecordsNoFileReadsOrWrites() throws Exception {
        assertThat(AgentOptions.parse("linkThreshold=off").linkThresholdNanos()).isEmpty();
        assertThat(AgentOptions.parse("linkThreshold=0ns").linkThresholdNanos()).hasValue(0);

        Map<String, String> off = AgentSettings.recordingSettings(OptionalLong.empty(), "off");
        assertThat(off).as("file reads and writes are not recorded").containsEntry("jdk.FileRead#enabled", "false")
                .containsEntry("jdk.FileWrite#enabled", "false");
        assertThat(off).as("forces are rare and still link fsync's writeback").containsEntry("jdk.FileForce#enabled", "true");
        assertThat(off).as("blkflight's own events stay").containsEntry("blkflight.CompactRequest#enabled", "true");

        Map<String, String> on = AgentSettings.recordingSettings(OptionalLong.of(50_000), "off");
        assertThat(on).containsEntry("jdk.FileRead#enabled", "true").containsEntry("jdk.FileRead#threshold", "50000 ns")
                .containsEntry("jdk.FileWrite#threshold", "50000 ns").containsEntry("jdk.FileRead#stackTrace", "true");
        assertThat(on).as("JDK 25's default profile throttles file events to 100/s; blkflight's settings do not")
                .containsEntry("jdk.FileRead#throttle", "off").containsEntry("jdk.FileWrite#throttle", "off")
                .containsEntry("jdk.FileForce#throttle", "off");
    }

    @Test
    void linkRateThrottlesFileReadsAndWritesInJfrsSyntax() throws Exception {
        assertThat(AgentOptions.parse("").linkRate()).as("every file call from the threshold on, by default").isEqualTo("off");
        assertThat(AgentOptions.parse("linkRate=1000/s").linkRate()).isEqualTo("1000/s");
        assertThat(AgentOptions.parse("linkRate=0600/m").linkRate()).isEqualTo("600/m");
        for (String bad : new String[] {"fast", "0/s", "100", "100/ms", "-5/s", "1000/s/s"}) {
            assertThatThrownBy(() -> AgentOptions.parse("linkRate=" + bad)).as("linkRate=%s", bad)
                    .isInstanceOf(OptionException.class)
                    .hasMessage("option linkRate=" + bad + " is not valid; accepted: off, or a rate of at least 1 per second"
                            + " or minute, e.g. 1000/s or 600/m");
        }
        Map<String, String> throttled = AgentSettings.recordingSettings(OptionalLong.of(20_000), "500/s");
        assertThat(throttled).containsEntry("jdk.FileRead#throttle", "500/s").containsEntry("jdk.FileWrite#throttle", "500/s")
                .as("forces stay unthrottled: rare, and each links an fsync's writeback").containsEntry("jdk.FileForce#throttle", "off");
    }

    @Test
    void requestsNameTheirFilesUnlessFilesAreOff() throws OptionException {
        assertThat(AgentOptions.defaults().files()).isTrue();
        assertThat(AgentOptions.defaults().maxFiles()).isEqualTo(8192);
        assertThat(AgentOptions.parse("files=off").files()).isFalse();
        assertThat(AgentOptions.parse("maxFiles=100000").maxFiles()).isEqualTo(100_000);
    }

    @Test
    void parsesEveryOption() throws OptionException {
        AgentOptions options = AgentOptions.parse("scope=all,devices=vda+loop0+8:16,minLatency=500us,output=/tmp/x.jfr,"
                + "ringBuffer=64M,maxInflight=4096,pollInterval=20ms,lifecycleTimeout=2m,log=debug,library=/opt/lib.so");

        assertThat(options.scope()).isEqualTo(AgentOptions.Scope.ALL);
        assertThat(options.devices()).containsExactly("vda", "loop0", "8:16");
        assertThat(options.minLatencyNanos()).isEqualTo(500_000L);
        assertThat(options.output()).contains(Path.of("/tmp/x.jfr"));
        assertThat(options.ringBufferBytes()).isEqualTo(64 << 20);
        assertThat(options.maxInflight()).isEqualTo(4096);
        assertThat(options.pollIntervalNanos()).isEqualTo(20_000_000L);
        assertThat(options.lifecycleTimeoutNanos()).isEqualTo(120_000_000_000L);
        assertThat(options.logLevel()).isEqualTo(Log.Level.DEBUG);
        assertThat(options.library()).contains("/opt/lib.so");
    }

    @Test
    void functionLevelModeIsOffUnlessFunctionsAreNamed() throws OptionException {
        assertThat(AgentOptions.defaults().functions()).isEmpty();
        assertThat(AgentOptions.parse("functions=off").functions()).isEmpty();

        AgentOptions options = AgentOptions.parse("functions=blk_*+virtblk_*+blk_*,functionsExclude=blk_mq_free_request,"
                + "functionBios=on,maxFunctions=20,functionStacks=on,functionMode=kprobe");

        assertThat(options.functions()).containsExactly("blk_*", "virtblk_*");
        assertThat(options.functionsExclude()).containsExactly("blk_mq_free_request");
        assertThat(options.functionBios()).isTrue();
        assertThat(options.maxFunctions()).isEqualTo(20);
        assertThat(options.functionStacks()).isTrue();
        assertThat(options.functionMode()).isEqualTo("kprobe");
        AgentOptions defaults = AgentOptions.parse("functions=blk_*");
        assertThat(defaults.functionBios()).isFalse();
        assertThat(defaults.maxFunctions()).isEqualTo(100);
        assertThat(defaults.functionStacks()).isFalse();
        assertThat(defaults.functionMode()).isEqualTo("auto");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "scop=all|unknown option 'scop'; did you mean 'scope'?",
        "Scope=all|did you mean 'scope'?",
        "outptu=x.jfr|unknown option 'outptu'; did you mean 'output'?",
        "linkthreshhold=off|did you mean 'linkThreshold'?",
        "scope=everyone|option scope=everyone is not valid; accepted: scope=self|all|cgroup (java -jar blkflight.jar options explains it)",
        "minLatency=5 ms|option minLatency=5 ms is not valid",
        "minLatency=2h|option minLatency=2h is not valid",
        "pollInterval=0ms|option pollInterval=0ms is out of range; accepted: 1ms to 10s",
        "ringBuffer=3m|option ringBuffer=3m is not valid; accepted: a power of two from 64k to 1g",
        "ringBuffer=2g|a power of two from 64k to 1g",
        "maxInflight=10|option maxInflight=10 is out of range; accepted: 16 to 1048576",
        "maxInflight=lots|option maxInflight=lots is not valid",
        "maxSize=500k|option maxSize=500k is out of range; accepted: 1m to 1024g, e.g. 100m or 2g",
        "maxSize=2000g|option maxSize=2000g is out of range; accepted: 1m to 1024g",
        "maxSize=big|option maxSize=big is not valid; accepted: maxSize=SIZE",
        "maxSize=1t|option maxSize=1t is not valid",
        "devices=vda+|option devices=vda+ is not valid",
        "devices=../../etc|option devices=../../etc is not valid",
        "log=verbose|option log=verbose is not valid; accepted: log=quiet|warn|info|debug",
        "scope=self,scope=all|option 'scope' is given twice (self and all); give it once",
        "scope|option 'scope' is not key=value",
        "scope=|option 'scope' has no value",
        "scope=all,,log=warn|empty option",
        "functions=blk_*+|'' is not a function name glob",
        "functions=blk_(mq)|'blk_(mq)' is not a function name glob (letters, digits, _ and ., with * and ?)",
        "functions=blk_*,maxFunctions=0|option maxFunctions=0 is out of range; accepted: 1 to 1000",
        "functions=blk_*,functionMode=uprobe|accepted: functionMode=auto|fentry|kprobe",
        "functionsExclude=blk_mq_free_request|only applies to function-level mode; give functions=GLOB[+GLOB...] too",
        "functionStacks=on|only applies to function-level mode",
        "files=yes|option files=yes is not valid; accepted: files=on|off",
        "maxFiles=10|option maxFiles=10 is out of range; accepted: 64 to 1048576",
        "files=off,maxFiles=100|option maxFiles only applies with files=on",
    })
    void aBadOptionIsNamedWithWhatIsAccepted(String text, String expected) {
        assertThatThrownBy(() -> AgentOptions.parse(text))
                .isInstanceOf(OptionException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void systemCallStartsAreFollowedOnlyWhenAskedOrInFunctionLevelMode() throws OptionException {
        assertThat(AgentOptions.defaults().syscallStart()).as("default: named from registers, no start").isFalse();
        assertThat(AgentOptions.parse("syscallStart=on").syscallStart()).isTrue();
        assertThat(AgentOptions.parse("functions=blk_*").syscallStart()).as("function-level mode needs the start").isTrue();
        assertThatThrownBy(() -> AgentOptions.parse("functions=blk_*,syscallStart=off"))
                .isInstanceOf(OptionException.class)
                .hasMessageContaining("syscallStart=off conflicts with functions=");
        assertThatThrownBy(() -> AgentOptions.parse("syscallStart=sometimes"))
                .isInstanceOf(OptionException.class)
                .hasMessageContaining("syscallStart").hasMessageContaining("on|off");
    }

    @Test
    void requestsAreCompactUnlessFullIsAskedOrFunctionPathsNeedIt() throws OptionException {
        assertThat(AgentOptions.defaults().format()).isEqualTo(RequestEventWriter.Format.COMPACT);
        assertThat(AgentOptions.parse("format=full").format()).isEqualTo(RequestEventWriter.Format.FULL);
        assertThat(AgentOptions.parse("functions=blk_*").format()).as("function paths are full-format fields")
                .isEqualTo(RequestEventWriter.Format.FULL);
        assertThatThrownBy(() -> AgentOptions.parse("functions=blk_*,format=compact"))
                .isInstanceOf(OptionException.class)
                .hasMessageContaining("format=compact conflicts with functions=");
        assertThatThrownBy(() -> AgentOptions.parse("format=small"))
                .isInstanceOf(OptionException.class)
                .hasMessageContaining("format=small is not valid").hasMessageContaining("compact|full");
    }

    /** A message that lists every option stays this short (the list grows with the options: 463 with pushHeaders). */
    private static final int MAX_MESSAGE = 480;

    @Test
    void anUnknownOptionNamesEveryOptionInALineAPersonReads() {
        assertThatThrownBy(() -> AgentOptions.parse("verbose=true"))
                .hasMessageStartingWith("unknown option 'verbose'; the options are scope, devices, minLatency, output,")
                .hasMessageContaining("library").hasMessageContaining("functionMode")
                .hasMessageEndingWith("(java -jar blkflight.jar options explains each)")
                .hasMessageNotContaining("did you mean")
                .satisfies(e -> assertThat(e.getMessage().length()).as("one readable line").isLessThan(MAX_MESSAGE));
    }

    @Test
    void aMisspeltOptionGetsTheNearestNameAndWhereToFindTheRest() {
        assertThatThrownBy(() -> AgentOptions.parse("outptu=x.jfr"))
                .hasMessage("unknown option 'outptu'; did you mean 'output'? (java -jar blkflight.jar options lists and explains them all)");
    }

    @Test
    void everyBadOptionMessageIsShort() {
        for (String text : List.of("outptu=x.jfr", "scope=mine", "linkThreshold=soon", "format=small", "stacks=maybe",
                "functions=blk_(", "scope", "scope=", "a,,b")) {
            assertThatThrownBy(() -> AgentOptions.parse(text)).as(text)
                    .satisfies(e -> assertThat(e.getMessage().length()).as("length of the message for %s", text).isLessThan(MAX_MESSAGE));
        }
    }

    @Test
    void pushTakesAnHttpUrlAnIntervalAndAFormat() throws Exception {
        AgentOptions options = AgentOptions.parse("push=http://pyroscope:4040,pushInterval=10s,pushFormat=otlp");
        assertThat(options.push()).contains("http://pyroscope:4040");
        assertThat(options.pushIntervalNanos()).isEqualTo(10_000_000_000L);
        assertThat(options.pushFormat()).isEqualTo(io.blkflight.export.ProfileSender.Format.OTLP);
        assertThat(AgentOptions.defaults().push()).isEmpty();
        assertThatThrownBy(() -> AgentOptions.parse("push=pyroscope:4040"))
                .hasMessageStartingWith("option push: 'pyroscope:4040' is not an http:// or https:// URL with a host");
        assertThatThrownBy(() -> AgentOptions.parse("push=http://x,pushFormat=jfr"))
                .hasMessageStartingWith("option pushFormat=jfr is not valid; accepted: pushFormat=pprof|otlp");
        assertThatThrownBy(() -> AgentOptions.parse("pushInterval=5s"))
                .hasMessageStartingWith("option pushInterval only applies with push=URL");
        assertThatThrownBy(() -> AgentOptions.parse("push=http://x,pushInterval=100ms")).hasMessageContaining("pushInterval");
    }

    @Test
    void pushTakesAHeadersFileAndNeverShowsAUrlsPassword() throws Exception {
        AgentOptions options = AgentOptions.parse("push=https://1234:glc_s3cret@profiles.grafana.net,pushHeaders=/etc/blkflight/headers");
        assertThat(options.push()).as("the URL itself, for sending").contains("https://1234:glc_s3cret@profiles.grafana.net");
        assertThat(options.pushHeaders()).contains(java.nio.file.Path.of("/etc/blkflight/headers"));
        assertThat(options.text()).as("the text shown and written into the recording's configuration")
                .isEqualTo("push=https://1234:***@profiles.grafana.net,pushHeaders=/etc/blkflight/headers");
        assertThat(AgentOptions.defaults().pushHeaders()).isEmpty();
        assertThatThrownBy(() -> AgentOptions.parse("pushHeaders=/etc/h"))
                .hasMessageStartingWith("option pushHeaders only applies with push=URL");
        assertThatThrownBy(() -> AgentOptions.parse("push=https://u:s3cret@h,push=https://u:s3cret@h"))
                .hasMessageNotContaining("s3cret").hasMessageContaining("https://u:***@h");
        assertThatThrownBy(() -> AgentOptions.parse("push=https://u:s3cret@h,,output=a.jfr"))
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> AgentOptions.parse("push=ftp://u:s3cret@h"))
                .hasMessageNotContaining("s3cret").hasMessageContaining("'ftp://u:***@h' is not an http:// or https:// URL");
    }

    @Test
    void theOptionsListExplainsEachOption() {
        String list = AgentOptions.describe();
        assertThat(list).contains("\n  scope=self|all|cgroup\n").contains("\n  output=FILE.jfr\n").contains("\n  functionMode=auto|fentry|kprobe\n");
        assertThat(list.lines()).as("wrapped for a terminal").allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(110));
    }
}
