package echosuite.harness;

import echosuite.report.Units;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The run at a glance, what a results page opens with: for each scenario, the server with the
 * best headline figure ({@link ResultTable#headline}), how far ahead it is of the best server of
 * another model, and each server's figure against its C twin's ({@link ServerSpec#cTwin}).
 *
 * <p>The margin compares two ways of serving connections, not two programs of one way: the next
 * is the best server of another {@linkplain ServerSpec#model model} (a thread, a virtual thread, a
 * process per connection, or one thread multiplexing), so a Java server and its C twin, or
 * {@code c-select} and {@code c-epoll}, never count as the "next" of one another.
 *
 * @param scenario the scenario id
 * @param kind     its kind, which says what the headline figure is and which way is better
 * @param winner   the row with the best headline figure, or null when no row has one
 * @param next     the best row of another model, or null when no other model has a figure
 * @param rows     every row of the scenario, for the twin ratios
 */
record Verdict(String scenario, ScenarioKind kind, ResultRow winner, ResultRow next, List<ResultRow> rows) {

    /** One verdict per scenario of the table, in its order. */
    static List<Verdict> of(ResultTable t) {
        List<Verdict> out = new ArrayList<>();
        for (String id : t.scenarios()) {
            List<ResultRow> rows = t.rowsOf(id);
            ScenarioKind kind = rows.getFirst().kind();
            Comparator<ResultRow> better = Comparator.comparingDouble(ResultTable::headline);
            if (ResultTable.higherIsBetter(kind)) better = better.reversed();
            List<ResultRow> ranked = rows.stream().filter(ResultRow::hasFigures).sorted(better).toList();
            ResultRow winner = ranked.isEmpty() ? null : ranked.getFirst();
            ResultRow next = winner == null ? null : ranked.stream()
                    .filter(r -> !model(r.server()).equals(model(winner.server()))).findFirst().orElse(null);
            out.add(new Verdict(id, kind, winner, next, rows));
        }
        return out;
    }

    /** The servers that have a twin ratio in any of the verdicts, in the run's order: the twin columns of the summary. */
    static List<String> twinned(List<Verdict> verdicts) {
        Set<String> servers = new LinkedHashSet<>();
        verdicts.forEach(v -> v.rows.stream().filter(r -> r.twinRatio() != null).forEach(r -> servers.add(r.server())));
        return List.copyOf(servers);
    }

    /** The model a server belongs to, in words ({@link ServerSpec#model}); a server not in the catalog is a model of its own. */
    static String model(String server) {
        String model = ServerCatalog.modelOf(server);
        return model != null ? model : server;
    }

    /** The winner, its model and its figure, e.g. {@code c-select (one thread multiplexing) 158,000}; empty without one. */
    String winnerCell() {
        return winner == null ? "" : winner.server() + " (" + model(winner.server()) + ") " + SummaryColumns.headlineCell(winner);
    }

    /**
     * By how much the winner leads: the next model's figure over the winner's (or the winner's over
     * it, when higher is better), so always at least 1; e.g. {@code 1.12× over threaded (a thread per connection) 141,000}.
     * Without the ratio when a figure is not above 0 ({@link ResultTable#ratio}).
     */
    String marginCell() {
        if (winner == null) return "";
        if (next == null) return "no other model has a figure";
        Double margin = ResultTable.higherIsBetter(kind) ? ResultTable.ratio(winner, next) : ResultTable.ratio(next, winner);
        return (margin == null ? "next: " : Units.ratio(margin) + " over ") + next.server() + " (" + model(next.server()) + ") "
                + SummaryColumns.headlineCell(next);
    }

    /** {@code server}'s headline figure over its C twin's, e.g. {@code 0.96×}; empty when there is none. */
    String twinCell(String server) {
        return rows.stream().filter(r -> r.server().equals(server)).findFirst()
                .map(r -> Units.ratio(r.twinRatio())).orElse("");
    }

    /** One sentence for the console: the winner, its margin and the twin ratios. */
    String sentence(List<String> twinned) {
        if (winner == null) return scenario + ": no server has a figure.";
        StringBuilder s = new StringBuilder(scenario).append(": ").append(winnerCell()).append(" wins");
        if (next != null) s.append(", ").append(marginCell());
        List<String> twins = new ArrayList<>();
        for (String server : twinned) {
            String c = twinCell(server);
            if (!c.isEmpty()) twins.add(server + " " + c + " " + ServerCatalog.cTwinOf(server));
        }
        if (!twins.isEmpty()) s.append("; against the C twin: ").append(String.join(", ", twins));
        return s.append('.').toString();
    }
}
