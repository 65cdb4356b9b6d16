package echosuite.harness;

import java.util.List;

/**
 * One row of the results: one server under one scenario, over its repetitions (the median
 * repetition by the scenario's headline figure, see {@link ResultTable#headline}). A figure that
 * was not measured, or does not apply to the scenario, is null.
 *
 * @param server             server name
 * @param scenario           scenario id, e.g. {@code pingpong-c16-64B}
 * @param kind               pingpong, rate, churn, hold or bulk
 * @param status             ok, not built, did not start, server failed, load failed
 * @param repetitions        repetitions with a result
 * @param connections        connections (hold: held; churn: concurrent loops)
 * @param messageBytes       bytes per message
 * @param messagesPerSecond  echoes per second (median repetition)
 * @param spread             (max - min) / median of the headline figure over the repetitions; null with one
 * @param mibPerSecond       MiB per second each way
 * @param p50Us              latency percentiles and maximum, µs (CO-corrected for rate)
 * @param serviceP99Us       rate: uncorrected p99 service time, µs
 * @param connectionsPerSecond churn: sessions per second
 * @param established        hold: connections established
 * @param failed             hold: connections that failed
 * @param allFirstEchoMs     pingpong, rate, bulk: ms from the first connect to the last connection's first echo
 *                           (how long the server took to serve every connection); null if unknown
 * @param cpuMicrosPerMessage server CPU time during the load / messages it echoed (its summary's bytesEchoed / message bytes), µs
 * @param peakRssBytes       peak RSS of the server's process tree
 * @param peakPssBytes       peak PSS of the server's process tree
 * @param marginalMemoryPerConnectionBytes hold, the headline: (PSS at the full level - PSS at the first level) /
 *                           (connections held at the full level - at the first): what one more connection
 *                           costs ({@link MemoryPerConnection}); null when there were not two levels to compare
 * @param marginalMemoryNote hold: why there is no marginal figure, or null
 * @param memoryPerConnectionInclOneTimeBytes hold: (peak PSS - idle PSS) / established connections, one-time
 *                           costs and the load's garbage included
 * @param threads            peak threads in the tree
 * @param processes          peak processes in the tree
 * @param openFds            peak open file descriptors in the tree
 * @param errors             load generator errors, summed over repetitions
 * @param logVerified        true if every repetition's log verified, false if any failed, null if none checked
 * @param ratio              headline figure / the baseline server's, same scenario
 * @param problems           what went wrong, in sentences
 * @param unansweredInLatency latency samples that are messages never answered (their connection timed out
 *                           or failed), counted with the wait they had reached; more than 0: the tail is a
 *                           lower bound. Null when the load generator's file does not say
 */
record ResultRow(String server, String scenario, String kind, String status, int repetitions, Long connections,
                 Long messageBytes, Double messagesPerSecond, Double spread, Double mibPerSecond,
                 Double p50Us, Double p90Us, Double p99Us, Double p999Us, Double maxUs, Double serviceP99Us,
                 Double connectionsPerSecond, Long established, Long failed, Double allFirstEchoMs, Double cpuMicrosPerMessage,
                 Long peakRssBytes, Long peakPssBytes, Long marginalMemoryPerConnectionBytes, String marginalMemoryNote,
                 Long memoryPerConnectionInclOneTimeBytes, Integer threads,
                 Integer processes, Integer openFds, Long errors, Boolean logVerified, Double ratio,
                 List<String> problems, Long unansweredInLatency) {

    ResultRow withRatio(Double r) {
        return new ResultRow(server, scenario, kind, status, repetitions, connections, messageBytes, messagesPerSecond,
                spread, mibPerSecond, p50Us, p90Us, p99Us, p999Us, maxUs, serviceP99Us, connectionsPerSecond,
                established, failed, allFirstEchoMs, cpuMicrosPerMessage, peakRssBytes, peakPssBytes, marginalMemoryPerConnectionBytes,
                marginalMemoryNote, memoryPerConnectionInclOneTimeBytes,
                threads, processes, openFds, errors, logVerified, r, problems, unansweredInLatency);
    }

    /** True when some latency samples are only lower bounds, so p99 and above are too. */
    boolean tailIsLowerBound() {
        return unansweredInLatency != null && unansweredInLatency > 0;
    }

    /** What is said under the table: the problems, then why a figure is empty when nothing went wrong. */
    List<String> remarks() {
        if (marginalMemoryNote == null) return problems;
        List<String> all = new java.util.ArrayList<>(problems);
        all.add("no marginal mem/conn: " + marginalMemoryNote + ".");
        return all;
    }

    boolean hasFigures() {
        return status.equals("ok") && ResultTable.headline(this) != null;
    }
}
