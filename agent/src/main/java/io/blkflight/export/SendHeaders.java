package io.blkflight.export;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The HTTP headers a profile is sent with, for receivers behind authentication: a file of {@code Name: value} lines
 * (the agent's pushHeaders=FILE, export's --headers FILE), so that secrets stay off the command line, where every
 * process of the host and JFR's own jdk.JVMInformation event see them; and for OTLP the OpenTelemetry exporter's
 * standard variables, {@code OTEL_EXPORTER_OTLP_PROFILES_HEADERS}, else {@code OTEL_EXPORTER_OTLP_HEADERS}
 * ({@code key1=value1,key2=value2}, keys and values percent-decoded, as the OpenTelemetry specification says). A
 * header in the file replaces one of the same name from the variable.
 *
 * <p>Every problem is an {@link IllegalArgumentException} whose message names the file or variable and the line or
 * entry, never a value: a message is logged, and a malformed line may well be a secret.
 */
public final class SendHeaders {
    public static final String OTLP_PROFILES_VARIABLE = "OTEL_EXPORTER_OTLP_PROFILES_HEADERS";
    public static final String OTLP_VARIABLE = "OTEL_EXPORTER_OTLP_HEADERS";
    /** The longest headers file read: a few headers, not a data file named by mistake. */
    static final int MAX_FILE_BYTES = 64 << 10;
    /**
     * Headers the sender sets itself, that would change how the request is framed or routed, or that java.net's
     * HttpURLConnection drops without a word (its restricted headers).
     */
    private static final Set<String> RESERVED = Set.of("content-type", "content-length", "content-transfer-encoding",
            "transfer-encoding", "host", "connection", "expect", "upgrade", "te", "trailer", "keep-alive",
            "proxy-connection", "origin", "via", "access-control-request-headers", "access-control-request-method");

    private SendHeaders() {
    }

    /**
     * The headers for sending a profile of the format: the variables' for OTLP (from the given environment), then
     * the file's, if one is given.
     *
     * @throws IllegalArgumentException the file cannot be read or has a malformed line, or the variable a
     *                                  malformed entry
     */
    public static Map<String, String> of(ProfileSender.Format format, Path file, Map<String, String> environment) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (format == ProfileSender.Format.OTLP) {
            String variable = present(environment, OTLP_PROFILES_VARIABLE) ? OTLP_PROFILES_VARIABLE
                    : present(environment, OTLP_VARIABLE) ? OTLP_VARIABLE : null;
            if (variable != null) {
                putAll(headers, parseOtlpVariable(variable, environment.get(variable)));
            }
        }
        if (file != null) {
            putAll(headers, readFile(file));
        }
        return headers;
    }

    /**
     * Whether headers for the format come from the environment: then JFR's jdk.InitialEnvironmentVariable would
     * write their values into a recording with the JDK's default settings.
     */
    public static boolean fromEnvironment(ProfileSender.Format format, Map<String, String> environment) {
        return format == ProfileSender.Format.OTLP
                && (present(environment, OTLP_PROFILES_VARIABLE) || present(environment, OTLP_VARIABLE));
    }

    private static boolean present(Map<String, String> environment, String name) {
        String value = environment.get(name);
        return value != null && !value.isBlank();
    }

    /** Adds headers, one of the same name (in any case) replaced. */
    private static void putAll(Map<String, String> into, Map<String, String> headers) {
        headers.forEach((name, value) -> {
            into.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
            into.put(name, value);
        });
    }

    /** A headers file: {@code Name: value} per line; blank lines and lines starting with # are skipped. */
    static Map<String, String> readFile(Path file) {
        String where = "headers file " + file;
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new IllegalArgumentException(where + " is a directory; give a file of 'Name: value' lines");
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new IllegalArgumentException(where + " is larger than " + (MAX_FILE_BYTES >> 10)
                        + " KiB; give a file of 'Name: value' lines");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(where + " does not exist; give a file of 'Name: value' lines");
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException(where + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(where + " is not UTF-8 text");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String at = where + ", line " + (i + 1);
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(at + ": no ':' between a header's name and its value; each line is"
                        + " 'Name: value', e.g. 'Authorization: Bearer TOKEN'");
            }
            String name = line.substring(0, colon).strip();
            putChecked(headers, name, line.substring(colon + 1).strip(), at);
        }
        if (headers.isEmpty()) {
            throw new IllegalArgumentException(where + " has no header; each line is 'Name: value', e.g."
                    + " 'Authorization: Bearer TOKEN'");
        }
        return headers;
    }

    /**
     * OTEL_EXPORTER_OTLP_HEADERS' syntax: {@code key=value} pairs separated by commas (W3C Baggage's, without its
     * properties), spaces around them ignored, keys and values percent-decoded ({@code %20}; a '+' stays a '+').
     */
    static Map<String, String> parseOtlpVariable(String variable, String text) {
        Map<String, String> headers = new LinkedHashMap<>();
        String[] entries = text.split(",", -1);
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip();
            if (entry.isEmpty()) {
                continue;
            }
            String at = variable + ", entry " + (i + 1);
            int equals = entry.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException(at + ": not key=value; the variable holds key1=value1,key2=value2"
                        + " (values percent-encoded, e.g. Authorization=Bearer%20TOKEN)");
            }
            putChecked(headers, percentDecode(entry.substring(0, equals).strip(), at),
                    percentDecode(entry.substring(equals + 1).strip(), at), at);
        }
        return headers;
    }

    private static void putChecked(Map<String, String> headers, String name, String value, String at) {
        if (!isToken(name)) {
            throw new IllegalArgumentException(at + ": the header's name is empty or not an HTTP token (letters, digits"
                    + " and !#$%&'*+-.^_`|~)");
        }
        if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(at + ": " + name + " is set by the sender itself; give other headers");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw new IllegalArgumentException(at + ": the value of " + name + " holds a control character");
            }
        }
        if (headers.keySet().stream().anyMatch(existing -> existing.equalsIgnoreCase(name))) {
            throw new IllegalArgumentException(at + ": " + name + " is given twice; give it once");
        }
        headers.put(name, value);
    }

    private static boolean isToken(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 128 || !(Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    /** RFC 3986's percent-decoding, of UTF-8; a '+' is a '+' (W3C Baggage), not a space as in forms. */
    static String percentDecode(String text, String at) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            int c = text.codePointAt(i);
            if (c == '%') {
                int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
                int low = high >= 0 ? Character.digit(text.charAt(i + 2), 16) : -1;
                if (low < 0) {
                    throw new IllegalArgumentException(at + ": a '%' not followed by two hexadecimal digits");
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                byte[] encoded = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
                i += Character.charCount(c) - 1;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(at + ": percent-encoded bytes that are not UTF-8");
        }
    }

    /** Header names for a line a person reads: the values are never shown. */
    public static String names(Map<String, String> headers) {
        return String.join(", ", new ArrayList<>(headers.keySet()));
    }
}
