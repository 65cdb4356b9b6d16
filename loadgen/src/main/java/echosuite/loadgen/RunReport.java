package echosuite.loadgen;

import echosuite.logcheck.LogVerifier;
import echosuite.report.LoadReport;
import echosuite.report.Percentiles;
import echosuite.report.Units;

import org.HdrHistogram.Histogram;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run's two reports: the one-screen summary for people and the {@link LoadReport} for tools
 * (its keys are a contract, docs/loadgen.md; scenarios add their own group to it).
 */
final class RunReport {

    private RunReport() { }

    // ---- for people ----------------------------------------------------------------------------

    /** The summary: a few lines, every figure with its unit. {@code extra} lines come from the scenario. */
    static String summary(RunResult r, String target, List<String> extra, LogVerifier.Report log) {
        RunConfig c = r.config;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "loadgen %s -> %s%n", c.scenario(), target));
        s.append(String.format(Locale.ROOT, "  setup      %,d connections (%,d open at start), %s messages, %d I/O thread%s, %.2f s measured after %s warm-up%s%n",
                c.connections(), r.connectionsAtStart, Units.size(c.messageBytes()), r.threads, r.threads == 1 ? "" : "s",
                r.windowSeconds, Units.latency(r.warmupRunSeconds * 1e9), r.stoppedEarly ? " (stopped early)" : ""));
        if (r.warmsUpToFirstEchoes) s.append("  first echo ").append(firstEchoLine(r)).append('\n');
        s.append(String.format(Locale.ROOT, "  messages   %,d echoed in %.2f s = %,.0f msgs/s, %.2f MiB/s each way%n",
                r.messages, r.windowSeconds, r.messagesPerSecond(), LoadReport.mibPerSecond(r.messages * (long) c.messageBytes(), r.windowSeconds)));
        s.append("  latency    ").append(latencyLine(r.latency(), r.tailIsLowerBound())).append('\n');
        if (r.tailIsLowerBound()) s.append("             ").append(lowerBoundNote(r)).append('\n');
        for (String line : extra) s.append("  ").append(line).append('\n');
        s.append("  errors     ").append(errorsLine(r)).append('\n');
        s.append(String.format(Locale.ROOT, "  sent       %,d messages in all (warm-up and drain included): the server must log exactly these%s%n",
                r.messagesSent, r.messagesUnanswered == 0 ? "" : String.format(Locale.ROOT,
                        ", except that %,d never answered (their connection failed) may be missing", r.messagesUnanswered)));
        if (log != null) s.append("  log        ").append(log.toString().replace("\n", "\n             ")).append('\n');
        if (r.failure != null) s.append("  FAILED     the load generator failed: ").append(r.failure).append('\n');
        return s.toString();
    }

    /** "every connection's first echo 2.41 s after the first connect" or why not. */
    static String firstEchoLine(RunResult r) {
        String all = r.allFirstEchoNs >= 0
                ? "every connection's first echo " + Units.latency(r.allFirstEchoNs) + " after the first connect"
                : "not every connection had its first echo";
        if (!r.warmupLimitReached()) return all;
        return all + String.format(Locale.ROOT, "; %,d still had none when the warm-up limit (%s) opened the window",
                r.awaitingFirstEchoAtWindow, Units.duration(r.config.warmupLimitNs()));
    }

    /** The one sentence for stderr when the warm-up limit opened the window, else null. */
    static String warmupLimitWarning(RunResult r) {
        if (!r.warmupLimitReached()) return null;
        return String.format(Locale.ROOT, "the warm-up limit (%s) was reached with %,d of %,d connections still without their first echo;"
                + " the measured window opened anyway.", Units.duration(r.config.warmupLimitNs()),
                r.awaitingFirstEchoAtWindow, r.connectionsAtStart);
    }

    /** "p50 96.0 µs  p90 150 µs  ...  max 3.10 ms  (1,466,370 samples)" */
    static String latencyLine(Histogram h) {
        return latencyLine(h, false);
    }

    /** The same; with {@code tailIsLowerBound}, p99 and above read "≥ 10.0 s": some samples are only lower bounds. */
    static String latencyLine(Histogram h, boolean tailIsLowerBound) {
        if (h.getTotalCount() == 0) return "no samples";
        String tail = tailIsLowerBound ? "≥" : "";
        return "p50 " + Units.latency(h.getValueAtPercentile(50))
                + "  p90 " + Units.latency(h.getValueAtPercentile(90))
                + "  p99 " + tail + Units.latency(h.getValueAtPercentile(99))
                + "  p99.9 " + tail + Units.latency(h.getValueAtPercentile(99.9))
                + "  p99.99 " + tail + Units.latency(h.getValueAtPercentile(99.99))
                + "  max " + tail + Units.latency(h.getMaxValue())
                + String.format(Locale.ROOT, "  (%,d samples)", h.getTotalCount());
    }

    /** Why the tail is marked "≥". */
    static String lowerBoundNote(RunResult r) {
        return String.format(Locale.ROOT, "≥ lower bounds: %,d of the samples are messages never answered (their connection"
                + " timed out or failed), counted with the wait they had reached", r.unansweredInLatency);
    }

    static String errorsLine(RunResult r) {
        if (r.totalErrors() == 0) return "none";
        StringBuilder s = new StringBuilder();
        for (ErrorKind k : ErrorKind.values()) {
            long n = r.errorCount(k);
            if (n > 0) s.append(s.isEmpty() ? "" : ", ").append(k.key).append(' ').append(String.format(Locale.ROOT, "%,d", n));
        }
        r.errorReasons.forEach((reason, n) -> s.append(String.format(Locale.ROOT, "%n               %,d x %s", n, reason)));
        return s.toString();
    }

    // ---- for tools ----------------------------------------------------------------------------------

    /**
     * The report of a run, without the scenario's own group (its command adds that); {@code spec}
     * supplies the full option set.
     */
    static LoadReport report(RunResult r, CommandSpec spec, String target, LogVerifier.Report log, int exitStatus) {
        RunConfig c = r.config;
        LoadReport.FirstEchoes firstEchoes = !r.warmsUpToFirstEchoes ? null : new LoadReport.FirstEchoes(
                r.allFirstEchoNs >= 0 ? LoadReport.round(r.allFirstEchoNs / 1e6, 3) : null,
                r.warmupLimitReached(), r.awaitingFirstEchoAtWindow);
        Map<String, Long> errors = new LinkedHashMap<>();
        for (ErrorKind k : ErrorKind.values()) errors.put(k.key, r.errorCount(k));
        return new LoadReport(
                new LoadReport.Setup(c.scenario(), target, (long) c.connections(), r.connectionsAtStart, r.connectionsOpened,
                        (long) c.messageBytes(), r.threads, LoadReport.round(r.windowSeconds, 6), c.warmupNs() / 1e9,
                        LoadReport.round(r.warmupRunSeconds, 6)),
                firstEchoes,
                new LoadReport.Throughput(r.messages, LoadReport.round(r.messagesPerSecond(), 3),
                        LoadReport.round(LoadReport.mibPerSecond(r.messages * (long) c.messageBytes(), r.windowSeconds), 6),
                        LoadReport.round(LoadReport.mibPerSecond(r.bytesSentInWindow, r.windowSeconds), 6),
                        LoadReport.round(LoadReport.mibPerSecond(r.bytesReceivedInWindow, r.windowSeconds), 6)),
                new LoadReport.Traffic(r.messagesSent, r.messagesUnanswered, r.bytesSent, r.bytesReceived),
                new LoadReport.Latency(percentiles(r.latency()), r.unansweredInLatency, r.tailIsLowerBound()),
                new LoadReport.Errors(errors, new LinkedHashMap<>(r.errorReasons)),
                new LoadReport.Memory(r.rssKiB, r.peakRssKiB),
                r.stoppedEarly,
                log == null ? null : new LoadReport.LogCheck(log.ok(), log.toString()),
                exitStatus, options(spec, target), null, null, null, null, null);
    }

    /** {count, mean, p50, p90, p99, p999, p9999, max} in µs; nulls when there are no samples. */
    static Percentiles percentiles(Histogram h) {
        boolean any = h.getTotalCount() > 0;
        return new Percentiles(h.getTotalCount(), micros(any, h.getMean()), micros(any, h.getValueAtPercentile(50)),
                micros(any, h.getValueAtPercentile(90)), micros(any, h.getValueAtPercentile(99)),
                micros(any, h.getValueAtPercentile(99.9)), micros(any, h.getValueAtPercentile(99.99)), micros(any, h.getMaxValue()));
    }

    private static Double micros(boolean any, double nanos) {
        return any ? LoadReport.round(nanos / 1000.0, 3) : null;
    }

    /** Every option of the command with its value (given or default), keyed by its long name without dashes. */
    private static Map<String, Object> options(CommandSpec spec, String target) {
        Map<String, Object> o = new LinkedHashMap<>();
        for (OptionSpec opt : spec.options()) {
            if (opt.usageHelp() || opt.versionHelp()) continue;
            String key = opt.longestName().replaceFirst("^-+", "");
            Object v = opt.getValue();
            if (opt.converters().length > 0 && opt.converters()[0] instanceof DurationConverter) {
                List<String> given = opt.originalStringValues();
                o.put(key, given.isEmpty() ? opt.defaultValueString() : given.getLast());
            } else if (v instanceof Integer n) {
                o.put(key, n.longValue());                          // as LoadReport reads it back
            } else if (v == null || v instanceof Boolean || v instanceof Long || v instanceof Double) {
                o.put(key, v);
            } else if (v instanceof InetSocketAddress) {
                o.put(key, target);
            } else {
                o.put(key, v.toString());
            }
        }
        o.put("target", target);
        return o;
    }
}
