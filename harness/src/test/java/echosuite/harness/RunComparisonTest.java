package echosuite.harness;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static echosuite.harness.ScenarioKind.BULK;
import static echosuite.harness.ScenarioKind.CHURN;
import static echosuite.harness.ScenarioKind.HOLD;
import static echosuite.harness.ScenarioKind.PINGPONG;
import static echosuite.harness.ScenarioKind.RATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./suite compare}: ratios of headline figures, flagged only beyond the runs' spread. */
class RunComparisonTest {

    private static final Machine MACHINE = new Machine(2, "cpu", 1L << 30, "6.1", "jdk", "", "none", "2025-01-01T00:00:00Z", "abc", null, null);

    private static ResultRow row(String server, ScenarioKind kind, Double msgs, Double p99, Double spread, String status) {
        String scenario = kind + "-c16";
        return new ResultRow(server, scenario, kind, status, 3, new ResultRow.Load(16L, 64L, msgs, spread, null),
                new ResultRow.Latency(null, null, p99, null, null, null), ResultRow.Connecting.NONE, ResultRow.Resources.NONE,
                ResultRow.HeldMemory.NONE, ResultRow.TreePeaks.NONE, new ResultRow.Checks(0L, true), null, List.of(), null, null, null);
    }

    private static ResultTable table(ResultRow... rows) {
        RunInfo info = new RunInfo("quick", List.of("selector", "threaded"), List.of(), List.of(), "selector", "loadgen", 1, null);
        return new ResultTable(info, MACHINE, "selector", List.of(rows));
    }

    private static RunComparison.Change only(List<RunComparison.Change> changes, String server, String scenario) {
        return changes.stream().filter(c -> c.server().equals(server) && c.scenario().equals(scenario)).findFirst().orElseThrow();
    }

    @Test
    void aChangeWithinTheSpreadIsNoiseAndOneBeyondItIsFlagged() {
        var a = table(row("selector", PINGPONG, 100_000.0, null, 0.08, "ok"), row("threaded", PINGPONG, 50_000.0, null, 0.04, "ok"));
        var b = table(row("selector", PINGPONG, 106_000.0, null, 0.05, "ok"), row("threaded", PINGPONG, 40_000.0, null, 0.06, "ok"));
        var changes = RunComparison.compare(a, b);

        var sel = only(changes, "selector", "pingpong-c16");
        assertEquals(1.06, sel.ratio(), 1e-9);
        assertEquals(0.08, sel.noise(), 1e-9, "the larger spread of the two runs");
        assertEquals("same", sel.verdict());
        assertFalse(sel.flagged());

        var thr = only(changes, "threaded", "pingpong-c16");
        assertEquals(0.8, thr.ratio(), 1e-9);
        assertEquals("worse", thr.verdict(), "20 % fewer msgs/s with 6 % spread");
        assertTrue(thr.flagged());
    }

    @Test
    void forLatencyAndMemoryLowerIsBetter() {
        var a = table(row("selector", RATE, 5000.0, 200.0, 0.05, "ok"));
        var b = table(row("selector", RATE, 5000.0, 150.0, 0.05, "ok"));
        var c = only(RunComparison.compare(a, b), "selector", "rate-c16");
        assertEquals(0.75, c.ratio(), 1e-9);
        assertEquals("better", c.verdict(), "p99 fell from 200 to 150 µs");
    }

    @Test
    void withoutRepetitionsTenPercentIsAssumedAndSaidSo() {
        var a = table(row("selector", PINGPONG, 100_000.0, null, null, "ok"));
        var b = table(row("selector", PINGPONG, 109_000.0, null, null, "ok"));
        var c = only(RunComparison.compare(a, b), "selector", "pingpong-c16");
        assertTrue(c.noiseAssumed());
        assertEquals("same", c.verdict());
        String text = RunComparison.format(List.of(c), "A", "B");
        assertTrue(text.contains("±10%*"), text);
        assertTrue(text.contains("0 of 1 rows changed beyond the noise"), text);

        var b2 = table(row("selector", PINGPONG, 111_000.0, null, null, "ok"));
        assertEquals("better", only(RunComparison.compare(a, b2), "selector", "pingpong-c16").verdict());
    }

    @Test
    void failuresAndMissingRowsAreFlaggedNotCompared() {
        var a = table(row("selector", PINGPONG, 100_000.0, null, 0.05, "ok"), row("threaded", PINGPONG, 50_000.0, null, 0.05, "ok"));
        var b = table(row("selector", PINGPONG, null, null, null, "server failed"), row("threaded", HOLD, null, null, null, "ok"));
        List<RunComparison.Change> changes = RunComparison.compare(a, b);
        var sel = only(changes, "selector", "pingpong-c16");
        assertNull(sel.ratio());
        assertEquals("failed in B (server failed)", sel.verdict());
        assertTrue(sel.flagged());
        assertEquals("only in A", only(changes, "threaded", "pingpong-c16").verdict());
        var hold = only(changes, "threaded", "hold-c16");
        assertEquals("only in B", hold.verdict());
        assertFalse(hold.flagged(), "a row without figures in either run (here: no memory figure) is no change");
        String text = RunComparison.format(new ArrayList<>(changes), "A", "B");
        assertTrue(text.contains("2 of 3 rows changed beyond the noise"), text);
    }

    @Test
    void theHeadlineOfEachKind() {
        assertEquals(100.0, ResultTable.headline(row("s", PINGPONG, 100.0, 7.0, null, "ok")));
        assertEquals(7.0, ResultTable.headline(row("s", RATE, 100.0, 7.0, null, "ok")));
        assertTrue(Map.of(PINGPONG, true, BULK, true, CHURN, true, RATE, false, HOLD, false).entrySet().stream()
                .allMatch(e -> ResultTable.higherIsBetter(e.getKey()) == e.getValue()));
    }
}
