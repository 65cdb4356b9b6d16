package echosuite.loadgen;

import echosuite.report.LoadReport;
import echosuite.report.Units;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code loadgen hold}: N idle connections, and a probe's latency while they are held. */
@Command(mixinStandardHelpOptions = true, versionProvider = echosuite.cli.Version.class,
        name = "hold", sortOptions = false,
        description = "Open -c idle connections (ramped at --connect-rate); each counts as established once the echo of its first message is back. "
                + "The first --first-level of them are held for --level-hold, then the rest are opened and all are held for --level-hold; "
                + "then, while all are still held, one more connection (the probe) plays ping-pong for -d: its latency is the main latency. Reports established and failed connections (with reasons), "
                + "each level's interval and held connections (for a harness reading the server's memory at both), and this process's own memory.",
        footerHeading = "%nExamples:%n",
        footer = {"  loadgen hold -c 10000 -d 10 127.0.0.1:9190",
                "  loadgen hold -c 10000 --connect-rate 2000 --json hold.json 127.0.0.1:9190",
                "  loadgen hold -c 10000 --first-level 0 127.0.0.1:9190      (one level: all at once)"})
final class HoldCommand extends ScenarioCommand {

    @Option(names = "--first-level", paramLabel = "N",
            description = "Connections held first, before the rest are opened; 0: all at once, one level (default: half of -c).")
    Integer firstLevel;

    @Option(names = "--level-hold", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "2s",
            description = "With a first level: how long each level is held, the probe quiet, before the measured window (default: ${DEFAULT-VALUE}).")
    long levelHoldNs;

    private HoldLevels levels;

    @Override
    String problem() {
        if (firstLevel != null && (firstLevel < 0 || firstLevel >= options.connections)) {
            return "--first-level must be from 0 to one less than -c (" + (options.connections - 1) + "), got " + firstLevel + ".";
        }
        if (levelHoldNs <= 0) return "--level-hold must be more than 0.";
        if (options.agent != null) {
            AgentShare a = AgentShare.parse(options.agent);
            long first = a.of(firstLevel());
            if (first > 0 && first >= a.of(options.connections)) {
                return "--first-level " + firstLevel() + " of -c " + options.connections + " leaves agent " + a + " no connection for the second level;"
                        + " give a smaller --first-level (or 0).";
            }
        }
        if (options.warmupLimitNs <= 2 * levelHoldNs) {
            return "--warmup-limit (" + Units.duration(options.warmupLimitNs) + ") must be more than twice --level-hold ("
                    + Units.duration(levelHoldNs) + "): the measured window would open before both levels were held.";
        }
        return null;
    }

    /** --first-level, or its default: half of -c (all agents together). */
    private int firstLevel() {
        return firstLevel != null ? firstLevel : options.connections / 2;
    }

    @Override
    Workload.Factory factory(RunConfig config) {
        levels = new HoldLevels((int) options.share().of(firstLevel()), config.connections(), levelHoldNs, config.durationNs());
        return Hold.factory(levels);
    }

    @Override
    List<String> summaryLines(RunResult r) {
        long held = r.config.connections();
        long established = r.count("established");
        List<String> lines = new ArrayList<>(List.of(
                String.format(Locale.ROOT, "held       %,d of %,d established (first echo back), %,d failed; the latency above is the probe's",
                        established, held, held - established),
                "connect    " + RunReport.latencyLine(r.measured[Metric.CONNECT.ordinal()])));
        List<HoldLevels.Level> run = levels.levels();
        List<String> parts = new ArrayList<>();
        for (HoldLevels.Level l : run) {
            parts.add(String.format(Locale.ROOT, "%,d of %,d held for %s%s", l.held(), l.target(), Units.duration(l.toNs() - l.fromNs()),
                    l.reached() ? "" : " (still opening when it began)"));
        }
        if (!parts.isEmpty()) lines.add("levels     " + String.join(", then ", parts));
        lines.add(String.format(Locale.ROOT, "memory     this load generator: %,d KiB resident at the end, %,d KiB at its peak",
                r.rssKiB, r.peakRssKiB));
        return lines;
    }

    @Override
    LoadReport withOwnFigures(LoadReport report, RunResult r) {
        long established = r.count("established");
        List<LoadReport.HoldLevel> held = new ArrayList<>();
        // Epoch milliseconds, so that another process (the harness) can place them on its own clock.
        long epochMs = System.currentTimeMillis(), nowNs = System.nanoTime();
        for (HoldLevels.Level l : levels.levels()) {
            held.add(new LoadReport.HoldLevel(l.target(), l.held(), epochMs - (nowNs - l.fromNs()) / 1_000_000,
                    epochMs - (nowNs - l.toNs()) / 1_000_000, l.reached()));
        }
        return report.with(new LoadReport.Hold((long) r.config.connections(), established, r.config.connections() - established,
                RunReport.percentiles(r.measured[Metric.CONNECT.ordinal()]), held));
    }
}
