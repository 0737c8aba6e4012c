package io.blkflight.bench;

import io.blkflight.it.ChildJvm;
import io.blkflight.it.Commands;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What following virtual threads costs (a benchmark, not a test): {@link MountWorkload} on JDK 25, whose virtual
 * threads do nothing but mount and unmount (the worst case: a real one does work between two mounts), without the
 * agent, with the agent and virtualThreads=off (libinstrument's JVMTI environment alone makes HotSpot take its slower
 * mount path, which every Java agent pays), and with the agent's defaults (its JVMTI callbacks at every start, end,
 * mount and unmount). Each round runs each configuration once in a rotating order; the figures are medians of the
 * process's CPU time per operation (yield: an unmount and a mount; spawn: a start, an unmount, a mount and an end).
 * Needs root (the agent's collector). Arguments (optional): rounds (5), kind (yield or spawn, both by default),
 * measured seconds (4).
 */
public final class MountCostBenchmark {
    private static final Pattern RESULT = Pattern.compile("ops=(\\d+) cpu=(\\d+)");

    private MountCostBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<String> kinds = args.length > 1 ? List.of(args[1]) : List.of("yield", "spawn");
        String seconds = args.length > 2 ? args[2] : "4";
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("no agent", null);
        configs.put("agent, virtualThreads=off", "virtualThreads=off,stacks=off");
        configs.put("agent, defaults (virtualThreads=on)", "stacks=off");
        for (String kind : kinds) {
            Map<String, List<Double>> perOp = new LinkedHashMap<>();
            Map<String, List<Double>> rates = new LinkedHashMap<>();
            configs.keySet().forEach(name -> {
                perOp.put(name, new ArrayList<>());
                rates.put(name, new ArrayList<>());
            });
            List<String> order = new ArrayList<>(configs.keySet());
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < order.size(); i++) {
                    String name = order.get((i + round) % order.size());
                    ChildJvm jvm = ChildJvm.of(ChildJvm.JDK_25);
                    if (configs.get(name) != null) {
                        jvm.withAgent(configs.get(name));
                    }
                    Commands.Result result = jvm.run(MountWorkload.class.getName(), kind, "8", "3", seconds);
                    Matcher m = RESULT.matcher(result.stdout());
                    if (result.exitCode() != 0 || !m.find()) {
                        throw new IllegalStateException(name + " failed: " + result.stdout() + result.stderr());
                    }
                    long ops = Long.parseLong(m.group(1));
                    perOp.get(name).add(Long.parseLong(m.group(2)) / (double) ops);
                    rates.get(name).add(ops / Double.parseDouble(seconds));
                }
            }
            System.out.printf(Locale.ROOT, "%s (%s), %d rounds of %s s: median CPU per operation (quartiles), operations per second%n",
                    kind, kind.equals("yield") ? "unmount + mount" : "start + unmount + mount + end", rounds, seconds);
            double base = median(perOp.get("agent, virtualThreads=off"));
            for (String name : configs.keySet()) {
                List<Double> values = perOp.get(name);
                System.out.printf(Locale.ROOT, "  %-38s %8.1f ns (%.1f-%.1f)  %+8.1f ns against virtualThreads=off  %,12.0f/s%n",
                        name, median(values), quartile(values, 1), quartile(values, 3), median(values) - base, median(rates.get(name)));
            }
        }
    }

    private static double median(List<Double> values) {
        return quartile(values, 2);
    }

    private static double quartile(List<Double> values, int q) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.round(q * (sorted.size() - 1) / 4.0)));
    }
}
