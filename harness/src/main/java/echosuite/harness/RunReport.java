package echosuite.harness;

import java.io.IOException;
import java.util.List;

/** Renders everything a person reads from a run folder's raw files: summaries, plots, page. */
final class RunReport {

    private RunReport() { }

    /** Writes summary.md/.csv/.json, plots/*.png and index.html into the run folder; returns the table. */
    static ResultTable render(RunFolder folder) throws IOException {
        ResultTable table = ResultTable.of(folder);
        SummaryWriter.writeAll(table, folder.dir());
        List<PlotRenderer.Plot> plots = PlotRenderer.renderAll(folder, table);
        HtmlReport.write(folder, table, plots);
        return table;
    }
}
