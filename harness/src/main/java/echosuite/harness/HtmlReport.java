package echosuite.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static echosuite.harness.HtmlTemplate.esc;

/**
 * Writes {@code index.html}: one page, readable offline and by someone who never saw the suite,
 * with what was compared, on what machine, the tables and the plots. The page's text is the
 * template {@code report.html}, each scenario's table {@code report-scenario.html}; the cells are
 * styled by the kind of their column ({@link SummaryColumns.Kind}). The plots are embedded as
 * base64 {@code data:} URIs, so the page is a single file that needs no network and no folder.
 */
final class HtmlReport {

    private static final HtmlTemplate PAGE = HtmlTemplate.load("report.html");
    private static final HtmlTemplate SCENARIO = HtmlTemplate.load("report-scenario.html");

    private HtmlReport() { }

    static void write(RunFolder folder, ResultTable t, List<PlotRenderer.Plot> plots) throws IOException {
        String page = PAGE.fill(Map.of(
                "date", esc(t.machine().date()),
                "facts", SummaryWriter.runFacts(t).stream().map(f -> "<li>" + esc(f) + "</li>\n").collect(Collectors.joining()),
                "glance", glance(Verdict.of(t)),
                "twins", esc(SummaryWriter.TWIN_PAIRS),
                "scenarios", t.scenarios().stream().map(id -> scenario(t, id)).collect(Collectors.joining()),
                "plots", plots(folder, plots)));
        Files.writeString(folder.dir().resolve("index.html"), page);
    }

    /** One scenario: its caption, its table (the baseline's row highlighted), the note on lower bounds and the problems. */
    private static String scenario(ResultTable t, String id) {
        List<ResultRow> rows = t.rowsOf(id);
        Scenario sc = SummaryWriter.scenario(t, id);
        ScenarioKind kind = rows.getFirst().kind();
        List<SummaryColumns.Column> cols = SummaryColumns.of(kind);
        String note = SummaryColumns.lowerBoundNote(rows);
        String problems = rows.stream()
                .filter(r -> !r.status().equals("not built"))         // said once, in the run's facts
                .flatMap(r -> r.remarks().stream().map(p -> "<li>" + esc(r.server()) + ": " + esc(p) + "</li>\n"))
                .collect(Collectors.joining());
        return SCENARIO.fill(Map.of(
                "id", esc(id),
                "caption", sc == null ? "" : esc(SummaryColumns.caption(sc)) + " ",
                "headline", esc(ResultTable.headlineName(kind)),
                "headings", cols.stream().map(c -> "<th>" + esc(c.heading()) + "</th>").collect(Collectors.joining()),
                "rows", rows.stream().map(r -> row(r, cols, r.server().equals(t.baseline()))).collect(Collectors.joining()),
                "note", note == null ? "" : "<p class=\"note\">" + esc(note) + "</p>\n",
                "problems", problems.isEmpty() ? "" : "<ul class=\"problems\">\n" + problems + "</ul>\n"));
    }

    /** The run at a glance ({@link Verdict}): a table whose rows link to their scenario's table. */
    private static String glance(List<Verdict> verdicts) {
        List<String> twinned = Verdict.twinned(verdicts);
        StringBuilder h = new StringBuilder("<table class=\"glance\">\n<tr>");
        SummaryWriter.glanceHeadings(twinned).forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
        h.append("</tr>\n");
        for (Verdict v : verdicts) {
            List<String> cells = SummaryWriter.glanceCells(v, twinned);
            h.append("<tr><td class=\"l\"><a href=\"#").append(esc(v.scenario())).append("\">").append(esc(cells.getFirst())).append("</a></td>");
            for (int i = 1; i < cells.size(); i++) {
                h.append(i < 4 ? "<td class=\"l\">" : "<td>").append(esc(cells.get(i))).append("</td>");
            }
            h.append("</tr>\n");
        }
        return h.append("</table>\n").toString();
    }

    private static String row(ResultRow r, List<SummaryColumns.Column> cols, boolean baseline) {
        return (baseline ? "<tr class=\"base\">" : "<tr>") + cols.stream().map(c -> {
            String v = c.cell().apply(r);
            String style = (c.kind().leftAligned() ? "l" : "") + (c.kind().bad(v) ? " bad" : "");
            return "<td class=\"" + style + "\">" + esc(v) + "</td>";
        }).collect(Collectors.joining()) + "</tr>\n";
    }

    private static String plots(RunFolder folder, List<PlotRenderer.Plot> plots) throws IOException {
        if (plots.isEmpty()) return "";
        StringBuilder h = new StringBuilder("<h2>Plots</h2>\n");
        for (PlotRenderer.Plot p : plots) {
            byte[] png = Files.readAllBytes(folder.dir().resolve(p.file()));
            h.append("<h3>").append(esc(p.title())).append("</h3>\n<img alt=\"").append(esc(p.title()))
             .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png)).append("\">\n");
        }
        return h.toString();
    }
}
