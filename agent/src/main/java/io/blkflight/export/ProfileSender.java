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
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Sends a profile to where a fleet's profiles are collected, over HTTP: a pprof profile to a Pyroscope-compatible
 * ingest endpoint (Pyroscope's {@code POST /ingest?name=SERVICE{LABELS}&from=&until=&format=pprof}, a multipart form
 * with the gzipped profile and the units of its sample types), an OTLP request to an OTLP/HTTP receiver
 * ({@code POST /v1development/profiles}, binary protobuf). A URL without a path gets the format's; one with a path is
 * taken as it is. Uses java.base's HttpURLConnection only, HTTP/1.1 (the agent runs in applications whose runtime may
 * lack the java.net.http module: a jlinked runtime), with timeouts on connecting and on the whole answer. A receiver
 * behind authentication gets the URL's user and password as HTTP Basic authentication (Grafana Cloud Profiles,
 * Pyroscope behind a proxy) and any headers given (a bearer token for a Collector's bearertokenauth, a tenant's
 * X-Scope-OrgID): neither is ever shown in a message.
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
    /** Sent with every profile: the URL's user and password as Basic authentication, and the headers given. */
    private final Map<String, String> headers;
    /** What {@link #redacted} hides. */
    private final List<String> secrets;

    /**
     * @param url           the receiver: {@code http://host:4040} (Pyroscope), {@code http://host:4318} (an OpenTelemetry
     *                      Collector's OTLP/HTTP receiver), or a full URL with its path
     * @param timeoutMillis the longest a connection, and the answer, may take
     * @throws IllegalArgumentException when the URL is not an http or https URL
     */
    public ProfileSender(String url, Format format, int timeoutMillis) {
        this(url, format, timeoutMillis, Map.of());
    }

    /**
     * @param url     as above; a user and password in it ({@code https://user:secret@host}, percent-encoded) are sent
     *                as HTTP Basic authentication, and never shown: {@link #shown} masks them
     * @param headers sent with every profile (see {@link SendHeaders}); never shown either
     * @throws IllegalArgumentException when the URL is not an http or https URL, or both it and the headers give
     *                                  Authorization
     */
    public ProfileSender(String url, Format format, int timeoutMillis, Map<String, String> headers) {
        this.endpoint = withoutUserInfo(endpoint(url, format));
        this.format = format;
        this.timeoutMillis = timeoutMillis;
        Map<String, String> all = new LinkedHashMap<>();
        URI given = parse(url);
        String userInfo = given.getUserInfo();
        if (userInfo != null) {
            if (headers.keySet().stream().anyMatch(name -> name.equalsIgnoreCase("Authorization"))) {
                throw new IllegalArgumentException("both the URL's user:password and the headers give Authorization; give one");
            }
            all.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
        }
        all.putAll(headers);
        this.headers = Collections.unmodifiableMap(all);
        List<String> hidden = new ArrayList<>();
        if (userInfo != null) {
            hidden.add(userInfo);
            hidden.add(userInfo.substring(userInfo.indexOf(':') + 1));
            hidden.add(given.getRawUserInfo());
        }
        for (String value : all.values()) {
            hidden.add(value);
            // "Bearer TOKEN", "Basic ...": the credential also alone.
            hidden.add(value.replaceFirst("^\\S+\\s+", ""));
        }
        // Longest first, so that a value's part does not leave the rest of it shown; a few characters are no secret.
        hidden.removeIf(secret -> secret.length() < 4);
        hidden.sort(Comparator.comparingInt(String::length).reversed());
        this.secrets = List.copyOf(new LinkedHashSet<>(hidden));
    }

    /** The text with every header value and the URL's user and password replaced by ***: for a message from elsewhere. */
    public String redacted(String text) {
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, "***");
        }
        return result;
    }

    /** The URL a profile of the format goes to: the given one, with the format's path when it has none. */
    public static URI endpoint(String url, Format format) {
        URI uri = parse(url);
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("'" + shown(url) + "' is not an http:// or https:// URL with a host, such as "
                    + (format == Format.PPROF ? "http://pyroscope:4040" : "http://collector:4318")
                    + (url.indexOf('@') >= 0 ? " (a user or password with @, : or / takes it percent-encoded: %40, %3A, %2F)" : ""));
        }
        if (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/")) {
            return uri.resolve(format == Format.PPROF ? "/ingest" : OtlpExport.HTTP_PATH);
        }
        return uri;
    }

    private static URI parse(String url) {
        try {
            return new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + shown(url) + "' is not a URL: " + e.getReason().replace(url, shown(url)));
        }
    }

    private static URI withoutUserInfo(URI uri) {
        if (uri.getRawUserInfo() == null) {
            return uri;
        }
        try {
            return new URI(uri.getScheme() + "://" + uri.getRawAuthority().substring(uri.getRawAuthority().lastIndexOf('@') + 1)
                    + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + shown(uri.toString()) + "' is not a URL: " + e.getReason());
        }
    }

    /**
     * Text with every URL's password masked, for a line a person reads: {@code https://user:***@host/...}, or
     * {@code https://***@host} for a URL with a user and no password (it may be a token). Any text: a URL, or the
     * agent's options.
     */
    public static String shown(String text) {
        if (text == null || !text.contains("://")) {
            return text;
        }
        StringBuilder masked = new StringBuilder(text.length());
        int from = 0;
        int scheme;
        while ((scheme = text.indexOf("://", from)) >= 0) {
            int start = scheme + 3;
            int end = start;
            while (end < text.length() && "/?#,".indexOf(text.charAt(end)) < 0) {
                end++;
            }
            int at = text.lastIndexOf('@', end - 1);
            masked.append(text, from, start);
            if (at >= start) {
                int colon = text.indexOf(':', start);
                masked.append(colon >= 0 && colon < at ? text.substring(start, colon) + ":***" : "***").append('@');
                masked.append(text, at + 1, end);
            } else {
                masked.append(text, start, end);
            }
            from = end;
        }
        return masked.append(text.substring(from)).toString();
    }

    /** The longest a connection, and the answer, may take. */
    public int timeoutMillis() {
        return timeoutMillis;
    }

    /** Where profiles go, without the URL's user and password. */
    public URI endpoint() {
        return endpoint;
    }

    /** The names of the headers sent besides the sender's own (Authorization for a URL's user), never their values. */
    public Set<String> headerNames() {
        return headers.keySet();
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
        send(profile, service, labels, fromSeconds, untilSeconds, timeoutMillis);
    }

    /** As above, waiting at most {@code timeoutMillis} (at least 1) to connect, and for the answer. */
    public void send(byte[] profile, String service, Map<String, String> labels, long fromSeconds, long untilSeconds,
                     int timeoutMillis) throws IOException {
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
        post(uri, contentType, body, Math.max(1, timeoutMillis));
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

    private void post(URI uri, String contentType, byte[] body, int timeoutMillis) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        try {
            connection.setConnectTimeout(timeoutMillis);
            connection.setReadTimeout(timeoutMillis);
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setUseCaches(false);
            // A redirect is an error: the headers (credentials) go to the receiver named, nowhere else.
            connection.setInstanceFollowRedirects(false);
            connection.setRequestProperty("Content-Type", contentType);
            connection.setRequestProperty("User-Agent", "blkflight");
            headers.forEach(connection::setRequestProperty);
            connection.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
            String where = uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
            int status;
            try {
                status = connection.getResponseCode();
            } catch (java.net.HttpRetryException e) {
                // A challenge HttpURLConnection would answer itself, which it cannot with the body already streamed.
                status = e.responseCode();
            }
            if (status == 401 || status == 407) {
                throw new SendException(where + " answered HTTP " + status + ": authentication refused (check the URL's"
                        + " user and password, or the headers)", false);
            }
            byte[] answer = readAll(status >= 400 ? connection.getErrorStream() : connection.getInputStream());
            if (status / 100 != 2) {
                String text = redacted(new String(answer, 0, Math.min(answer.length, 200), StandardCharsets.UTF_8)
                        .replaceAll("\\s+", " ").trim());
                throw new SendException(where + " answered HTTP " + status + (text.isEmpty() ? "" : ": " + text),
                        status == 429 || status == 502 || status == 503 || status == 504);
            }
            if (format == Format.OTLP && answer.length > 0) {
                ExportProfilesServiceResponse response = ExportProfilesServiceResponse.parseFrom(answer);
                if (response.hasPartialSuccess() && response.getPartialSuccess().getRejectedProfiles() > 0) {
                    throw new SendException(uri.getRawAuthority() + " rejected " + response.getPartialSuccess().getRejectedProfiles()
                            + " profiles: " + redacted(response.getPartialSuccess().getErrorMessage()), false);
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
