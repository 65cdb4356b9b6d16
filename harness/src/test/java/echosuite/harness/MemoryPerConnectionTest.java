package echosuite.harness;

import echosuite.report.Units;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The marginal memory per connection from /proc samples at two levels, and why it is empty when it is. */
class MemoryPerConnectionTest {

    private static final long MIB = 1 << 20;

    /** A series with one sample every 250 ms from 0 to {@code endMs}, PSS given by {@code pss(ms)}. */
    private static List<ResourceMonitor.Timed> series(long endMs, java.util.function.LongUnaryOperator pss) {
        List<ResourceMonitor.Timed> s = new ArrayList<>();
        for (long ms = 0; ms <= endMs; ms += 250) s.add(new ResourceMonitor.Timed(ms, new ProcessTreeSample(1, 20, 30, pss.applyAsLong(ms), pss.applyAsLong(ms), 0)));
        return s;
    }

    @Test
    void theSlopeBetweenTheSettledHalvesOfTwoLevelsWithTheHeldCounts() {
        // Idle 50 MiB; the first level (0-2 s) ramps to 60 MiB and a one-time spike at 0.5 s; the
        // second (2-4 s) settles at 70 MiB. 1,000 then 1,990 held: 10 MiB / 990 connections.
        var s = series(4000, ms -> ms < 1000 ? (ms == 500 ? 90 * MIB : 55 * MIB) : ms < 2000 ? 60 * MIB : ms < 3000 ? 66 * MIB : 70 * MIB);
        LevelMemory first = LevelMemory.of(s, 1000, 1000, true, 0, 2000);
        LevelMemory full = LevelMemory.of(s, 2000, 1990, true, 2000, 4000);
        assertEquals(new LevelMemory(1000, 1000, true, 1000, 2000, 5, 60 * MIB), first, "the settled half: 1.00 to 2.00 s, 5 samples");
        assertEquals(70 * MIB, full.pssBytes());
        var m = MemoryPerConnection.marginal(List.of(first, full));
        assertEquals(Math.round(10.0 * MIB / 990), m.bytes());
        assertNull(m.whyNone());
    }

    @Test
    void theMedianIsTakenSoThatOneReadingDuringACollectionDoesNotDecide() {
        var s = series(2000, ms -> ms == 1500 ? 200 * MIB : ms == 1750 ? 10 * MIB : 64 * MIB + ms);
        LevelMemory l = LevelMemory.of(s, 10, 10, true, 0, 2000);
        assertEquals(5, l.samples());
        assertEquals(64 * MIB + 1250, l.pssBytes(), "median of 64 MiB + 1000, 64 MiB + 1250, 200 MiB, 10 MiB, 64 MiB + 2000");
        var even = LevelMemory.of(series(1750, ms -> ms), 10, 10, true, 0, 1750);
        assertEquals((1250 + 1500) / 2, even.pssBytes(), "an even count: the mean of the middle two (875 to 1750 ms: 1000, 1250, 1500, 1750)");
    }

    @Test
    void aFallBetweenTheLevelsIsReportedAsMeasured() {
        var m = MemoryPerConnection.marginal(List.of(new LevelMemory(8, 8, true, 0, 1, 4, 60 * MIB),
                new LevelMemory(16, 16, true, 2, 3, 4, 60 * MIB - 8 * 1024)));
        assertEquals(-1024, m.bytes());
        assertEquals("-142.1 KiB", Units.bytes(-145_472L), "a negative figure reads like a positive one");
    }

    @Test
    void aServerThatHeldNoMoreAtTheFullLevelHasNoFigureAndSaysWhy() {
        var m = MemoryPerConnection.marginal(List.of(new LevelMemory(1000, 97, true, 0, 1, 4, 900 * MIB),
                new LevelMemory(2000, 97, true, 2, 3, 4, 910 * MIB)));
        assertNull(m.bytes());
        assertTrue(m.whyNone().contains("no more connections than the first (97 of 1,000, then 97 of 2,000)"), m.whyNone());
        var fewer = MemoryPerConnection.marginal(List.of(new LevelMemory(10, 10, true, 0, 1, 4, MIB), new LevelMemory(20, 9, true, 2, 3, 4, MIB)));
        assertNull(fewer.bytes());
    }

    @Test
    void aServerThatHeldSomeOfEachLevelUsesWhatItHeld() {
        var m = MemoryPerConnection.marginal(List.of(new LevelMemory(1000, 60, true, 0, 1, 4, 900 * MIB),
                new LevelMemory(2000, 100, true, 2, 3, 4, 940 * MIB)));
        assertEquals(MIB, m.bytes(), "40 MiB over the 40 connections actually added");
    }

    @Test
    void oneLevelNoLevelsALevelNotReachedAndNoSamplesGiveNoFigure() {
        LevelMemory a = new LevelMemory(8, 8, true, 0, 1, 4, MIB), b = new LevelMemory(16, 16, true, 2, 3, 4, 2 * MIB);
        assertTrue(MemoryPerConnection.marginal(List.of()).whyNone().contains("no levels"));
        assertTrue(MemoryPerConnection.marginal(List.of(b)).whyNone().contains("one level"));
        assertTrue(MemoryPerConnection.marginal(List.of(a, new LevelMemory(16, 16, false, 2, 3, 4, 2 * MIB))).whyNone()
                .contains("cut short"));
        LevelMemory unsampled = LevelMemory.of(series(1000, ms -> MIB), 16, 16, true, 5000, 5200);
        assertEquals(0, unsampled.samples());
        assertNull(unsampled.pssBytes());
        var m = MemoryPerConnection.marginal(List.of(a, unsampled));
        assertNull(m.bytes());
        assertTrue(m.whyNone().contains("settled half of the full level"), m.whyNone());
    }

    @Test
    void theFigureIncludingOneTimeCostsKeepsItsOldMeaning() {
        ResourceUse u = new ResourceUse(40 * MIB, 30 * MIB, 80 * MIB, 50 * MIB, 20, 1, 40, 0, 1000, 4, List.of());
        assertEquals(20 * MIB / 16, MemoryPerConnection.inclOneTime(u, 16), "(peak PSS - idle PSS) / held");
        assertNull(MemoryPerConnection.inclOneTime(u, 0));
        assertNull(MemoryPerConnection.inclOneTime(null, 16));
    }
}
