package io.blkflight.html;

import io.blkflight.model.BlockRequest;
import io.blkflight.model.FileGroups;
import io.blkflight.model.Folded;
import io.blkflight.model.Formats;
import io.blkflight.model.LatencyHistogram;
import io.blkflight.model.RequestLabels;
import io.blkflight.model.Timeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The report as one self-contained HTML page ({@code report --html FILE}): the timeline charts, a latency heatmap
 * (time x latency, colour = requests), an offset heatmap per disk (time x sector), a flame graph of Java frames over
 * kernel frames (weights: requests, bytes, latency; click to zoom, search), and the tables. The charting library
 * (Apache ECharts), d3 and d3-flame-graph are inlined with the data, so the page fetches nothing when it is opened.
 *
 * <p>Streams like the report: requests go into the timeline's columns, the heatmaps' columns (28 bytes per request),
 * folded stacks and small tables; the page is computed once at the end.
 */
public final class HtmlPage {
    /** Intervals of the timeline and columns of the heatmaps, about. */
    private static final int TIME_BUCKETS = 200;
    private static final int SECTOR_BUCKETS = 64;
    private static final int OFFSET_DEVICES = 4;
    private static final int TOP_ROWS = 20;
    private static final int CALL_SITE_FRAMES = 4;

    private final Timeline timeline = Timeline.automatic(Timeline.By.DEVICE, TIME_BUCKETS);
    private final Timeline threads = Timeline.automatic(Timeline.By.THREAD, TIME_BUCKETS);
    private final Map<Folded.Weight, Folded> flame = new LinkedHashMap<>();
    private final Map<String, Group> byDevice = new TreeMap<>();
    private final Map<String, Group> byThread = new HashMap<>();
    private final Map<String, Group> byCall = new HashMap<>();
    private final FileGroups files = new FileGroups();
    private final Map<String, Integer> deviceIds = new HashMap<>();
    private final List<String> devices = new ArrayList<>();
    private long[] ends = new long[1024];
    private long[] latencies = new long[1024];
    private long[] sectors = new long[1024];
    private int[] deviceOf = new int[1024];
    private int count;

    /** Requests, bytes and latency of a table's row. */
    private static final class Group {
        final LatencyHistogram latency = new LatencyHistogram();
        long bytes;
    }

    /** @param sampled the recording's kernel stacks are a sample (stacks=N/s): the flame graph scales them as --folded does */
    public HtmlPage(boolean sampled) {
        for (Folded.Weight weight : Folded.Weight.values()) {
            flame.put(weight, new Folded(weight, sampled));
        }
    }

    /** The flame graph's requests by kind, and those with kernel stacks (what its note says). */
    public io.blkflight.model.KindWeights weights() {
        return flame.get(Folded.Weight.COUNT).weights();
    }

    public void add(BlockRequest request) {
        timeline.add(request);
        threads.add(request);
        flame.values().forEach(folded -> folded.add(request));
        group(byDevice, request.device() + " " + request.operation(), request);
        group(byThread, RequestLabels.thread(request), request);
        group(byCall, RequestLabels.call(request), request);
        files.add(request);
        if (count == ends.length) {
            int size = count * 2;
            ends = java.util.Arrays.copyOf(ends, size);
            latencies = java.util.Arrays.copyOf(latencies, size);
            sectors = java.util.Arrays.copyOf(sectors, size);
            deviceOf = java.util.Arrays.copyOf(deviceOf, size);
        }
        ends[count] = request.end();
        latencies[count] = request.duration();
        sectors[count] = request.movesData() ? request.sector() : -1;
        deviceOf[count] = deviceIds.computeIfAbsent(request.device(), d -> {
            devices.add(d);
            return devices.size() - 1;
        });
        count++;
    }

    private static void group(Map<String, Group> groups, String key, BlockRequest request) {
        Group group = groups.computeIfAbsent(key, k -> new Group());
        group.latency.add(request.duration());
        group.bytes += request.movesData() ? request.bytes() : 0;
    }

