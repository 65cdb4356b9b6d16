package echosuite.loadgen;

import echosuite.report.Units;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static echosuite.loadgen.TestRuns.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The warm-up of pingpong, rate and bulk waits for every connection's first echo, bounded by the
 * warm-up limit, against a server that echoes on each connection only 600 ms after its first bytes
 * came: longer than --warmup and than the per-message --timeout.
 */
class WarmupTest {

    static final long DELAY_MS = 600;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theWindowOpensOnlyWhenEveryConnectionHasEchoedAndNoFirstMessageTimesOut() throws Exception {
        try (TestEchoServer server = new TestEchoServer().firstEchoDelay(DELAY_MS * MS)) {
            RunConfig config = TestRuns.withLimits(TestRuns.config("pingpong", server.address(), 4, 64, 300, 100, 0), 30_000, 200);
            RunResult r = TestRuns.run(config, ClosedLoop.factory(4, 1, 0));
            assertEquals(0, r.totalErrors(), r.errorReasons.toString());
            assertFalse(r.warmupLimitReached());
            assertEquals(0, r.awaitingFirstEchoAtWindow);
            assertTrue(r.allFirstEchoNs >= DELAY_MS * MS, "all first echoes after " + Units.duration(r.allFirstEchoNs));
            // Every first message (the only ones held for the delay) fell in the warm-up, none in the window.
            assertEquals(4, r.warmup[Metric.LATENCY.ordinal()].getCountBetweenValues(DELAY_MS * MS, Long.MAX_VALUE));
            assertEquals(0, r.latency().getCountBetweenValues(DELAY_MS * MS, Long.MAX_VALUE));
            assertTrue(r.warmupRunSeconds * 1e9 >= DELAY_MS * MS, "warm-up ran " + r.warmupRunSeconds + " s");
            assertTrue(r.messages > 0, "the window measured echoes");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aWarmupLimitShorterThanTheDelayOpensTheWindowAndSaysSo() throws Exception {
        try (TestEchoServer server = new TestEchoServer().firstEchoDelay(DELAY_MS * MS)) {
            RunConfig config = TestRuns.withLimits(TestRuns.config("pingpong", server.address(), 4, 64, 200, 50, 0), 100, 10_000);
            RunResult r = TestRuns.run(config, ClosedLoop.factory(4, 1, 0));
            assertTrue(r.warmupLimitReached());
            assertEquals(4, r.awaitingFirstEchoAtWindow, "no connection had echoed when the limit opened the window");
            assertEquals(0, r.totalErrors(), r.errorReasons.toString());
            // The first echoes still came (in the window or the drain), so the figure is known.
            assertTrue(r.allFirstEchoNs >= DELAY_MS * MS, "all first echoes after " + Units.duration(r.allFirstEchoNs));
            assertTrue(RunReport.warmupLimitWarning(r).contains("4 of 4 connections"), RunReport.warmupLimitWarning(r));
        }
    }

    @Test
    void aWarmupLimitShorterThanTheWarmupIsABadCommandLine() {
        assertEquals(ExitStatus.USAGE, Loadgen.execute("pingpong", "--warmup", "5s", "--warmup-limit", "1s", "-q", "127.0.0.1:9"));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void rateKeepsItsScheduleAndCountsEveryMessageOnce() throws Exception {
        try (TestEchoServer server = new TestEchoServer().firstEchoDelay(DELAY_MS * MS)) {
            // 2,000 msgs/s over 4 connections (2 threads at 1,000/s each): exactly 1,000 intended times in any 500 ms.
            RunConfig config = TestRuns.withLimits(TestRuns.config("rate", server.address(), 4, 64, 500, 0, 0), 30_000, 200);
            RunResult r = TestRuns.run(config, OpenLoop.factory(4, 2_000, 1));
            assertEquals(0, r.totalErrors(), r.errorReasons.toString());
            assertFalse(r.warmupLimitReached());
            assertTrue(r.allFirstEchoNs >= DELAY_MS * MS, "all first echoes after " + Units.duration(r.allFirstEchoNs));
            assertEquals(1_000, r.latency().getTotalCount());
            assertEquals(0, r.count("messagesNotSent"));
            // Every message sent is one first-echo message per connection or a scheduled one, measured or warm-up.
            long warmup = r.warmup[Metric.LATENCY.ordinal()].getTotalCount();
            assertTrue(warmup > 0, "messages came due while the server had not echoed yet");
            assertEquals(4 + warmup + 1_000, r.messagesSent);
            assertEquals(r.messagesSent * 64, server.bytesEchoed());
        }
    }
}
