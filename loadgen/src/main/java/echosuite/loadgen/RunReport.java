package echosuite.loadgen;

import echosuite.logcheck.LogVerifier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A run's two reports: the one-screen summary for people and the JSON object for tools. The
 * JSON keys are a contract (docs/loadgen.md): {@code scenario}, {@code connections},
 * {@code messageBytes}, {@code messages}, {@code messagesPerSecond}, {@code latencyUs}
 * ({@code p50 p90 p99 p999 max}, plus {@code p9999 mean count}), {@code unansweredInLatency} and
 * {@code tailIsLowerBound} (given-up messages in it), {@code errors} (counts by kind)
 * and {@code options} are always there; scenarios add their own.
 */
final class RunReport {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final double MIB = 1024.0 * 1024.0;

    private RunReport() { }

    // ---- for people ----------------------------------------------------------------------------

    /** The summary: a few lines, every figure with its unit. {@code extra} lines come from the scenario. */
    static String summary(RunResult r, String target, List<String> extra, LogVerifier.Report log) {
        RunConfig c = r.config;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "loadgen %s -> %s%n", c.scenario(), target));
        s.append(String.format(Locale.ROOT, "  setup      %,d connections (%,d open at start), %s messages, %d I/O thread%s, %.2f s measured after %s warm-up%s%n",
                c.connections(), r.connectionsAtStart, Units.bytes(c.messageBytes()), r.threads, r.threads == 1 ? "" : "s",
                r.windowSeconds, Units.latency(r.warmupRunSeconds * 1e9), r.stoppedEarly ? " (stopped early)" : ""));
        if (r.warmsUpToFirstEchoes) s.append("  first echo ").append(firstEchoLine(r)).append('\n');
        s.append(String.format(Locale.ROOT, "  messages   %,d echoed in %.2f s = %,.0f msgs/s, %.2f MiB/s each way%n",
                r.messages, r.windowSeconds, r.messagesPerSecond(), mibPerSecond(r.messages * (long) c.messageBytes(), r.windowSeconds)));
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

    static double mibPerSecond(long bytes, double seconds) {
        return seconds <= 0 ? 0 : bytes / MIB / seconds;
    }

    // ---- for tools ----------------------------------------------------------------------------------

    /** The JSON object of a run; {@code spec} supplies the full option set. */
    static ObjectNode json(RunResult r, CommandSpec spec, String target, LogVerifier.Report log, int exitStatus) {
        RunConfig c = r.config;
        ObjectNode j = JSON.createObjectNode();
        j.put("scenario", c.scenario());
        j.put("target", target);
        j.put("connections", c.connections());
        j.put("connectionsOpenAtStart", r.connectionsAtStart);
        j.put("connectionsOpened", r.connectionsOpened);
        j.put("messageBytes", c.messageBytes());
        j.put("threads", r.threads);
        j.put("durationSeconds", round(r.windowSeconds, 6));
        j.put("warmupSeconds", c.warmupNs() / 1e9);
        j.put("warmupRunSeconds", round(r.warmupRunSeconds, 6));
        if (r.warmsUpToFirstEchoes) {
            if (r.allFirstEchoNs >= 0) j.put("allFirstEchoMs", round(r.allFirstEchoNs / 1e6, 3));
            else j.putNull("allFirstEchoMs");
            j.put("warmupLimitReached", r.warmupLimitReached());
            j.put("connectionsAwaitingFirstEchoAtWindow", r.awaitingFirstEchoAtWindow);
        }
        j.put("messages", r.messages);
        j.put("messagesPerSecond", round(r.messagesPerSecond(), 3));
        j.put("mibPerSecond", round(mibPerSecond(r.messages * (long) c.messageBytes(), r.windowSeconds), 6));
        j.put("mibPerSecondSent", round(mibPerSecond(r.bytesSentInWindow, r.windowSeconds), 6));
        j.put("mibPerSecondReceived", round(mibPerSecond(r.bytesReceivedInWindow, r.windowSeconds), 6));
        j.put("messagesSent", r.messagesSent);
        j.put("messagesUnanswered", r.messagesUnanswered);
        j.put("bytesSent", r.bytesSent);
        j.put("bytesReceived", r.bytesReceived);
        j.set(Metric.LATENCY.jsonKey, percentiles(r.latency()));
        j.put("unansweredInLatency", r.unansweredInLatency);
        j.put("tailIsLowerBound", r.tailIsLowerBound());
        ObjectNode errors = j.putObject("errors");
        for (ErrorKind k : ErrorKind.values()) errors.put(k.key, r.errorCount(k));
        ObjectNode reasons = j.putObject("errorReasons");
        r.errorReasons.forEach(reasons::put);
        j.put("loadgenRssKiB", r.rssKiB);
        j.put("loadgenPeakRssKiB", r.peakRssKiB);
        j.put("stoppedEarly", r.stoppedEarly);
        if (log != null) {
            j.put("logVerified", log.ok());
            j.put("logReport", log.toString());
        }
        j.put("exitStatus", exitStatus);
        j.set("options", options(spec, target));
        return j;
    }

    /** {count, mean, p50, p90, p99, p999, p9999, max} in µs; nulls when there are no samples. */
    static ObjectNode percentiles(Histogram h) {
        ObjectNode p = JSON.createObjectNode();
        p.put("count", h.getTotalCount());
        boolean any = h.getTotalCount() > 0;
        put(p, "mean", any, h.getMean());
        put(p, "p50", any, h.getValueAtPercentile(50));
        put(p, "p90", any, h.getValueAtPercentile(90));
        put(p, "p99", any, h.getValueAtPercentile(99));
        put(p, "p999", any, h.getValueAtPercentile(99.9));
        put(p, "p9999", any, h.getValueAtPercentile(99.99));
        put(p, "max", any, h.getMaxValue());
        return p;
    }

    static void write(ObjectNode json, Path file) throws IOException {
        JSON.writeValue(file.toFile(), json);
    }

    private static void put(ObjectNode p, String key, boolean any, double nanos) {
        if (any) p.put(key, round(nanos / 1000.0, 3));
        else p.putNull(key);
    }

    /** Every option of the command with its value (given or default), keyed by its long name without dashes. */
    private static ObjectNode options(CommandSpec spec, String target) {
        ObjectNode o = JSON.createObjectNode();
        for (OptionSpec opt : spec.options()) {
            if (opt.usageHelp() || opt.versionHelp()) continue;
            String key = opt.longestName().replaceFirst("^-+", "");
            Object v = opt.getValue();
            if (opt.converters().length > 0 && opt.converters()[0] instanceof DurationConverter) {
                List<String> given = opt.originalStringValues();
                o.put(key, given.isEmpty() ? opt.defaultValueString() : given.getLast());
            } else if (v == null) {
                o.putNull(key);
            } else if (v instanceof Boolean b) {
                o.put(key, b);
            } else if (v instanceof Integer n) {
                o.put(key, n);
            } else if (v instanceof Long n) {
                o.put(key, n);
            } else if (v instanceof Double n) {
                o.put(key, n);
            } else if (v instanceof InetSocketAddress) {
                o.put(key, target);
            } else {
                o.put(key, v.toString());
            }
        }
        o.put("target", target);
        return o;
    }

    static double round(double v, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }
}
