package echosuite.harness;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import java.util.ArrayList;
import java.util.List;

/**
 * One row of the results: one server under one scenario, over its repetitions (the median
 * repetition by the scenario's headline figure, see {@link ResultTable#headline}). A figure that
 * was not measured, or does not apply to the scenario, is null. The figures come in groups, each
 * unwrapped into the row's one flat object in summary.json and its one line in summary.csv, in
 * the order of the columns those files have always had.
 *
 * @param server       server name
 * @param scenario     scenario id, e.g. {@code pingpong-c16-64B}
 * @param kind         the scenario's kind
 * @param status       ok, over limit (the scenario asks more than the server's model allows, {@link ServerSpec#overLimit}),
 *                     not built, did not start, server failed, load failed
 * @param repetitions  repetitions with a result
 * @param load         what was put on the server and how much of it came back
 * @param latency      the latency percentiles
 * @param connecting   how connections fared: churn's rate, hold's held and failed, the time to all first echoes
 * @param resources    the server's CPU and memory
 * @param heldMemory   hold: memory per held connection
 * @param peaks        the server's process tree at its largest
 * @param checks       errors and the log verdict
 * @param ratio        headline figure / the baseline server's, same scenario
 * @param problems     what went wrong, in sentences
 * @param unansweredInLatency latency samples that are messages never answered (their connection timed out
 *                     or failed), counted with the wait they had reached; more than 0: the tail is a
 *                     lower bound. Null when the load generator's file does not say.
 * @param twin         the course's C server of this server's model ({@link ServerSpec#cTwin}), or null
 * @param twinRatio    headline figure / the twin's, same scenario, same run; null when either has none.
 *                     (The columns since {@code unansweredInLatency} came last, and the columns keep their order.)
 */
