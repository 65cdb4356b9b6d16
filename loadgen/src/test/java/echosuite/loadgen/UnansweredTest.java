package echosuite.loadgen;

import echosuite.report.Units;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static echosuite.loadgen.TestRuns.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server that stops echoing for longer than {@code --timeout}: its connections are given up
 * with messages unanswered, and those messages stay in the latency histogram with the wait they
 * had reached, so the tail is not cut at the timeout; the reports mark it as a lower bound.
 */
class UnansweredTest {

    static final long TIMEOUT_MS = 1_000;

    /** 4 connections, 64-byte messages, 4 s window, no warm-up, a 1 s echo timeout; the server stalls for 3 s after about 1 s. */
    private static RunResult stalledRun(String scenario, Workload.Factory factory, long stallAfterBytes) throws Exception {
        try (TestEchoServer server = new TestEchoServer()) {
            server.stallOnce(stallAfterBytes, 3_000 * MS);
            RunConfig config = TestRuns.withLimits(TestRuns.config(scenario, server.address(), 4, 64, 4_000, 0, 0), 60_000, TIMEOUT_MS);
            RunResult r = TestRuns.run(config, factory);
            assertTrue(server.stallBegan(), "the server stalled during the run");
            return r;
        }
    }

    private static void assertGivenUpMessagesAreInTheTail(RunResult r) {
        assertEquals(4, r.errorCount(ErrorKind.TIMEOUT), r.errorReasons.toString());
        assertTrue(r.unansweredInLatency >= 4, "each connection had a message in flight: " + r.unansweredInLatency);
        Histogram latency = r.latency();
        assertEquals(r.messages + r.unansweredInLatency, latency.getTotalCount(), "the echoes and the given-up messages");
        assertTrue(latency.getMaxValue() >= TIMEOUT_MS * MS, "max " + Units.latency(latency.getMaxValue()) + " is the wait they had reached");
        assertTrue(r.tailIsLowerBound());
        assertTrue(RunReport.summary(r, "127.0.0.1:1", List.of(), null).contains("max ≥"), "the summary marks the tail");
        assertTrue(RunReport.report(r, new picocli.CommandLine(new RateCommand()).getCommandSpec(), "127.0.0.1:1", null, 1)
                .latency().tailIsLowerBound(), "the JSON says so");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void rateKeepsTheMessagesInFlightAndTheOnesWaitingToBeSentWhenItsConnectionsTimeOut() throws Exception {
        // 1,000 msgs/s, pipeline 1: a connection has one message in flight and the rest of its due ones waiting.
        RunResult r = stalledRun("rate", OpenLoop.factory(4, 1_000, 1), 64 * 1_000);
        assertGivenUpMessagesAreInTheTail(r);
        // Given up after waiting over 1 s, each connection had come due for about 250 more messages.
        assertTrue(r.unansweredInLatency >= 4 * 200, r.unansweredInLatency + " messages given up");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void pingpongKeepsTheMessageInFlightWhenItsConnectionTimesOut() throws Exception {
        RunResult r = stalledRun("pingpong", ClosedLoop.factory(4, 1, 0), 64 * 4_000);
        assertGivenUpMessagesAreInTheTail(r);
        assertEquals(4, r.unansweredInLatency, "one message in flight per connection");
    }
}
