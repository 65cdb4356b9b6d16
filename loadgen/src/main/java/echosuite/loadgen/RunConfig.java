package echosuite.loadgen;

import echosuite.protocol.SequencedMessage;

import java.net.InetSocketAddress;

/**
 * The engine's settings for one run (what the command line's common options become).
 *
 * @param scenario          the scenario's name, for reports
 * @param target            the server
 * @param connections       connections (pingpong, rate, bulk, hold) or concurrent loops (churn)
 * @param messageBytes      bytes per message, at least {@link SequencedMessage#MIN_BYTES}
 * @param durationNs        length of the measured window, ns
 * @param warmupNs          warm-up before the measured window, ns (traffic flows, nothing is counted)
 * @param warmupLimitNs     pingpong, rate, bulk: the warm-up also waits for every connection's first
 *                          echo, but no longer than this after the start, ns
 * @param threads           I/O threads, at least 1
 * @param connectRate       the highest rate of connection attempts, per second; 0 = no limit
 * @param connectTimeoutNs  a connect not established after this is a timeout error, ns
 * @param timeoutNs         an echo not complete (or a close not answered) after this is a timeout error, ns
 * @param sourceAddresses   0: let the OS choose the source address; N: bind each connection to one of
 *                          127.0.0.2 .. 127.0.0.(N+1), in turn, before connecting
 * @param firstConnectionId the id of the first connection (so several generators can share one server log)
 * @param idStride          the step between this run's connection ids: 1, or N for an agent of N ({@link AgentShare})
 * @param startAtEpochMs    {@code --start-at}: the start line waits until this wall-clock time (epoch ms); 0 = none
 */
record RunConfig(String scenario, InetSocketAddress target, int connections, int messageBytes,
                 long durationNs, long warmupNs, long warmupLimitNs, int threads, double connectRate, long connectTimeoutNs,
                 long timeoutNs, int sourceAddresses, long firstConnectionId, int idStride, long startAtEpochMs) {

    RunConfig {
        if (messageBytes < SequencedMessage.MIN_BYTES) throw new IllegalArgumentException("message too short: " + messageBytes);
        if (threads < 1) throw new IllegalArgumentException("threads < 1");
        if (idStride < 1) throw new IllegalArgumentException("idStride < 1");
    }

    /** A run of one generator alone: ids one apart, no start time. */
    RunConfig(String scenario, InetSocketAddress target, int connections, int messageBytes,
              long durationNs, long warmupNs, long warmupLimitNs, int threads, double connectRate, long connectTimeoutNs,
              long timeoutNs, int sourceAddresses, long firstConnectionId) {
        this(scenario, target, connections, messageBytes, durationNs, warmupNs, warmupLimitNs, threads, connectRate,
                connectTimeoutNs, timeoutNs, sourceAddresses, firstConnectionId, 1, 0);
    }

    /** The same run with another first connection id. */
    RunConfig withFirstConnectionId(long id) {
        return new RunConfig(scenario, target, connections, messageBytes, durationNs, warmupNs, warmupLimitNs, threads, connectRate,
                connectTimeoutNs, timeoutNs, sourceAddresses, id, idStride, startAtEpochMs);
    }

    /** The id of the {@code k}-th connection this run opens (0-based). */
    long connectionId(long k) {
        return firstConnectionId + k * idStride;
    }
}
