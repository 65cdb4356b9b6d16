package echosuite.loadgen;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static echosuite.loadgen.TestRuns.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
