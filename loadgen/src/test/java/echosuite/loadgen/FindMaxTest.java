package echosuite.loadgen;

import echosuite.report.Units;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static echosuite.loadgen.TestRuns.MS;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** find-max finds a server's known capacity, in a bounded number of runs. */
class FindMaxTest {

    static final double CAPACITY = 200;   // messages per second the test server echoes at most

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void findsTheCapacityOfAServerThatCannotGoFaster() throws Exception {
        try (TestEchoServer server = new TestEchoServer()) {
            server.capacity(CAPACITY);
            // A generous SLO, so that a busy test machine's scheduling delays do not fail a run below capacity:
            // past capacity the queue grows without bound (at 1.5x for 2 s: 200 messages, a second of latency).
            RateSearch search = new RateSearch(250 * MS, 50, 1_000_000, 8, 0.1);
            long[] nextId = {0};
            List<RateSearch.Step> steps = search.search(rate -> {
                RunResult r = TestRuns.run(TestRuns.config("find-max", server.address(), 4, 64, 2_000, 300, nextId[0]),
                        OpenLoop.factory(4, rate, 1));
                nextId[0] += r.connectionsOpened;
                return r;
            });
            String tried = steps.stream().map(s -> String.format("%.0f/s %s p99 %s", s.rate(), s.passed() ? "pass" : "fail: " + s.verdict(),
                    Units.latency(s.result().latency().getValueAtPercentile(99)))).toList().toString();
            assertTrue(steps.size() <= 8, "bounded: " + tried);
            RateSearch.Step best = RateSearch.best(steps);
            assertNotNull(best, "some rate passed");
            assertTrue(best.rate() >= CAPACITY / 2 && best.rate() <= CAPACITY * 1.1,
                    "found " + best.rate() + " msgs/s for a capacity of " + CAPACITY + ": " + tried);
            assertTrue(steps.stream().filter(s -> s.rate() > CAPACITY * 1.1).noneMatch(RateSearch.Step::passed),
                    "no rate above the capacity passed: " + tried);
            assertTrue(steps.stream().anyMatch(s -> !s.passed()), "the search found a rate that fails: " + tried);
        }
    }
}
