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

    @Option(names = "--agent", paramLabel = "I/N",
            description = "Be agent I of N load generators driving one server together (several load hosts): take connections c (0 .. -c minus 1)"
                    + " with c mod N = I-1, their ids (--first-connection-id + c) and the same share of -R and -n;"
                    + " needs --start-at; merge the agents' --json reports with 'loadgen merge --json'.")
    String agent;

    @Option(names = "--start-at", paramLabel = "EPOCH_MS",
            description = "Start the run (its start line: the schedule, the warm-up) at this wall-clock time, ms since the epoch,"
                    + " after the connections are open; at most an hour ahead; already past: start at once and say so.")
    Long startAtEpochMs;

    @Option(names = "--sent", paramLabel = "FILE",
            description = "Write what each connection sent (id, messages echoed, messages in flight when it failed), so that"
                    + " 'loadgen merge --log' can check the server's log against several agents' messages together.")
    Path sent;

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
        return agentProblem(System.currentTimeMillis());
    }

    /** How far from now {@code --start-at} may lie, either way (further back: seconds given for milliseconds, or a stale time). */
    static final long START_AT_LIMIT_MS = 3_600_000L;

    /** The problems of --agent and --start-at, the wall clock reading {@code nowMs}; null if none. */
    String agentProblem(long nowMs) {
        if (agent != null) {
            AgentShare a;
            try {
                a = AgentShare.parse(agent);
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
            if (startAtEpochMs == null) {
                return "--agent needs --start-at EPOCH_MS, the wall-clock time (ms) at which all agents start, e.g. $(( $(date +%s%3N) + 10000 )).";
            }
            if (connections < a.count()) {
                return "-c " + connections + " leaves agent " + a.index() + " of " + a.count() + " without a connection: -c must be at least " + a.count() + ".";
            }
            if (verifyLog != null && a.count() > 1) {
                return "--verify-log would check the shared log against this agent's messages alone; write --sent FILE and check the log"
                        + " with 'loadgen merge --json OUT.json --log LOG' against all agents together.";
            }
        }
        if (startAtEpochMs != null) {
            if (startAtEpochMs > nowMs + START_AT_LIMIT_MS) {
                return String.format(java.util.Locale.ROOT, "--start-at %d is %.1f minutes ahead: more than an hour (it is ms since the epoch; now is %d).",
                        startAtEpochMs, (startAtEpochMs - nowMs) / 60_000.0, nowMs);
            }
            if (startAtEpochMs < nowMs - START_AT_LIMIT_MS) {
                return "--start-at " + startAtEpochMs + " is more than an hour past (it is ms since the epoch, not seconds; now is " + nowMs + ").";
            }
        }
        return null;
    }

    /** This generator's share: {@code --agent}, or all of the run. */
    AgentShare share() {
        return agent == null ? AgentShare.ALONE : AgentShare.parse(agent);
    }

    RunConfig toConfig(String scenario) {
        AgentShare a = share();
        return new RunConfig(scenario, target, a.connections(connections), size, durationNs, warmupNs, warmupLimitNs, threads, connectRate,
                connectTimeoutNs, timeoutNs, sourceAddresses, a.firstId(firstConnectionId), a.count(),
                startAtEpochMs == null ? 0 : startAtEpochMs);
    }

    /** "127.0.0.1:9190" */
    String targetText() {
        return target.getAddress().getHostAddress() + ":" + target.getPort();
    }
}
