package echosuite.loadgen;

import java.io.IOException;
import java.net.InetSocketAddress;

/** Runs the engine in-process for tests, with short, explicit settings. */
final class TestRuns {

    static final long MS = 1_000_000L;

    private TestRuns() { }

    /** A run's settings: one or two I/O threads, 5 s connect timeout, 10 s echo timeout, no connect-rate limit. */
    static RunConfig config(String scenario, InetSocketAddress target, int connections, int messageBytes,
                            long durationMs, long warmupMs, long firstConnectionId) {
        return new RunConfig(scenario, target, connections, messageBytes, durationMs * MS, warmupMs * MS, 60_000 * MS,
                Math.min(2, connections), 0, 5_000 * MS, 10_000 * MS, 0, firstConnectionId);
    }

    /** The same run with another warm-up limit and echo timeout. */
    static RunConfig withLimits(RunConfig c, long warmupLimitMs, long timeoutMs) {
        return new RunConfig(c.scenario(), c.target(), c.connections(), c.messageBytes(), c.durationNs(), c.warmupNs(),
                warmupLimitMs * MS, c.threads(), c.connectRate(), c.connectTimeoutNs(), timeoutMs * MS, c.sourceAddresses(),
                c.firstConnectionId());
    }

    static RunResult run(RunConfig config, Workload.Factory factory) throws IOException, InterruptedException {
        return run(config, factory, IntervalSampler.Output.none());
    }

    static RunResult run(RunConfig config, Workload.Factory factory, IntervalSampler.Output output)
            throws IOException, InterruptedException {
        RunResult r = new Engine(config, factory).run(output);
        if (r.failure != null) throw new AssertionError("the run failed", r.failure);
        return r;
    }
}
