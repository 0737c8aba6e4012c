package io.blkflight.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

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
        assertThat(options.stacks()).as("kernel stacks cost ~2.5 us each: off unless asked for").isFalse();
        assertThat(options.linkThresholdNanos()).isEqualTo(20_000);
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

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "scop=all|unknown option 'scop'",
        "Scope=all|did you mean 'scope'?",
        "scope=everyone|option scope=everyone is not valid; expected scope=self|all",
        "minLatency=5 ms|option minLatency=5 ms is not valid",
        "minLatency=2h|option minLatency=2h is not valid",
        "pollInterval=0ms|option pollInterval=0ms is out of range; accepted: 1ms to 10s",
        "ringBuffer=3m|option ringBuffer=3m is not valid; accepted: a power of two from 64k to 1g",
        "ringBuffer=2g|a power of two from 64k to 1g",
        "maxInflight=10|option maxInflight=10 is out of range; accepted: 16 to 1048576",
        "maxInflight=lots|option maxInflight=lots is not valid",
        "devices=vda+|option devices=vda+ is not valid",
        "devices=../../etc|option devices=../../etc is not valid",
        "log=verbose|option log=verbose is not valid; expected log=quiet|warn|info|debug",
        "scope=self,scope=all|option 'scope' is given twice (self and all); give it once",
        "scope|option 'scope' is not key=value",
        "scope=|option 'scope' has no value",
        "scope=all,,log=warn|empty option",
    })
    void aBadOptionIsNamedWithWhatIsAccepted(String text, String expected) {
        assertThatThrownBy(() -> AgentOptions.parse(text))
                .isInstanceOf(OptionException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void anUnknownOptionListsEveryAcceptedOne() {
        assertThatThrownBy(() -> AgentOptions.parse("verbose=true"))
                .hasMessageContaining("Accepted options, comma separated: scope=self|all")
                .hasMessageContaining("devices=DISK[+DISK...]")
                .hasMessageContaining("output=FILE.jfr")
                .hasMessageContaining("library=PATH");
    }
}
