package io.blkflight.export;

import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Sends a profile to where a fleet's profiles are collected, over HTTP: a pprof profile to a Pyroscope-compatible
 * ingest endpoint (Pyroscope's {@code POST /ingest?name=SERVICE{LABELS}&from=&until=&format=pprof}, a multipart form
 * with the gzipped profile and the units of its sample types), an OTLP request to an OTLP/HTTP receiver
 * ({@code POST /v1development/profiles}, binary protobuf). A URL without a path gets the format's; one with a path is
 * taken as it is. Uses java.base's HttpURLConnection only (the agent runs in applications whose runtime may lack
 * java.net.http), with timeouts on connecting and on the whole answer.
 */
public final class ProfileSender {
    /** What a profile is sent as. */
    public enum Format {
        PPROF, OTLP;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Format of(String label) {
            for (Format format : values()) {
                if (format.label().equals(label)) {
                    return format;
                }
            }
            throw new IllegalArgumentException("'" + label + "' is not a profile format; accepted: pprof, otlp");
        }
    }

    /** The answer was an error; retryable when the receiver may take it later (OTLP: 429, 502, 503, 504). */
    public static final class SendException extends IOException {
        private static final long serialVersionUID = 1L;
        private final boolean retryable;

        public SendException(String message, boolean retryable) {
            super(message);
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    /** Pyroscope's ingest: the units and aggregation of each sample type, without which it keeps only those it knows. */
    static final String SAMPLE_TYPE_CONFIG = "{"
            + "\"requests\":{\"units\":\"objects\",\"aggregation\":\"sum\",\"display-name\":\"block_io_requests\"},"
            + "\"bytes\":{\"units\":\"bytes\",\"aggregation\":\"sum\",\"display-name\":\"block_io_bytes\"},"
            + "\"latency\":{\"units\":\"nanoseconds\",\"aggregation\":\"sum\",\"display-name\":\"block_io_latency\"},"
            + "\"queue\":{\"units\":\"nanoseconds\",\"aggregation\":\"sum\",\"display-name\":\"block_io_queue\"},"
            + "\"service\":{\"units\":\"nanoseconds\",\"aggregation\":\"sum\",\"display-name\":\"block_io_service\"}}";

    private final URI endpoint;
    private final Format format;
    private final int timeoutMillis;

    /**
     * @param url           the receiver: {@code http://host:4040} (Pyroscope), {@code http://host:4318} (an OpenTelemetry
     *                      Collector's OTLP/HTTP receiver), or a full URL with its path
     * @param timeoutMillis the longest a connection, and the answer, may take
     * @throws IllegalArgumentException when the URL is not an http or https URL
     */
    public ProfileSender(String url, Format format, int timeoutMillis) {
        this.endpoint = endpoint(url, format);
        this.format = format;
        this.timeoutMillis = timeoutMillis;
    }

    /** The URL a profile of the format goes to: the given one, with the format's path when it has none. */
    public static URI endpoint(String url, Format format) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + url + "' is not a URL: " + e.getReason());
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("'" + url + "' is not an http:// or https:// URL with a host, such as "
                    + (format == Format.PPROF ? "http://pyroscope:4040" : "http://collector:4318"));
        }
        if (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/")) {
            return uri.resolve(format == Format.PPROF ? "/ingest" : OtlpExport.HTTP_PATH);
        }
        return uri;
    }

    public URI endpoint() {
        return endpoint;
    }

    /**
     * Sends one profile: pprof's gzipped bytes, or an OTLP request's. For Pyroscope, the service and labels name the
     * series, and from/until (epoch seconds) its time.
     *
     * @throws SendException the receiver answered with an error
     * @throws IOException   it could not be reached or did not answer in time
     */
    public void send(byte[] profile, String service, Map<String, String> labels, long fromSeconds, long untilSeconds)
            throws IOException {
        URI uri = endpoint;
        String contentType;
        byte[] body;
        if (format == Format.PPROF) {
            StringBuilder name = new StringBuilder(pyroscopeName(service)).append('{');
            labels.forEach((key, value) -> name.append(name.charAt(name.length() - 1) == '{' ? "" : ",")
                    .append(pyroscopeName(key)).append('=').append(pyroscopeName(value)));
            name.append('}');
            String query = "name=" + URLEncoder.encode(name.toString(), StandardCharsets.UTF_8) + "&from=" + fromSeconds
                    + "&until=" + untilSeconds + "&format=pprof&spyName=blkflight";
            uri = URI.create(endpoint + (endpoint.getRawQuery() == null ? "?" : "&") + query);
            String boundary = "blkflight-" + UUID.randomUUID();
            contentType = "multipart/form-data; boundary=" + boundary;
            body = multipart(boundary, profile);
        } else {
            contentType = "application/x-protobuf";
            body = profile;
        }
        post(uri, contentType, body);
    }

    /** What Pyroscope takes in a name or label: letters, digits and {@code . _ - / :}; anything else becomes '_'. */
    static String pyroscopeName(String text) {
        StringBuilder clean = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            clean.append(c < 128 && (Character.isLetterOrDigit(c) || ".-_/:".indexOf(c) >= 0) ? c : '_');
        }
        return clean.length() == 0 ? "_" : clean.toString();
    }

    private static byte[] multipart(String boundary, byte[] profile) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(profile.length + 1024);
        part(body, boundary, "profile", "profile.pprof", "application/octet-stream", profile);
        part(body, boundary, "sample_type_config", "sample_type_config.json", "application/json",
                SAMPLE_TYPE_CONFIG.getBytes(StandardCharsets.UTF_8));
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }

    private static void part(ByteArrayOutputStream body, String boundary, String field, String file, String type,
                             byte[] content) throws IOException {
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + file
                + "\"\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.write(content);
        body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private void post(URI uri, String contentType, byte[] body) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        try {
            connection.setConnectTimeout(timeoutMillis);
            connection.setReadTimeout(timeoutMillis);
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setUseCaches(false);
            connection.setRequestProperty("Content-Type", contentType);
            connection.setRequestProperty("User-Agent", "blkflight");
            connection.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
            int status = connection.getResponseCode();
            byte[] answer = readAll(status >= 400 ? connection.getErrorStream() : connection.getInputStream());
            if (status / 100 != 2) {
                String text = new String(answer, 0, Math.min(answer.length, 200), StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
                throw new SendException(uri.getScheme() + "://" + uri.getAuthority() + uri.getRawPath() + " answered HTTP "
                        + status + (text.isEmpty() ? "" : ": " + text),
                        status == 429 || status == 502 || status == 503 || status == 504);
            }
            if (format == Format.OTLP && answer.length > 0) {
                ExportProfilesServiceResponse response = ExportProfilesServiceResponse.parseFrom(answer);
                if (response.hasPartialSuccess() && response.getPartialSuccess().getRejectedProfiles() > 0) {
                    throw new SendException(uri.getAuthority() + " rejected " + response.getPartialSuccess().getRejectedProfiles()
                            + " profiles: " + response.getPartialSuccess().getErrorMessage(), false);
                }
            }
        } finally {
            connection.disconnect();
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        if (in == null) {
            return new byte[0];
        }
        try (in) {
            return in.readNBytes(1 << 20);
        }
    }
}
