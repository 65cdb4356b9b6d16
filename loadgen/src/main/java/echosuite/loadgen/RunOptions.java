package echosuite.loadgen;

import echosuite.protocol.SequencedMessage;
import echosuite.report.Units;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * The options every scenario takes (a picocli mixin). Defaults that differ between scenarios
 * (connections, message size, connect rate, duration) come from {@link ScenarioDefaults}.
 */
final class RunOptions {

    @Option(names = {"-c", "--connections"}, paramLabel = "N",
            description = "Connections (churn: concurrent connect-send-close loops; hold: connections held) (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = {"-s", "--size"}, paramLabel = "BYTES",
            description = "Bytes per message, " + SequencedMessage.MIN_BYTES + " or more, newline included (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = {"-d", "--duration"}, paramLabel = "TIME", converter = DurationConverter.class,
            description = "Length of the measured window: seconds, or with a unit (10s, 500ms) (default: ${DEFAULT-VALUE}).")
    long durationNs;

    @Option(names = "--warmup", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "1s",
            description = "Traffic before the measured window, not counted (default: ${DEFAULT-VALUE}).")
    long warmupNs;

    @Option(names = "--warmup-limit", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "60s",
            description = "pingpong, rate, bulk: the warm-up also lasts until every connection has had its first echo, but no longer than this;"
                    + " then the measured window opens anyway and the run says so (default: ${DEFAULT-VALUE}).")
    long warmupLimitNs;

    @Option(names = {"-t", "--threads"}, paramLabel = "N",
            description = "I/O threads, each a selector over its share of the connections (default: available cores, ${DEFAULT-VALUE} here).")
    int threads;

    @Option(names = "--connect-rate", paramLabel = "PER_S",
            description = "Most connection attempts per second, all threads together; 0 = no limit (default: ${DEFAULT-VALUE}).")
    double connectRate;

    @Option(names = "--connect-timeout", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "5s",
            description = "A connect not established after this is a timeout error (default: ${DEFAULT-VALUE}).")
    long connectTimeoutNs;

    @Option(names = "--timeout", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "10s",
            description = "An echo not complete after this is a timeout error; also the longest drain at the end (default: ${DEFAULT-VALUE}).")
    long timeoutNs;

    @Option(names = "--source-addresses", paramLabel = "N", defaultValue = "0",
            description = "Bind connections in turn to 127.0.0.2 .. 127.0.0.(N+1) before connecting, so that ports in TIME_WAIT"
                    + " do not cap churn at ~14k connections/s per address (loopback targets only; default: ${DEFAULT-VALUE} = let the OS choose).")
    int sourceAddresses;

    @Option(names = "--first-connection-id", paramLabel = "N", defaultValue = "0",
            description = "Id of the first connection in the message headers; give each of several generators sharing a server its own range (default: ${DEFAULT-VALUE}).")
    long firstConnectionId;

    @Option(names = "--max-line", paramLabel = "BYTES", defaultValue = "65536",
            description = "The server's --max-line: a message may have at most this many bytes before its newline (default: ${DEFAULT-VALUE}).")
    int maxLine;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the summary, machine-readable, with every option (see docs/loadgen.md).")
    Path json;

    @Option(names = "--hlog", paramLabel = "FILE", description = "Write an HdrHistogram interval log (one interval per second, ns; warm-up intervals tagged 'warmup').")
    Path hlog;

    @Option(names = "--hgrm", paramLabel = "FILE", description = "Write the measured latency's percentile distribution (values in µs).")
    Path hgrm;

    @Option(names = "--verify-log", paramLabel = "FILE",
            description = "After the run, check the server's log FILE: every message whose echo came back must be logged exactly once and whole,"
                    + " in the order its connection sent it; a message still in flight when its connection failed may be missing, and if"
                    + " logged is checked like the others; any other record (a duplicate, a torn one, one no connection of the run sent) is an error.")
    Path verifyLog;

    @Option(names = "--log-wait", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "10s",
            description = "With --verify-log: how long to wait for the log to hold every message whose echo came back (default: ${DEFAULT-VALUE}).")
    long logWaitNs;

    @Option(names = {"-q", "--quiet"}, description = "No progress line and no summary; only errors (and the files asked for).")
    boolean quiet;

    @Option(names = "--progress", description = "Print the progress line each second even when standard output is not a terminal.")
    boolean progress;

    @Parameters(index = "0", paramLabel = "HOST:PORT", converter = TargetConverter.class,
            description = "The server, e.g. 127.0.0.1:9190.")
    InetSocketAddress target;

    /** Checks ranges picocli's types do not; returns a sentence describing the first problem, or null. */
    String problem() {
        if (connections < 1) return "-c/--connections must be at least 1, got " + connections + ".";
        if (size < SequencedMessage.MIN_BYTES) {
            return "-s/--size must be at least " + SequencedMessage.MIN_BYTES + " bytes (the message header and its newline), got " + size + ".";
        }
        if (maxLine < 1) return "--max-line must be at least 1, got " + maxLine + ".";
        if (size > maxLine + 1) {
            return "-s/--size " + size + " is more than --max-line + 1 (" + (maxLine + 1) + "): the server would log the message in pieces.";
        }
        if (durationNs <= 0) return "-d/--duration must be more than 0.";
        if (warmupLimitNs < warmupNs) return "--warmup-limit must be at least --warmup (" + Units.duration(warmupNs) + ").";
        if (threads < 1) return "-t/--threads must be at least 1, got " + threads + ".";
        if (connectRate < 0) return "--connect-rate must not be negative.";
        if (connectTimeoutNs <= 0 || timeoutNs <= 0) return "--connect-timeout and --timeout must be more than 0.";
        if (sourceAddresses < 0 || sourceAddresses > 65_000) return "--source-addresses must be between 0 and 65000, got " + sourceAddresses + ".";
        if (sourceAddresses > 0 && !target.getAddress().isLoopbackAddress()) {
            return "--source-addresses binds to 127.0.0.x, which only reaches a loopback target, not " + target.getAddress().getHostAddress() + ".";
        }
        if (firstConnectionId < 0 || firstConnectionId >= SequencedMessage.MAX_CONNECTIONS) {
            return "--first-connection-id must be between 0 and " + (SequencedMessage.MAX_CONNECTIONS - 1) + ".";
        }
        return null;
    }

    RunConfig toConfig(String scenario) {
        return new RunConfig(scenario, target, connections, size, durationNs, warmupNs, warmupLimitNs, threads, connectRate,
                connectTimeoutNs, timeoutNs, sourceAddresses, firstConnectionId);
    }

    /** "127.0.0.1:9190" */
    String targetText() {
        return target.getAddress().getHostAddress() + ":" + target.getPort();
    }
}
