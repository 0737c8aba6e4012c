package io.blkflight.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.blkflight.it.Commands;
import io.blkflight.model.BlockRequest;
import io.blkflight.model.Folded;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code report --html} opened in a real headless browser (Debian's chromium, installed by scripts/setup.sh) with every
 * host name made unresolvable: the page loads without an error, its charts hold the fixture recording's requests (the
 * page sums what each chart was given into a check element, read from the DOM), and a screenshot is kept in
 * target/html-report/ for a person to look at.
 */
class HtmlReportIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path OUTPUT = Path.of("target/html-report");

    private static List<BlockRequest> requests(Path recording) throws ReportException {
        List<BlockRequest> requests = new ArrayList<>();
        try (RecordedRequests recorded = RecordedRequests.open(recording, Progress.quiet())) {
            recorded.forEach(requests::add);
        }
        return requests;
    }

    private static List<String> browser(String... arguments) {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--enable-logging=stderr", "--v=0", "--host-resolver-rules=MAP * ~NOTFOUND",
                "--virtual-time-budget=10000"));
        command.addAll(List.of(arguments));
        return command;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"files-writeback", "direct-io"})
    void thePageLoadsWithoutErrorsAndItsChartsHoldTheRecordingsRequests(String name) throws Exception {
        assertThat(CHROMIUM).as("Debian's chromium (scripts/setup.sh installs it for the tests)").isExecutable();
        Path recording = Path.of("src/test/resources/recordings/" + name + ".jfr");
        Files.createDirectories(OUTPUT);
        Path page = OUTPUT.resolve(name + ".html").toAbsolutePath();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ReportCommand.run(new String[] {"report", "--html", page.toString(), recording.toString()},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as("report --html; stderr %s", err).isZero();
        assertThat(out.toString()).contains("wrote the HTML report to " + page);

        String html = Files.readString(page);
        assertThat(html).as("nothing the page would fetch: no script or style from elsewhere")
                .doesNotContainPattern("(?i)<script[^>]+src\\s*=").doesNotContainPattern("(?i)<link[^>]+href\\s*=")
                .doesNotContainPattern("(?i)@import").doesNotContainPattern("(?i)url\\(\\s*['\"]?(https?:)?//");

        Commands.Result dom = Commands.runAllowingFailure(120, browser("--dump-dom", page.toUri().toString()));
        assertThat(dom.exitCode()).as("chromium --dump-dom; stderr %s", dom.stderr()).isZero();
        assertThat(dom.stderr()).as("console messages of the page").doesNotContain("Uncaught").doesNotContain(":CONSOLE");
        Matcher check = Pattern.compile("<pre id=\"blkflight-check\"[^>]*>([^<]*)</pre>").matcher(dom.stdout());
        assertThat(check.find()).as("the page's check element in %s", dom.stdout().length() > 2000
                ? dom.stdout().substring(dom.stdout().length() - 2000) : dom.stdout()).isTrue();
        Map<String, Object> shown = parse(check.group(1).replace("&quot;", "\"").replace("&amp;", "&"));

        List<BlockRequest> requests = requests(recording);
        Folded folded = new Folded(Folded.Weight.COUNT, false);
        requests.forEach(folded::add);
        long flameTotal = folded.lines().stream().mapToLong(line -> Long.parseLong(line.substring(line.lastIndexOf(' ') + 1))).sum();
        Map<String, Long> byDevice = new HashMap<>();
        requests.stream().filter(BlockRequest::movesData).forEach(r -> byDevice.merge(r.device(), 1L, Long::sum));

        assertThat(shown.get("errors")).as("errors the page met").isEqualTo(List.of());
        assertThat(shown.get("requests")).isEqualTo((long) requests.size());
        assertThat(shown.get("timelineRequests")).as("requests in the requests/s chart").isEqualTo((long) requests.size());
        assertThat(shown.get("latencyHeatmapRequests")).as("requests in the latency heatmap").isEqualTo((long) requests.size());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> offsets = (List<Map<String, Object>>) shown.get("offsetHeatmaps");
        assertThat(offsets).as("an offset heatmap per disk").hasSize(byDevice.size());
        for (Map<String, Object> offset : offsets) {
            assertThat(offset.get("requests")).as("requests in the offset heatmap of %s", offset.get("device"))
                    .isEqualTo(byDevice.get((String) offset.get("device")));
        }
        assertThat(shown.get("flameTotal")).as("the flame graph's root: each stage's stack of each request").isEqualTo(flameTotal);
        assertThat((Long) shown.get("flameFrames")).as("frames drawn").isGreaterThan(20L);
        assertThat((Long) shown.get("charts")).as("charts drawn").isGreaterThanOrEqualTo(7L);
        assertThat((Long) shown.get("tableRows")).isGreaterThan(8L);
        assertThat(shown.get("slowestRows")).isEqualTo((long) Math.min(20, requests.size()));

        Path screenshot = OUTPUT.resolve(name + ".png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        Commands.Result shot = Commands.runAllowingFailure(120, browser("--window-size=1400,4200", "--screenshot=" + screenshot, page.toUri().toString()));
        assertThat(shot.exitCode()).as("chromium --screenshot; stderr %s", shot.stderr()).isZero();
        assertThat(Files.size(screenshot)).as("screenshot kept at %s", screenshot).isGreaterThan(50_000);
    }

    /** The check element's JSON: objects as maps, arrays as lists, numbers as longs. */
    private static Map<String, Object> parse(String json) throws Exception {
        try (JsonParser parser = new JsonFactory().createParser(json)) {
            parser.nextToken();
            @SuppressWarnings("unchecked")
            Map<String, Object> value = (Map<String, Object>) value(parser);
            return value;
        }
    }

    private static Object value(JsonParser parser) throws Exception {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            Map<String, Object> map = new HashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                map.put(field, value(parser));
            }
            return map;
        }
        if (token == JsonToken.START_ARRAY) {
            List<Object> list = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                list.add(value(parser));
            }
            return list;
        }
        if (token == JsonToken.VALUE_NUMBER_INT) {
            return parser.getLongValue();
        }
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        return parser.getText();
    }
}
