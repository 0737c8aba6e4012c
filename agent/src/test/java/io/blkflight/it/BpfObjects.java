package io.blkflight.it;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The BPF programs and maps loaded on the machine (bpftool), and which of them a live process holds (the
 * prog_id and map_id lines of /proc/PID/fdinfo, for program, link and map descriptors). What a JVM leaves behind
 * after it is gone is what is new since before it started and nobody holds: other collectors may run on the same
 * machine at the same time (another test, another agent), and their objects are theirs.
 */
final class BpfObjects {
    private static final Pattern OBJECT = Pattern.compile("\\{\"id\":(\\d+),[^{}]*?\"name\":\"([^\"]*)\"");
    private static final Pattern MAP_IDS = Pattern.compile("\"map_ids\":\\[([0-9,]*)\\]");

    private final Map<Integer, String> programs;
    private final Map<Integer, String> maps;
    private final Map<Integer, List<Integer>> programMaps;

    private BpfObjects(Map<Integer, String> programs, Map<Integer, String> maps, Map<Integer, List<Integer>> programMaps) {
        this.programs = programs;
        this.maps = maps;
        this.programMaps = programMaps;
    }

    /** Names of the programs and maps that leaked. */
    record Orphans(List<String> programs, List<String> maps) {
    }

    static BpfObjects now() throws IOException, InterruptedException {
        Map<Integer, String> programs = new HashMap<>();
        Map<Integer, List<Integer>> programMaps = new HashMap<>();
        for (String entry : Commands.run("bpftool", "-j", "prog", "show").split("(?=\\{\"id\")")) {
            Matcher m = OBJECT.matcher(entry);
            if (m.find()) {
                int id = Integer.parseInt(m.group(1));
                programs.put(id, m.group(2));
                Matcher ids = MAP_IDS.matcher(entry);
                List<Integer> used = new ArrayList<>();
                if (ids.find() && !ids.group(1).isEmpty()) {
                    for (String mapId : ids.group(1).split(",")) {
                        used.add(Integer.parseInt(mapId));
                    }
                }
                programMaps.put(id, used);
            }
        }
        Map<Integer, String> maps = new HashMap<>();
        for (String entry : Commands.run("bpftool", "-j", "map", "show").split("(?=\\{\"id\")")) {
            Matcher m = OBJECT.matcher(entry);
            if (m.find()) {
                maps.put(Integer.parseInt(m.group(1)), m.group(2));
            }
        }
        return new BpfObjects(programs, maps, programMaps);
    }

    /** The programs and maps that are new since {@code before} and held by no live process. */
    Orphans orphansSince(BpfObjects before) throws IOException {
        Set<Integer> heldPrograms = new HashSet<>();
        Set<Integer> heldMaps = new HashSet<>();
        held(heldPrograms, heldMaps);
        for (int program : heldPrograms) {
            heldMaps.addAll(programMaps.getOrDefault(program, List.of()));
        }
        List<String> orphanPrograms = new ArrayList<>();
        programs.forEach((id, name) -> {
            if (!before.programs.containsKey(id) && !heldPrograms.contains(id)) {
                orphanPrograms.add(name);
            }
        });
        List<String> orphanMaps = new ArrayList<>();
        maps.forEach((id, name) -> {
            if (!before.maps.containsKey(id) && !heldMaps.contains(id)) {
                orphanMaps.add(name);
            }
        });
        return new Orphans(orphanPrograms, orphanMaps);
    }

    private static void held(Set<Integer> programs, Set<Integer> maps) throws IOException {
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(process.resolve("fdinfo"))) {
                    for (Path descriptor : descriptors) {
                        for (String line : Files.readAllLines(descriptor)) {
                            if (line.startsWith("prog_id:")) {
                                programs.add(Integer.parseInt(line.substring(8).trim()));
                            } else if (line.startsWith("map_id:")) {
                                maps.add(Integer.parseInt(line.substring(7).trim()));
                            }
                        }
                    }
                } catch (IOException | RuntimeException gone) {
                    // The process ended, or its descriptors are not ours to read: nothing of it is counted.
                }
            }
        }
    }
}