record ResultRow(String server, String scenario, ScenarioKind kind, String status, int repetitions,
                 @JsonUnwrapped Load load, @JsonUnwrapped Latency latency, @JsonUnwrapped Connecting connecting,
                 @JsonUnwrapped Resources resources, @JsonUnwrapped HeldMemory heldMemory, @JsonUnwrapped TreePeaks peaks,
                 @JsonUnwrapped Checks checks, Double ratio, List<String> problems, Long unansweredInLatency,
                 String twin, Double twinRatio) {

    /**
     * @param connections       connections (hold: held; churn: concurrent loops)
     * @param messageBytes      bytes per message
     * @param messagesPerSecond echoes per second (median repetition)
     * @param spread            (max - min) / median of the headline figure over the repetitions; null with one
     * @param mibPerSecond      MiB per second each way
     */
    record Load(Long connections, Long messageBytes, Double messagesPerSecond, Double spread, Double mibPerSecond) {
        Load withSpread(Double s) {
            return new Load(connections, messageBytes, messagesPerSecond, s, mibPerSecond);
        }
    }

    /** Latency percentiles and maximum, µs (CO-corrected for rate); {@code serviceP99Us}: rate's uncorrected p99 service time. */
    record Latency(Double p50Us, Double p90Us, Double p99Us, Double p999Us, Double maxUs, Double serviceP99Us) {
        static final Latency NONE = new Latency(null, null, null, null, null, null);
    }

    /**
     * @param connectionsPerSecond churn: sessions per second
     * @param established          hold: connections established
     * @param failed               hold: connections that failed
     * @param allFirstEchoMs       pingpong, rate, bulk: ms from the first connect to the last connection's first echo
     *                             (how long the server took to serve every connection); null if unknown
     * @param firstEchoP50Us       churn: median time from a session's connect to its first echo, µs
     * @param firstEchoP99Us       churn: its 99th percentile, µs
     */
    record Connecting(Double connectionsPerSecond, Long established, Long failed, Double allFirstEchoMs,
                      Double firstEchoP50Us, Double firstEchoP99Us) {
        static final Connecting NONE = new Connecting(null, null, null, null, null, null);
    }

    /**
     * @param cpuMicrosPerMessage server CPU time during the load / messages it echoed (its summary's bytesEchoed / message bytes), µs
     * @param peakRssBytes        peak RSS of the server's process tree
     * @param peakPssBytes        peak PSS of the server's process tree
     */
    record Resources(Double cpuMicrosPerMessage, Long peakRssBytes, Long peakPssBytes) {
        static final Resources NONE = new Resources(null, null, null);
    }

    /**
     * hold.
     *
     * @param marginalMemoryPerConnectionBytes the headline: (PSS at the full level - PSS at the first level) /
     *                           (connections held at the full level - at the first): what one more connection
     *                           costs ({@link MemoryPerConnection}); null when there were not two levels to compare
     * @param marginalMemoryNote why there is no marginal figure, or null
     * @param memoryPerConnectionInclOneTimeBytes (peak PSS - idle PSS) / established connections, one-time
     *                           costs and the load's garbage included
     */
    record HeldMemory(Long marginalMemoryPerConnectionBytes, String marginalMemoryNote, Long memoryPerConnectionInclOneTimeBytes) {
        static final HeldMemory NONE = new HeldMemory(null, null, null);
    }

    /** Peak threads, processes and open file descriptors in the server's tree. */
    record TreePeaks(Integer threads, Integer processes, Integer openFds) {
        static final TreePeaks NONE = new TreePeaks(null, null, null);
    }

    /**
     * @param errors      load generator errors, summed over repetitions
     * @param logVerified true if every repetition's log verified, false if any failed, null if none checked
     */
    record Checks(Long errors, Boolean logVerified) { }

    /** This row with its ratios: to the baseline server's headline figure, and to its C twin's. */
    ResultRow withRatios(Double toBaseline, String cTwin, Double toTwin) {
        return new ResultRow(server, scenario, kind, status, repetitions, load, latency, connecting, resources, heldMemory,
                peaks, checks, toBaseline, problems, unansweredInLatency, cTwin, toTwin);
    }

    /** This repetition's row as the row of all of them: their spread, errors, log verdict and problems. */
    ResultRow asSummaryOf(int reps, Double spread, Checks all, List<String> allProblems) {
        return new ResultRow(server, scenario, kind, status, reps, load.withSpread(spread), latency, connecting, resources,
                heldMemory, peaks, all, null, allProblems, unansweredInLatency, null, null);
    }

    /** This row marked over its server's limit, with the sentence saying why first among its remarks. */
    ResultRow overLimit(String why) {
        List<String> all = new ArrayList<>(List.of(why));
        all.addAll(problems);
        return new ResultRow(server, scenario, kind, OVER_LIMIT, repetitions, load, latency, connecting, resources, heldMemory,
                peaks, checks, ratio, all, unansweredInLatency, twin, twinRatio);
    }

    static final String OVER_LIMIT = "over limit";

    /** True when some latency samples are only lower bounds, so p99 and above are too. */
    boolean tailIsLowerBound() {
        return unansweredInLatency != null && unansweredInLatency > 0;
    }

    /** What is said under the table: the problems, then why a figure is empty when nothing went wrong. */
    List<String> remarks() {
        if (heldMemory.marginalMemoryNote() == null) return problems;
        List<String> all = new ArrayList<>(problems);
        all.add("no marginal mem/conn: " + heldMemory.marginalMemoryNote() + ".");
        return all;
    }

    /** A row of a server that ran and did not do everything right: not ok, log not verified, problems, errors (or no count of them). */
    boolean hadProblems() {
        if (status.equals(OVER_LIMIT)) return !Boolean.TRUE.equals(checks.logVerified());   // its refusals are its model's, its log must still hold
        return !status.equals("not built") && (!status.equals("ok") || !Boolean.TRUE.equals(checks.logVerified())
                || !problems.isEmpty() || checks.errors() == null || checks.errors() > 0);
    }

    boolean hasFigures() {
        return status.equals("ok") && ResultTable.headline(this) != null;
    }
}
