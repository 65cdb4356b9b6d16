package echosuite.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import echosuite.report.LoadReport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static echosuite.loadgen.TestRuns.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hold's two levels: the first level is held from the start line, then the rest are opened, all
 * are held once they are established, and only then does the measured window open; each level
 * reports its interval and the connections held at its end.
 */
class HoldLevelsTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theFirstLevelIsHeldThenTheRestAreOpenedAndHeldAndThenTheWindowOpens() throws Exception {
        try (TestEchoServer server = new TestEchoServer()) {
            RunConfig config = TestRuns.config("hold", server.address(), 20, 64, 300, 0, 0);
            HoldLevels levels = new HoldLevels(8, 20, 250 * MS, config.durationNs());
            RunResult r = TestRuns.run(config, Hold.factory(levels));
            assertEquals(0, r.totalErrors(), r.errorReasons.toString());
            assertEquals(20, r.count("established"));
            assertEquals(9, r.connectionsAtStart, "the first level and the probe were open at the start line");
            assertEquals(21, r.connectionsOpened);

            List<HoldLevels.Level> l = levels.levels();
            assertEquals(2, l.size(), l.toString());
            HoldLevels.Level first = l.get(0), full = l.get(1);
            assertEquals(new HoldLevels.Level(8, 8, first.fromNs(), first.fromNs() + 250 * MS, true), first);
            assertEquals(20, full.target());
            assertEquals(20, full.held());
            assertTrue(full.reached());
            assertEquals(250 * MS, full.toNs() - full.fromNs(), "the full level is held for --level-hold");
            assertTrue(full.fromNs() > first.toNs(), "the rest were opened after the first level: " + l);
            assertTrue(r.warmupRunSeconds >= 0.5, "the window opened " + r.warmupRunSeconds + " s after the start line, after both levels");
            assertTrue(r.messages > 0, "the probe was measured in the window");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aWarmupLimitThatOpensTheWindowWhileTheRestAreStillOpeningMarksTheLevelNotReached() throws Exception {
        long delayMs = 600;
        try (TestEchoServer server = new TestEchoServer().firstEchoDelay(delayMs * MS)) {
            // The first level is held 150 ms; the rest echo 600 ms after they write, but the limit is 400 ms.
            RunConfig config = TestRuns.withLimits(TestRuns.config("hold", server.address(), 6, 64, 200, 0, 0), 400, 10_000);
            HoldLevels levels = new HoldLevels(2, 6, 150 * MS, config.durationNs());
            RunResult r = TestRuns.run(config, Hold.factory(levels));
            assertEquals(0, r.totalErrors(), r.errorReasons.toString());
            List<HoldLevels.Level> l = levels.levels();
            assertEquals(2, l.size(), l.toString());
            assertTrue(l.get(0).reached());
            assertEquals(2, l.get(0).held());
            assertFalse(l.get(1).reached(), "the rest were still waiting for their first echo: " + l);
            assertEquals(2, l.get(1).held(), "none of the rest was established by the window's end: " + l);
            assertEquals(6, r.count("established"), "the rest were established during the drain");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void withoutAFirstLevelTheJsonHasOneLevelTheMeasuredWindow() throws Exception {
        try (TestEchoServer server = new TestEchoServer()) {
            JsonNode levels = holdLevels(server, "--first-level", "0");
            assertEquals(1, levels.size(), levels.toString());
            assertEquals(10, levels.get(0).get("target").asInt());
            assertEquals(10, levels.get(0).get("held").asInt());
            assertEquals(200, levels.get(0).get("toEpochMs").asLong() - levels.get(0).get("fromEpochMs").asLong(), 1);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theJsonGivesBothLevelsOnTheWallClock() throws Exception {
        try (TestEchoServer server = new TestEchoServer()) {
            long before = System.currentTimeMillis();
            JsonNode levels = holdLevels(server, "--level-hold", "200ms");
            long after = System.currentTimeMillis();
            assertEquals(2, levels.size(), levels.toString());
            assertEquals(5, levels.get(0).get("target").asInt(), "the default first level is half of -c");
            assertEquals(5, levels.get(0).get("held").asInt());
            assertEquals(10, levels.get(1).get("held").asInt());
            assertTrue(levels.get(1).get("reached").asBoolean());
            long from1 = levels.get(0).get("fromEpochMs").asLong(), to2 = levels.get(1).get("toEpochMs").asLong();
            assertTrue(before <= from1 && from1 < levels.get(0).get("toEpochMs").asLong()
                    && levels.get(0).get("toEpochMs").asLong() <= levels.get(1).get("fromEpochMs").asLong() && to2 <= after, levels.toString());
        }
    }

    /** Runs {@code loadgen hold -c 10 -d 200ms} with {@code more} options against {@code server}; returns its JSON's levels. */
    private JsonNode holdLevels(TestEchoServer server, String... more) throws Exception {
        Path json = dir.resolve("hold.json");
        List<String> args = new ArrayList<>(List.of("hold", "-c", "10", "-d", "200ms", "--warmup", "0", "-q", "--json", json.toString()));
        args.addAll(List.of(more));
        args.add(server.target());
        assertEquals(ExitStatus.OK, Loadgen.execute(args.toArray(String[]::new)));
        return LoadReport.JSON.readTree(json.toFile()).get("levels");
    }

    @Test
    void aFirstLevelNotBelowTheConnectionsOrLevelsLongerThanTheWarmupLimitAreRefused() {
        assertEquals(ExitStatus.USAGE, Loadgen.execute("hold", "-c", "10", "--first-level", "10", "-q", "127.0.0.1:9"));
        assertEquals(ExitStatus.USAGE, Loadgen.execute("hold", "-c", "10", "--first-level", "-1", "-q", "127.0.0.1:9"));
        assertEquals(ExitStatus.USAGE, Loadgen.execute("hold", "--level-hold", "0", "-q", "127.0.0.1:9"));
        assertEquals(ExitStatus.USAGE, Loadgen.execute("hold", "--warmup-limit", "3s", "-q", "127.0.0.1:9"), "2 s levels need more than 4 s");
    }
}
