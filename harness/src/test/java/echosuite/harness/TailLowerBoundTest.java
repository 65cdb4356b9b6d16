package echosuite.harness;

import echosuite.report.LoadReport;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Messages never answered are in the latency as lower bounds: the tables mark the tail and say why. */
class TailLowerBoundTest {

    private static ResultRow row(String server, Long unansweredInLatency) {
        return new ResultRow(server, "rate-c16", ScenarioKind.RATE, "ok", 1, new ResultRow.Load(16L, 64L, 5000.0, null, null),
                new ResultRow.Latency(90.0, 120.0, 10_500_000.0, 10_900_000.0, 11_000_000.0, 200.0), ResultRow.Connecting.NONE,
                ResultRow.Resources.NONE, ResultRow.HeldMemory.NONE, ResultRow.TreePeaks.NONE, new ResultRow.Checks(16L, true), null,
                List.of(), unansweredInLatency, null, null);
    }

    private static ResultTable table(ResultRow... rows) {
        RunInfo info = new RunInfo("quick", List.of("forking", "selector"), List.of(), List.of(), "selector", "loadgen", 1, null);
        Machine machine = new Machine(2, "cpu", 1L << 30, "6.1", "jdk", "", "none", "2025-01-01T00:00:00Z", "abc", null, null);
        return new ResultTable(info, machine, "selector", List.of(rows));
    }

    @Test
    void theCountIsReadFromTheLoadgenJsonAndMissingInOlderFiles() throws IOException {
        assertEquals(1_234L, LoadReport.JSON.readValue("{\"scenario\":\"rate\",\"unansweredInLatency\":1234}", LoadReport.class)
                .latency().unansweredInLatency());
        assertNull(LoadReport.JSON.readValue("{\"scenario\":\"rate\"}", LoadReport.class).latency().unansweredInLatency());
    }

    @Test
    void onlyTheRowWithUnansweredMessagesHasItsTailMarkedAndTheNoteNamesIt() {
        ResultRow cut = row("forking", 1_234L), whole = row("selector", 0L), old = row("threaded", null);
        String markdown = SummaryWriter.markdown(table(cut, whole, old));
        List<String> lines = markdown.lines().toList();
        String forking = lines.stream().filter(l -> l.startsWith("| forking")).findFirst().orElseThrow();
        String selector = lines.stream().filter(l -> l.startsWith("| selector")).findFirst().orElseThrow();
        String threaded = lines.stream().filter(l -> l.startsWith("| threaded")).findFirst().orElseThrow();
        assertEquals(3, forking.split(SummaryColumns.LOWER_BOUND, -1).length - 1, "p99, p99.9 and max marked: " + forking);
        assertFalse(selector.contains(SummaryColumns.LOWER_BOUND), selector);
        assertFalse(threaded.contains(SummaryColumns.LOWER_BOUND), threaded);
        String note = SummaryColumns.lowerBoundNote(List.of(cut, whole, old));
        assertTrue(note.contains("forking 1,234") && !note.contains("selector"), note);
        assertTrue(markdown.contains(note), "the note is under the table");
        assertTrue(SummaryWriter.console(table(cut)).contains(note));
        assertNull(SummaryColumns.lowerBoundNote(List.of(whole, old)), "no note when no tail is cut");
    }
}
