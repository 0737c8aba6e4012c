package io.blkflight.collector;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Function-level mode: which kernel functions to trace. The candidates come from the kernel's BTF (every
 * function with a {@code struct request *}, or a {@code struct bio *}, among its first six parameters;
 * see {@link NativeCollector#discoverFunctions}); the user's globs pick among them; the kernel's symbol
 * table says which can be traced at all; a cap bounds the cost. Every candidate the globs picked but that
 * is not traced is listed with the reason.
 */
public final class KernelFunctions {
    /** Which argument the request pointer is. */
    public enum Kind { REQUEST, BIO }

    /** A function of the kernel's BTF with the position of its struct request * (or bio *) parameter. */
    public record Candidate(String name, int btfId, int argument, Kind kind, String module) {
        /** As shown to users: {@code name(arg N)}, with the module where it is not vmlinux. */
        public String describe() {
            return name + "(arg " + argument + (kind == Kind.BIO ? ", bio" : "") + ")"
                    + (module.isEmpty() ? "" : " [" + module + "]");
        }
    }

    /** A candidate that is not traced, and why. */
    public record Skipped(String name, String reason) {
    }

    /** What to trace and what was left out. */
    public record Selection(List<Candidate> chosen, List<Skipped> skipped) {
    }

    /** What the kernel's symbol table says about a function name. */
    public interface Symbols {
        /** Empty when the function can be traced by that name, else why not. */
        Optional<String> untraceable(String name);
    }

    /** The tracing machinery's own functions (tracepoint stubs and handlers): tracing them traces ourselves. */
    private static final Pattern TRACING_MACHINERY = Pattern.compile(
            "__bpf_trace_.*|__traceiter_.*|__probestub_.*|perf_trace_.*|trace_event_raw_event_.*|trace_raw_output_.*|blk_add_trace_.*");

    private KernelFunctions() {
    }

    /** Parses {@link NativeCollector#discoverFunctions}'s text: "name btf_id argument kind [module]" per line. */
    public static List<Candidate> parseDiscovery(String text) {
        List<Candidate> candidates = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] parts = line.trim().split(" ");
            if (parts.length < 4) {
                continue;
            }
            Kind kind = parts[3].equals("2") ? Kind.BIO : Kind.REQUEST;
            candidates.add(new Candidate(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), kind,
                    parts.length > 4 ? parts[4] : ""));
        }
        return candidates;
    }

    /** A glob of function names: {@code *} any run of characters, {@code ?} one character. */
    public static Predicate<String> glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString()).asMatchPredicate();
    }

    /**
     * Picks the functions to trace: those matching an include glob and no exclude glob, of the argument
     * kinds asked for, that the kernel can trace, at most {@code max} of them (request functions before
     * bio functions, then by name, so that a cap keeps the block layer's own first).
     */
    public static Selection select(List<Candidate> candidates, List<String> include, List<String> exclude, boolean bios,
                                   int max, Symbols symbols) {
        List<Predicate<String>> includes = include.stream().map(KernelFunctions::glob).toList();
        Map<String, Predicate<String>> excludes = new LinkedHashMap<>();
        exclude.forEach(g -> excludes.put(g, glob(g)));
        List<Candidate> matched = candidates.stream()
                .filter(c -> includes.stream().anyMatch(p -> p.test(c.name())))
                .sorted(Comparator.comparing(Candidate::kind).thenComparing(Candidate::name))
                .toList();
        List<Candidate> chosen = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Candidate candidate : matched) {
            Optional<String> excludedBy = excludes.entrySet().stream()
                    .filter(e -> e.getValue().test(candidate.name())).map(Map.Entry::getKey).findFirst();
            if (excludedBy.isPresent()) {
                skipped.add(new Skipped(candidate.name(), "excluded by " + excludedBy.get()));
                continue;
            }
            if (TRACING_MACHINERY.matcher(candidate.name()).matches()) {
                skipped.add(new Skipped(candidate.name(), "part of the tracing machinery (tracepoint stubs, blktrace), never traced"));
                continue;
            }
            if (candidate.kind() == Kind.BIO && !bios) {
                skipped.add(new Skipped(candidate.name(), "takes a struct bio *, not a request (functionBios=on traces it)"));
                continue;
            }
            if (seen.merge(candidate.name(), 1, Integer::sum) > 1) {
                skipped.add(new Skipped(candidate.name(), "another function of the same name is traced already"));
                continue;
            }
            Optional<String> why = symbols.untraceable(candidate.name());
            if (why.isPresent()) {
                skipped.add(new Skipped(candidate.name(), why.get()));
                continue;
            }
            if (chosen.size() >= max) {
                skipped.add(new Skipped(candidate.name(), "over maxFunctions=" + max));
                continue;
            }
            chosen.add(candidate);
        }
        return new Selection(List.copyOf(chosen), List.copyOf(skipped));
    }

    /**
     * The running kernel's view of which functions can be traced: tracefs's available_filter_functions
     * where it can be read (the exact list), else /proc/kallsyms (a function without a text symbol was
     * inlined everywhere; one name with several symbols cannot be attached by name).
     */
    public static Symbols kernelSymbols() {
        for (Path list : List.of(Path.of("/sys/kernel/tracing/available_filter_functions"),
                Path.of("/sys/kernel/debug/tracing/available_filter_functions"))) {
            try {
                return fromFilterFunctions(list);
            } catch (IOException | SecurityException e) {
                // not readable here (lockdown, no tracefs): fall back to kallsyms
            }
        }
        try {
            return fromKallsyms(Path.of("/proc/kallsyms"));
        } catch (IOException e) {
            return name -> Optional.empty();
        }
    }

    /** From a file in available_filter_functions format: "name [module]" per line. */
    public static Symbols fromFilterFunctions(Path file) throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                int space = line.indexOf(' ');
                counts.merge(space < 0 ? line : line.substring(0, space), 1, Integer::sum);
            }
        }
        return name -> {
            int count = counts.getOrDefault(name, 0);
            if (count == 0) {
                return Optional.of("not traceable (not in available_filter_functions: inlined or notrace)");
            }
            return count > 1 ? Optional.of("ambiguous: " + count + " traceable functions have this name") : Optional.empty();
        };
    }

    /** From a file in kallsyms format: "address type name [module]" per line. */
    public static Symbols fromKallsyms(Path file) throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        Map<String, String> variants = new HashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String[] parts = line.split("\\s+");
                if (parts.length < 3 || !(parts[1].equals("t") || parts[1].equals("T"))) {
                    continue;
                }
                String name = parts[2];
                int dot = name.indexOf('.');
                if (dot > 0) {
                    variants.putIfAbsent(name.substring(0, dot), name);
                } else {
                    counts.merge(name, 1, Integer::sum);
                }
            }
        }
        return name -> {
            int count = counts.getOrDefault(name, 0);
            if (count == 0) {
                String variant = variants.get(name);
                return Optional.of(variant != null
                        ? "not traceable by name: only the compiler's copy " + variant + " exists"
                        : "not traceable: no symbol in /proc/kallsyms (inlined everywhere)");
            }
            return count > 1 ? Optional.of("ambiguous: " + count + " functions have this name") : Optional.empty();
        };
    }

    /** The skipped functions as lines "name: reason", for the recording and the log. */
    public static String describe(List<Skipped> skipped) {
        return skipped.stream().map(s -> s.name() + ": " + s.reason()).collect(Collectors.joining("\n"));
    }
}