    /**
     * Writes the page.
     *
     * @param title   what the page is of (the recording)
     * @param header  the report's header lines (collector, losses, selection, links)
     * @param slowest the slowest requests, slowest first
     * @param notes   what the page must say about its data (the kernel stacks are a sample, ...)
     */
    public void write(Path file, String title, List<String> header, List<BlockRequest> slowest, List<String> notes)
            throws IOException {
        String data = data(title, header, slowest, notes);
        String page = resource("io/blkflight/html/report.html");
        Properties libraries = new Properties();
        try (InputStream in = HtmlPage.class.getResourceAsStream("libraries.properties")) {
            libraries.load(in);
        }
        Map<String, String> parts = Map.of(
                "title", escapeHtml(title),
                "style", resource("io/blkflight/html/d3-flame-graph-4.1.3/d3-flamegraph.css"),
                "echarts", script(resource(libraries.getProperty("echarts"))),
                "d3", script(resource(libraries.getProperty("d3"))),
                "flamegraph", script(resource("io/blkflight/html/d3-flame-graph-4.1.3/d3-flamegraph.min.js")),
                "libraries", "Apache ECharts " + libraries.getProperty("echarts.version") + ", d3 "
                        + libraries.getProperty("d3.version") + " and d3-flame-graph 4.1.3",
                "data", data);
        // One pass, so that nothing put in (a title, a library) is taken for a placeholder.
        page = java.util.regex.Pattern.compile("/\\*@(\\w+)@\\*/").matcher(page)
                .replaceAll(match -> java.util.regex.Matcher.quoteReplacement(parts.get(match.group(1))));
        Files.writeString(file, page, StandardCharsets.UTF_8);
    }

    /** JavaScript as it can stand inside a script element. */
    private static String script(String source) {
        return source.replace("</script", "<\\/script");
    }

