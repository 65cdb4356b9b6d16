package echosuite.harness;

import com.fasterxml.jackson.databind.JsonNode;
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

    private static JsonNode json(String text) throws IOException {
        return RunFolder.JSON.readTree(text);
    }

    private static ResultRow row(String kind, Double allFirstEchoMs) {
        return new ResultRow("forking", kind + "-c16", kind, "ok", 1, 16L, 64L, 1000.0, null, null, null, null, 50.0, null,
                null, null, null, null, null, allFirstEchoMs, null, null, null, null, null, null, null, null, null, 0L, true, null, List.of(), null);
    }

    private static String cell(ResultRow r) {
        return SummaryColumns.of(r.kind()).stream().filter(c -> c.heading().equals(HEADING)).findFirst().orElseThrow()
                .cell().apply(r);
    }

    @Test
    void theFigureIsReadFromTheLoadgenJson() throws IOException {
        LoadResult r = LoadResult.of(json("{\"scenario\":\"pingpong\",\"messagesPerSecond\":10.0,\"allFirstEchoMs\":2410.5}"));
        assertEquals(2410.5, r.allFirstEchoMs());
    }

    @Test
    void anOlderJsonWithoutTheKeyReadsAsMissingNotZero() throws IOException {
        LoadResult old = LoadResult.of(json("{\"scenario\":\"pingpong\",\"messagesPerSecond\":10.0}"));
        assertNull(old.allFirstEchoMs());
        LoadResult neverAll = LoadResult.of(json("{\"scenario\":\"pingpong\",\"allFirstEchoMs\":null}"));
        assertNull(neverAll.allFirstEchoMs());
        assertEquals("", cell(row("pingpong", null)), "a missing figure is an empty cell");
    }

    @Test
    void theColumnIsInTheTablesOfTheScenariosThatOpenTheirConnectionsOnce() {
        for (String kind : List.of("pingpong", "rate", "bulk")) {
            assertTrue(SummaryColumns.of(kind).stream().anyMatch(c -> c.heading().equals(HEADING)), kind);
        }
        for (String kind : List.of("churn", "hold")) {
            assertFalse(SummaryColumns.of(kind).stream().anyMatch(c -> c.heading().equals(HEADING)), kind);
        }
        assertEquals("2410.0 ms", cell(row("rate", 2_410.0)));
    }

    @Test
    void theCsvCarriesItAsAPlainNumberOrAnEmptyCell() {
        RunInfo info = new RunInfo("quick", List.of("forking"), List.of(), List.of(), "forking", "loadgen", 1);
        Machine machine = new Machine(2, "cpu", 1L << 30, "6.1", "jdk", "", "none", "2025-01-01T00:00:00Z", "abc");
        String csv = SummaryWriter.csv(new ResultTable(info, machine, "forking",
                List.of(row("pingpong", 2_410.5), row("bulk", null))));
        List<String> lines = csv.lines().toList();
        int column = List.of(lines.get(0).split(",")).indexOf("allFirstEchoMs");
        assertTrue(column >= 0, lines.get(0));
        assertEquals("2410.500", lines.get(1).split(",", -1)[column]);
        assertEquals("", lines.get(2).split(",", -1)[column]);
    }
}
