package echosuite.harness;

import echosuite.report.LoadReport;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The time to all first echoes: read from the load generator's JSON, missing in older files, shown where it applies. */
class AllFirstEchoesTest {

    private static final String HEADING = "all first echoes";

    private static LoadReport json(String text) throws IOException {
        return LoadReport.JSON.readValue(text, LoadReport.class);
    }

    private static ResultRow row(ScenarioKind kind, Double allFirstEchoMs) {
        return new ResultRow("forking", kind + "-c16", kind, "ok", 1, new ResultRow.Load(16L, 64L, 1000.0, null, null),
                new ResultRow.Latency(null, null, 50.0, null, null, null), new ResultRow.Connecting(null, null, null, allFirstEchoMs, null, null),
                ResultRow.Resources.NONE, ResultRow.HeldMemory.NONE, ResultRow.TreePeaks.NONE, new ResultRow.Checks(0L, true),
                null, List.of(), null, null, null);
    }

    private static String cell(ResultRow r) {
        return SummaryColumns.of(r.kind()).stream().filter(c -> c.heading().equals(HEADING)).findFirst().orElseThrow()
                .cell().apply(r);
    }

    @Test
    void theFigureIsReadFromTheLoadgenJson() throws IOException {
        LoadReport r = json("{\"scenario\":\"pingpong\",\"messagesPerSecond\":10.0,\"allFirstEchoMs\":2410.5}");
        assertEquals(2410.5, r.firstEchoes().allFirstEchoMs());
    }

    @Test
    void anOlderJsonWithoutTheKeyReadsAsMissingNotZero() throws IOException {
        LoadReport old = json("{\"scenario\":\"pingpong\",\"messagesPerSecond\":10.0}");
        assertNull(old.firstEchoes());
        LoadReport neverAll = json("{\"scenario\":\"pingpong\",\"allFirstEchoMs\":null,\"warmupLimitReached\":false}");
        assertNull(neverAll.firstEchoes().allFirstEchoMs());
        assertEquals("", cell(row(ScenarioKind.PINGPONG, null)), "a missing figure is an empty cell");
    }

    @Test
    void theColumnIsInTheTablesOfTheScenariosThatOpenTheirConnectionsOnce() {
        for (ScenarioKind kind : List.of(ScenarioKind.PINGPONG, ScenarioKind.RATE, ScenarioKind.BULK)) {
            assertTrue(SummaryColumns.of(kind).stream().anyMatch(c -> c.heading().equals(HEADING)), kind.label());
        }
        for (ScenarioKind kind : List.of(ScenarioKind.CHURN, ScenarioKind.HOLD)) {
            assertFalse(SummaryColumns.of(kind).stream().anyMatch(c -> c.heading().equals(HEADING)), kind.label());
        }
        assertEquals("2.41 s", cell(row(ScenarioKind.RATE, 2_410.0)), "a latency's three significant digits (report's Units)");
    }

    @Test
    void theCsvCarriesItAsAPlainNumberOrAnEmptyCell() {
        RunInfo info = new RunInfo("quick", List.of("forking"), List.of(), List.of(), "forking", "loadgen", 1, null);
        Machine machine = new Machine(2, "cpu", 1L << 30, "6.1", "jdk", "", "none", "2025-01-01T00:00:00Z", "abc", null, null);
        String csv = SummaryWriter.csv(new ResultTable(info, machine, "forking",
                List.of(row(ScenarioKind.PINGPONG, 2_410.5), row(ScenarioKind.BULK, null))));
        List<String> lines = csv.lines().toList();
        int column = List.of(lines.get(0).split(",")).indexOf("allFirstEchoMs");
        assertTrue(column >= 0, lines.get(0));
        assertEquals("2410.500", lines.get(1).split(",", -1)[column]);
        assertEquals("", lines.get(2).split(",", -1)[column]);
    }
}