    private static String escapeHtml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = HtmlPage.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("the agent jar has no " + path + " (a build without the HTML report's libraries)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The page's data as a JavaScript object literal (JSON with '<' escaped, so no string can end the script). */
    String data(String title, List<String> header, List<BlockRequest> slowest, List<String> notes) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator((Writer) text)) {
            json.setCharacterEscapes(new ScriptSafe());
            json.writeStartObject();
            json.writeStringField("title", title);
            strings(json, "header", header);
            strings(json, "notes", notes);
            json.writeNumberField("requests", count);
            timeline(json, "timeline", timeline);
            timeline(json, "threads", threads);
            heatmaps(json);
            json.writeObjectFieldStart("flame");
            for (Map.Entry<Folded.Weight, Folded> weight : flame.entrySet()) {
                json.writeFieldName(weight.getKey().name().toLowerCase(java.util.Locale.ROOT));
                tree(json, weight.getValue().lines());
            }
            json.writeEndObject();
            json.writeObjectFieldStart("tables");
            table(json, "device / operation", byDevice, Integer.MAX_VALUE);
            table(json, "thread", byThread, TOP_ROWS);
            table(json, "system call or [writeback]", byCall, TOP_ROWS);
            filesTable(json);
            json.writeEndObject();
            slowest(json, slowest);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static void strings(JsonGenerator json, String name, List<String> values) throws IOException {
        json.writeArrayFieldStart(name);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }

    private static void timeline(JsonGenerator json, String name, Timeline timeline) throws IOException {
        json.writeObjectFieldStart(name);
        json.writeNumberField("origin", timeline.origin());
        json.writeNumberField("interval", timeline.requests() == 0 ? 0 : timeline.interval());
        json.writeArrayFieldStart("series");
        for (Timeline.Series series : timeline.requests() == 0 ? List.<Timeline.Series>of() : timeline.series(10)) {
            json.writeStartObject();
            json.writeStringField("name", series.name());
            json.writeNumberField("requests", series.requests());
            List<Timeline.Interval> intervals = series.intervals();
            numbers(json, "reads", intervals, i -> i.reads());
            numbers(json, "writes", intervals, i -> i.writes());
            numbers(json, "others", intervals, i -> i.others());
            numbers(json, "readBytes", intervals, i -> i.readBytes());
            numbers(json, "writeBytes", intervals, i -> i.writeBytes());
            json.writeArrayFieldStart("meanInFlight");
            for (Timeline.Interval i : intervals) {
                json.writeNumber(Math.round(i.meanInFlight() * 1000) / 1000.0);
            }
            json.writeEndArray();
            numbers(json, "maxInFlight", intervals, i -> i.maxInFlight());
            numbers(json, "p50", intervals, i -> i.p50());
            numbers(json, "p99", intervals, i -> i.p99());
            numbers(json, "max", intervals, i -> i.max());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void numbers(JsonGenerator json, String name, List<Timeline.Interval> intervals,
                                java.util.function.ToLongFunction<Timeline.Interval> value) throws IOException {
        json.writeArrayFieldStart(name);
        for (Timeline.Interval interval : intervals) {
            long v = value.applyAsLong(interval);
            if (v == BlockRequest.NOT_AVAILABLE) {
                json.writeNull();
            } else {
                json.writeNumber(v);
            }
        }
        json.writeEndArray();
    }

    /**
     * Latency heatmap: by the interval each request completed in, and its latency's power of two in microseconds (as
     * biolatency buckets it). Offset heatmaps: per disk (the ones with the most requests), the interval and the
     * sector's part of the range the disk's requests touched.
     */
    private void heatmaps(JsonGenerator json) throws IOException {
        long origin = timeline.origin();
        long interval = count == 0 ? 1 : timeline.interval();
        int buckets = count == 0 ? 0 : (int) timeline.intervals();
        json.writeObjectFieldStart("latencyHeatmap");
        json.writeNumberField("origin", origin);
        json.writeNumberField("interval", interval);
        json.writeNumberField("intervals", buckets);
        Map<Long, Long> cells = new TreeMap<>();
        int highest = 0;
        for (int i = 0; i < count; i++) {
            long micros = latencies[i] / 1_000;
            int power = micros <= 1 ? 0 : 63 - Long.numberOfLeadingZeros(micros);
            highest = Math.max(highest, power);
            cells.merge((ends[i] - origin) / interval * 64 + power, 1L, Long::sum);
        }
        json.writeArrayFieldStart("latencyBuckets");
        for (int k = 0; k <= highest && count > 0; k++) {
            json.writeString(k == 0 ? "< 2 us" : Formats.nanos((1L << k) * 1_000) + " ..");
        }
        json.writeEndArray();
        cells(json, cells, 64);
        json.writeEndObject();

        json.writeArrayFieldStart("offsetHeatmaps");
        int[] requestsPerDevice = new int[devices.size()];
        long[] low = new long[devices.size()];
        long[] high = new long[devices.size()];
        java.util.Arrays.fill(low, Long.MAX_VALUE);
        java.util.Arrays.fill(high, Long.MIN_VALUE);
        for (int i = 0; i < count; i++) {
            if (sectors[i] >= 0) {
                int d = deviceOf[i];
                requestsPerDevice[d]++;
                low[d] = Math.min(low[d], sectors[i]);
                high[d] = Math.max(high[d], sectors[i]);
            }
        }
        List<Integer> ranked = new ArrayList<>();
        for (int d = 0; d < devices.size(); d++) {
            if (requestsPerDevice[d] > 0) {
                ranked.add(d);
            }
        }
        ranked.sort((a, b) -> requestsPerDevice[b] != requestsPerDevice[a] ? requestsPerDevice[b] - requestsPerDevice[a]
                : devices.get(a).compareTo(devices.get(b)));
        for (int d : ranked.subList(0, Math.min(OFFSET_DEVICES, ranked.size()))) {
            long span = high[d] - low[d] + 1;
            long width = Math.max(1, (span + SECTOR_BUCKETS - 1) / SECTOR_BUCKETS);
            Map<Long, Long> offsets = new TreeMap<>();
            for (int i = 0; i < count; i++) {
                if (deviceOf[i] == d && sectors[i] >= 0) {
                    offsets.merge((ends[i] - origin) / interval * 1024 + (sectors[i] - low[d]) / width, 1L, Long::sum);
                }
            }
            json.writeStartObject();
            json.writeStringField("device", devices.get(d));
            json.writeNumberField("requests", requestsPerDevice[d]);
            json.writeNumberField("lowSector", low[d]);
            json.writeNumberField("sectorsPerBucket", width);
            json.writeNumberField("sectorBuckets", (span + width - 1) / width);
            cells(json, offsets, 1024);
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    /** Cells as [interval, bucket, requests] triples. */
    private static void cells(JsonGenerator json, Map<Long, Long> cells, int stride) throws IOException {
        json.writeArrayFieldStart("cells");
        for (Map.Entry<Long, Long> cell : cells.entrySet()) {
            json.writeStartArray();
            json.writeNumber(cell.getKey() / stride);
            json.writeNumber(cell.getKey() % stride);
            json.writeNumber(cell.getValue());
            json.writeEndArray();
        }
        json.writeEndArray();
    }

    /** Folded stacks as the nested {name, value, children} that d3-flame-graph draws. */
    private static void tree(JsonGenerator json, List<String> lines) throws IOException {
        Node root = new Node("all requests");
        for (String line : lines) {
            int space = line.lastIndexOf(' ');
            long value = Long.parseLong(line.substring(space + 1));
            Node node = root;
            root.value += value;
            for (String frame : line.substring(0, space).split(";")) {
                node = node.children.computeIfAbsent(frame, Node::new);
                node.value += value;
            }
        }
        root.write(json);
    }

    private static final class Node {
        final String name;
        final Map<String, Node> children = new LinkedHashMap<>();
        long value;

        Node(String name) {
            this.name = name;
        }

        void write(JsonGenerator json) throws IOException {
            json.writeStartObject();
            json.writeStringField("name", name);
            json.writeNumberField("value", value);
            if (!children.isEmpty()) {
                json.writeArrayFieldStart("children");
                for (Node child : children.values()) {
                    child.write(json);
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        }
    }

    private static void table(JsonGenerator json, String title, Map<String, Group> groups, int limit) throws IOException {
        json.writeObjectFieldStart(title);
        json.writeNumberField("rows", groups.size());
        json.writeArrayFieldStart("data");
        List<Map.Entry<String, Group>> rows = new ArrayList<>(groups.entrySet());
        rows.sort((a, b) -> a.getValue().latency.count() != b.getValue().latency.count()
                ? Long.compare(b.getValue().latency.count(), a.getValue().latency.count()) : a.getKey().compareTo(b.getKey()));
        for (Map.Entry<String, Group> row : rows.subList(0, Math.min(limit, rows.size()))) {
            LatencyHistogram h = row.getValue().latency;
            row(json, row.getKey(), h.count(), row.getValue().bytes, h);
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private void filesTable(JsonGenerator json) throws IOException {
        json.writeObjectFieldStart("file and operation");
        List<FileGroups.Row> rows = files.rows();
        json.writeNumberField("rows", rows.size());
        json.writeArrayFieldStart("data");
        for (FileGroups.Row row : rows.subList(0, Math.min(TOP_ROWS, rows.size()))) {
            row(json, row.file() + "  (" + row.operation() + ")", row.requests(), row.bytes(), row.latency());
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void row(JsonGenerator json, String name, long requests, long bytes, LatencyHistogram h) throws IOException {
        json.writeStartArray();
        json.writeString(name);
        json.writeString(Formats.count(requests));
        json.writeString(Formats.bytes(bytes));
        json.writeString(Formats.nanos(h.percentile(50)));
        json.writeString(Formats.nanos(h.percentile(99)));
        json.writeString(Formats.nanos(h.max()));
        json.writeEndArray();
    }

    private static void slowest(JsonGenerator json, List<BlockRequest> slowest) throws IOException {
        json.writeArrayFieldStart("slowest");
        for (BlockRequest r : slowest) {
            json.writeStartObject();
            json.writeStringField("submitted", Formats.timeOfDay(r.start()));
            json.writeStringField("latency", Formats.nanos(r.duration()));
            json.writeStringField("queue", Formats.nanos(r.queueTime()));
            json.writeStringField("device", Formats.nanos(r.serviceTime()));
            json.writeStringField("disk", r.device());
            json.writeStringField("operation", r.operation());
            json.writeStringField("size", Formats.bytes(r.bytes()));
            json.writeStringField("thread", RequestLabels.thread(r));
            json.writeStringField("call", RequestLabels.call(r));
            json.writeStringField("file", r.hasFile() ? r.file() : "");
            json.writeStringField("javaCall", RequestLabels.callSite(r, CALL_SITE_FRAMES));
            json.writeStringField("issuer", r.isWriteback() ? "written back by " + r.comm() + " (tid " + r.osThreadId() + ")" : "");
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    /** JSON that can stand inside a script element: '<' (and so "</script>" or "<!--") as \u003c. */
    private static final class ScriptSafe extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] escapes = CharacterEscapes.standardAsciiEscapesForJSON();

        ScriptSafe() {
            escapes['<'] = CharacterEscapes.ESCAPE_STANDARD;
            escapes['>'] = CharacterEscapes.ESCAPE_STANDARD;
            escapes['&'] = CharacterEscapes.ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return escapes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return null;
        }
    }
}
