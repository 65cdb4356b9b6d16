package echosuite.harness;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run at a glance: the winner, its margin over the best of another model, and the twin ratios. */
class VerdictTest {

    private static ResultRow row(String server, String scenario, ScenarioKind kind, double headline, Double twinRatio) {
        boolean latency = kind == ScenarioKind.RATE;
        return new ResultRow(server, scenario, kind, "ok", 1, new ResultRow.Load(16L, 64L, latency ? 5000.0 : headline, null, null),
                new ResultRow.Latency(null, null, latency ? headline : 100.0, null, null, null), ResultRow.Connecting.NONE,
                ResultRow.Resources.NONE, ResultRow.HeldMemory.NONE, ResultRow.TreePeaks.NONE, new ResultRow.Checks(0L, true),
                null, List.of(), 0L, ServerCatalog.cTwinOf(server), twinRatio);
    }

    private static Verdict only(List<ResultRow> rows) {
        List<Verdict> v = Verdict.of(new ResultTable(null, null, "selector", rows));
        assertEquals(1, v.size());
        return v.getFirst();
    }

    @Test
    void theWinnerLeadsTheBestServerOfAnotherModelNotItsOwnTwinOrAProgramOfItsModel() {
        Verdict v = only(List.of(
                row("selector", "pp", ScenarioKind.PINGPONG, 100_000, 100_000 / 120_000.0),
                row("c-select", "pp", ScenarioKind.PINGPONG, 120_000, null),
                row("c-epoll", "pp", ScenarioKind.PINGPONG, 110_000, null),
                row("threaded", "pp", ScenarioKind.PINGPONG, 90_000, 90_000 / 95_000.0),
                row("c-thread", "pp", ScenarioKind.PINGPONG, 95_000, null)));
        assertEquals("c-select", v.winner().server());
        assertEquals("c-thread", v.next().server(), "c-epoll and selector are the winner's model");
        assertEquals("c-select (one thread multiplexing) 120,000", v.winnerCell());
        assertEquals("1.26× over c-thread (a thread per connection) 95,000", v.marginCell());
        assertEquals("0.83×", v.twinCell("selector"));
        assertEquals("", v.twinCell("c-select"), "a C server has no twin");
        assertEquals(List.of("selector", "threaded"), Verdict.twinned(List.of(v)));
        assertEquals("pp: c-select (one thread multiplexing) 120,000 wins, 1.26× over c-thread (a thread per connection) 95,000;"
                + " against the C twin: selector 0.83× c-select, threaded 0.95× c-thread.", v.sentence(Verdict.twinned(List.of(v))));
    }

    @Test
    void whereLowerIsBetterTheLowestWinsAndTheMarginIsStillAtLeastOne() {
        Verdict v = only(List.of(
                row("threaded", "rate", ScenarioKind.RATE, 900, null),
                row("forking", "rate", ScenarioKind.RATE, 3_000, null),
                row("selector", "rate", ScenarioKind.RATE, 600, null)));
        assertEquals("selector", v.winner().server());
        assertEquals("1.50× over threaded (a thread per connection) 900 µs", v.marginCell());
    }

    @Test
    void aRowOverItsServersLimitNeverWinsAndOneModelAloneHasNoMargin() {
        Scenario hold = Scenario.hold(2000);
        ResultRow over = row("c-select", "hold", ScenarioKind.PINGPONG, 1e9, null).overLimit(ServerCatalog.overLimit("c-select", hold));
        Verdict v = only(List.of(over, row("selector", "hold", ScenarioKind.PINGPONG, 10, null)));
        assertEquals("selector", v.winner().server());
        assertNull(v.next());
        assertEquals("no other model has a figure", v.marginCell());
        Verdict none = only(List.of(over));
        assertNull(none.winner());
        assertEquals("hold: no server has a figure.", none.sentence(List.of()));
    }

    @Test
    void figuresNotAboveZeroAreRankedButNotDivided() {
        Verdict v = only(List.of(
                row("virtualthreads", "hold", ScenarioKind.RATE, -217.9, null),
                row("selector", "hold", ScenarioKind.RATE, -92.3, null)));
        assertEquals("virtualthreads", v.winner().server(), "the lowest figure, as measured");
        assertTrue(v.marginCell().startsWith("next: selector (one thread multiplexing) ") && !v.marginCell().contains("×"),
                "no ratio of negative figures: " + v.marginCell());
    }
}
