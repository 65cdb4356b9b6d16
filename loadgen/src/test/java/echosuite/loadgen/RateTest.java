package echosuite.loadgen;

import echosuite.report.Units;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static echosuite.loadgen.TestRuns.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The open loop: every intended message is measured, from its intended time. */
class RateTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyMessageIntendedInTheWindowIsSentAndMeasured() throws Exception {
        try (TestEchoServer server = new TestEchoServer()) {
            // 2,000 msgs/s for 2 s over 4 connections: exactly 4,000 intended times in the window, whatever the speed.
            RunResult r = TestRuns.run(TestRuns.config("rate", server.address(), 4, 64, 2_000, 0, 0),
                    OpenLoop.factory(4, 2_000, 1));
            assertEquals(0, r.totalErrors(), r.errorReasons.toString());
            assertEquals(4_000, r.latency().getTotalCount());
            assertEquals(4_000, r.measured[Metric.SERVICE.ordinal()].getTotalCount());
            // Besides those: one first-echo message per connection, and what came due before the window opened.
            assertEquals(4 + r.warmup[Metric.LATENCY.ordinal()].getTotalCount() + 4_000, r.messagesSent);
            assertEquals(r.messagesSent * 64, server.bytesEchoed());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aServerStallOf200msShowsInTheCorrectedLatencyButHidesInTheServiceTime() throws Exception {
        try (TestEchoServer server = new TestEchoServer()) {
            server.stallOnce(64 * 1_000, 200 * MS);           // after about 0.5 s, the whole server stops for 200 ms
            RunResult r = TestRuns.run(TestRuns.config("rate", server.address(), 4, 64, 2_000, 0, 0),
                    OpenLoop.factory(4, 2_000, 1));
            assertTrue(server.stallBegan(), "the server stalled during the run");
            assertEquals(0, r.totalErrors(), r.errorReasons.toString());
            Histogram corrected = r.latency();
            Histogram service = r.measured[Metric.SERVICE.ordinal()];
            assertEquals(4_000, corrected.getTotalCount());
            // The messages due in the stall's first 100 ms (2,000/s x 0.1 s = 200) waited at least 100 ms.
            long correctedSlow = corrected.getCountBetweenValues(100 * MS, Long.MAX_VALUE);
            assertTrue(correctedSlow >= 150, "corrected: " + correctedSlow + " messages took 100 ms or more");
            assertTrue(corrected.getValueAtPercentile(99.9) >= 150 * MS,
                    "the stall shows in the corrected p99.9: " + Units.latency(corrected.getValueAtPercentile(99.9)));
            // Measured from the actual write, only the messages in flight when it began (one per connection) saw it.
            long serviceSlow = service.getCountBetweenValues(100 * MS, Long.MAX_VALUE);
            assertTrue(serviceSlow < correctedSlow / 5, "service time: " + serviceSlow + " messages took 100 ms or more");
        }
    }

    /** 2,000 msgs/s over 4 connections, 64-byte messages, no warm-up, 10 s echo timeout. */
    private static RunResult rateRun(TestEchoServer server, long durationMs) throws Exception {
        return TestRuns.run(TestRuns.config("rate", server.address(), 4, 64, durationMs, 0, 0), OpenLoop.factory(4, 2_000, 1));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void throughAServerStallOf1500msInTheMiddleOfTheWindowMsgsPerSecondIsTheTargetAndMaxIsTheStall() throws Exception {
        try (TestEchoServer server = new TestEchoServer()) {
            server.stallOnce(64 * 2_000, 1_500 * MS);          // after about 1 s of the 4 s window, 1.5 s without an echo
            RunResult r = rateRun(server, 4_000);
            assertTrue(server.stallBegan(), "the server stalled during the run");
            assertEquals(0, r.totalErrors(), r.errorReasons.toString());
            assertEquals(2_000, r.messagesPerSecond(), 2_000 * 0.01, "msgs/s counted by intended send time");
            assertTrue(r.latency().getMaxValue() >= 1_500 * MS, "max " + Units.latency(r.latency().getMaxValue()));
            assertEquals(r.messages, r.latency().getTotalCount(), "every message intended in the window came back and is measured");
            assertFalse(r.tailIsLowerBound());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void messagesIntendedInTheWindowCountEvenWhenTheStallDelaysTheirEchoesPastItsEnd() throws Exception {
        try (TestEchoServer server = new TestEchoServer()) {
            // After about 2.2 s of a 3 s window the server stalls for 1.5 s: a quarter of the window's
            // messages come back during the drain. Counted by arrival, msgs/s would read about 1,470.
            server.stallOnce(64 * 4_400, 1_500 * MS);
            RunResult r = rateRun(server, 3_000);
            assertTrue(server.stallBegan(), "the server stalled during the run");
            assertEquals(0, r.totalErrors(), r.errorReasons.toString());
            assertEquals(2_000, r.messagesPerSecond(), 2_000 * 0.01, "msgs/s counted by intended send time");
            assertTrue(r.latency().getMaxValue() >= 1_500 * MS, "max " + Units.latency(r.latency().getMaxValue()));
            assertEquals(r.messages, r.latency().getTotalCount());
        }
    }
}
