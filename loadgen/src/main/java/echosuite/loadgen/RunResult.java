package echosuite.loadgen;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one run measured, gathered by the {@link Engine} after its threads have ended.
 * Plain fields: filled once, then only read (by the summary, the JSON report and the log check).
 */
final class RunResult {

    final RunConfig config;
    /** Totals of the measured window and of the warm-up (with the connect phase), per {@link Metric}, ns. */
    Histogram[] measured, warmup;
    /**
     * Echoes that belong to the measured window: completed inside it (pingpong, bulk, churn's
     * sessions), or, in rate, of messages intended to be sent inside it.
     */
    long messages;
    /** Whole messages written during the whole run (warm-up and drain included): what the server must log. */
    long messagesSent;
    /**
     * Of those, the messages whose echo never came back because their connection failed (timed
     * out, was reset): the server may or may not have read them, so its log may or may not hold them.
     */
    long messagesUnanswered;
    /**
     * Measured latency values that are not round trips but the wait a message had reached when its
     * connection was given up (timed out, failed) before its echo came: the tail is then a lower bound.
     */
    long unansweredInLatency;
    long bytesSent, bytesReceived, bytesSentInWindow, bytesReceivedInWindow;
    /** Length of the measured window actually run (shorter if the work ended early), seconds. */
    double windowSeconds;
    /** I/O threads used (at most the configured number, and no more than there are connections). */
    int threads;
    /** Connections open when the run started (after the connect phase). */
    long connectionsAtStart;
    /** From the start line to the opening of the measured window, seconds (0 if it never opened). */
    double warmupRunSeconds;
    /** Whether the window waited for every connection's first echo (pingpong, rate, bulk). */
    boolean warmsUpToFirstEchoes;
    /** Connections still without their first echo when the window opened: the warm-up limit was reached. */
    long awaitingFirstEchoAtWindow;
    /**
     * From the first connection attempt to the last first echo of the connections open at the
     * start, ns; -1 if some never had one (closed without, or still waiting at the end).
     */
    long allFirstEchoNs = -1;
    EnumMap<ErrorKind, Long> errors;
    Map<String, Long> errorReasons;
    /** The workload's own counts (sessions, established, ...), summed over threads. */
    Map<String, Long> counts;
    final List<SentManifest> manifests = new ArrayList<>();
    /** The load generator's resident memory at the end and at its peak, KiB (-1: unknown). */
    long rssKiB, peakRssKiB;
    /** Connection ids used (the next run of a series starts after them). */
    long connectionsOpened;
    boolean stoppedEarly;
    /** The wall clock at the start line (t0), ns since the epoch; 0 if the run never reached it. */
    long startedAtEpochNs;
    /** An unexpected failure of an I/O thread, or null. */
    Throwable failure;

    RunResult(RunConfig config) {
        this.config = config;
    }

    Histogram latency() {
        return measured[Metric.LATENCY.ordinal()];
    }

    /** True when some measured latencies are only lower bounds ({@link #unansweredInLatency}). */
    boolean tailIsLowerBound() {
        return unansweredInLatency > 0;
    }

    double messagesPerSecond() {
        return windowSeconds <= 0 ? 0 : messages / windowSeconds;
    }

    long errorCount(ErrorKind kind) {
        return errors.getOrDefault(kind, 0L);
    }

    long totalErrors() {
        long n = 0;
        for (long v : errors.values()) n += v;
        return n;
    }

    boolean warmupLimitReached() {
        return awaitingFirstEchoAtWindow > 0;
    }

    long count(String name) {
        return counts.getOrDefault(name, 0L);
    }
}
