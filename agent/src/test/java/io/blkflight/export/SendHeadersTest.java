package io.blkflight.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The headers a profile is sent with: a file of 'Name: value' lines, and for OTLP the OpenTelemetry exporter's
 * variables. Every bad input is one message naming the file or variable and the line or entry, never a value.
 */
class SendHeadersTest {
    @TempDir
    Path work;

    private Path file(String text) throws Exception {
        Path file = work.resolve("headers");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void aFileGivesItsHeadersInOrderSkippingBlankAndCommentLines() throws Exception {
        Path file = file("# Grafana Cloud\n\nAuthorization: Bearer glc_abc:def==\r\n  X-Scope-OrgID :  tenant-7 \n");
        assertThat(SendHeaders.of(ProfileSender.Format.PPROF, file, Map.of()))
                .containsExactly(Map.entry("Authorization", "Bearer glc_abc:def=="), Map.entry("X-Scope-OrgID", "tenant-7"));
    }

    @Test
    void otlpTakesTheProfilesVariableElseTheGeneralOnePercentDecoded() {
        Map<String, String> both = Map.of(SendHeaders.OTLP_PROFILES_VARIABLE, " x-tenant = team%20a , Authorization=Bearer%20t%2Bk+n,",
                SendHeaders.OTLP_VARIABLE, "ignored=1");
        assertThat(SendHeaders.of(ProfileSender.Format.OTLP, null, both))
                .as("the profiles variable wins; %20 is a space, a '+' stays a '+'")
                .containsExactly(Map.entry("x-tenant", "team a"), Map.entry("Authorization", "Bearer t+k+n"));
        assertThat(SendHeaders.of(ProfileSender.Format.OTLP, null, Map.of(SendHeaders.OTLP_VARIABLE, "api-key=k%C3%A9y")))
                .containsExactly(Map.entry("api-key", "kéy"));
        assertThat(SendHeaders.of(ProfileSender.Format.PPROF, null, both)).as("pprof does not read OTLP's variables").isEmpty();
    }

    @Test
    void theFileReplacesAVariablesHeaderOfTheSameName() throws Exception {
        Path file = file("authorization: Bearer from-file\n");
        assertThat(SendHeaders.of(ProfileSender.Format.OTLP, file, Map.of(SendHeaders.OTLP_VARIABLE,
                "Authorization=Bearer%20from-env,x-env=prod")))
                .containsExactly(Map.entry("x-env", "prod"), Map.entry("authorization", "Bearer from-file"));
    }

    @Test
    void aBadFileIsOneClearMessageThatNeverShowsAValue() throws Exception {
        assertThatThrownBy(() -> SendHeaders.of(ProfileSender.Format.PPROF, work.resolve("missing"), Map.of()))
                .hasMessage("headers file " + work.resolve("missing") + " does not exist; give a file of 'Name: value' lines");
        assertThatThrownBy(() -> SendHeaders.of(ProfileSender.Format.PPROF, work, Map.of()))
                .hasMessageContaining("is a directory");
        Path noColon = file("X-Ok: 1\nBearer s3cr3t-token\n");
        assertThatThrownBy(() -> SendHeaders.of(ProfileSender.Format.PPROF, noColon, Map.of()))
                .hasMessageStartingWith("headers file " + noColon + ", line 2: no ':' between a header's name and its value")
                .hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> SendHeaders.of(ProfileSender.Format.PPROF, file("Bad Name: s3cr3t\n"), Map.of()))
                .hasMessageContaining("line 1: the header's name is empty or not an HTTP token").hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> SendHeaders.of(ProfileSender.Format.PPROF, file("Host: evil\n"), Map.of()))
                .hasMessageContaining("line 1: Host is set by the sender itself");
        assertThatThrownBy(() -> SendHeaders.of(ProfileSender.Format.PPROF, file("A: s3cr3t\na: other\n"), Map.of()))
                .hasMessageContaining("line 2: a is given twice").hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> SendHeaders.of(ProfileSender.Format.PPROF, file("# nothing\n\n"), Map.of()))
                .hasMessageContaining("has no header");
        Path binary = work.resolve("binary");
        Files.write(binary, new byte[] {'A', ':', ' ', (byte) 0xff, (byte) 0xfe});
        assertThatThrownBy(() -> SendHeaders.of(ProfileSender.Format.PPROF, binary, Map.of())).hasMessageContaining("is not UTF-8");
    }

    @Test
    void aBadVariableEntryIsOneClearMessageThatNeverShowsAValue() {
        assertThatThrownBy(() -> SendHeaders.of(ProfileSender.Format.OTLP, null,
                Map.of(SendHeaders.OTLP_VARIABLE, "a=1,s3cr3t-without-key")))
                .hasMessageStartingWith("OTEL_EXPORTER_OTLP_HEADERS, entry 2: not key=value").hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> SendHeaders.of(ProfileSender.Format.OTLP, null,
                Map.of(SendHeaders.OTLP_PROFILES_VARIABLE, "a=s3cr3t%2")))
                .hasMessage("OTEL_EXPORTER_OTLP_PROFILES_HEADERS, entry 1: a '%' not followed by two hexadecimal digits");
        assertThatThrownBy(() -> SendHeaders.of(ProfileSender.Format.OTLP, null,
                Map.of(SendHeaders.OTLP_VARIABLE, "a=line%0Abreak")))
                .hasMessageContaining("the value of a holds a control character");
    }
}
