package echosuite.harness;

import echosuite.report.LoadReport;
import echosuite.report.Percentiles;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Draws the run's plots as PNG files with XChart, from the raw files:
 * <ul>
 *   <li>per scenario, the latency percentile distribution with every server overlaid, x axis
 *       logarithmic in 1/(1 - percentile) like HdrHistogram's plotter, so 90 %, 99 %, 99.9 % are
 *       evenly spaced and the tail is visible (drawn as log10 of it on a linear axis, because XChart
 *       keeps custom tick labels only on linear axes); y axis logarithmic, so a 50 µs median and a
 *       50 ms tail are both readable;</li>
 *   <li>messages per second versus connections (the pingpong scenarios);</li>
 *   <li>messages per second versus server CPUs, one plot per scaling scenario (its steps,
 *       {@code pingpong-c64-64B-cpus1}, {@code -cpus2} ...; {@link ScenarioId});</li>
 *   <li>the marginal memory per connection in the hold scenario;</li>
 *   <li>connections per second in the churn scenario;</li>
 *   <li>the time to all first echoes (first connect to the last connection's first echo) in the
 *       scenarios that open their connections once: pingpong, rate, bulk.</li>
 * </ul>
 */
final class PlotRenderer {

    static final int WIDTH = 900, HEIGHT = 520;

    /** A plot written: its file (relative to the run folder) and a title for the page. */
    record Plot(String file, String title) { }

    private PlotRenderer() { }

    /**
     * One colour per model in every plot, so a reader learns it once: a Java server and its C twin
     * share it, the C server drawn dashed in line plots and as a lighter bar; variants get a shade
     * of their server's colour.
     */
    private static final Map<String, Color> COLORS = Map.ofEntries(
            Map.entry("threaded", new Color(0x1f77b4)), Map.entry("c-thread", new Color(0x1f77b4)),
            Map.entry("virtualthreads", new Color(0xff7f0e)),
            Map.entry("selector", new Color(0x9467bd)), Map.entry("c-select", new Color(0x9467bd)),
            Map.entry("selector-2", new Color(0x5b3a80)), Map.entry("c-epoll", new Color(0xd62728)),
            Map.entry("forking", new Color(0x2ca02c)), Map.entry("c-fork", new Color(0x2ca02c)),
            Map.entry("forking-spawn", new Color(0x17becf)), Map.entry("forking-prefork", new Color(0x1a6b1a)),
            Map.entry("forking-noaot", new Color(0xbcbd22)));

    private static Color color(String server) {
        return COLORS.getOrDefault(server, Color.DARK_GRAY);
    }

    /** A bar's colour: the server's, lighter for a C program, so that a model's twin bars stand side by side in one hue. */
    private static Color barColor(String server) {
        Color c = color(server);
        if (!ServerCatalog.isC(server)) return c;
        return new Color((c.getRed() + 2 * 255) / 3, (c.getGreen() + 2 * 255) / 3, (c.getBlue() + 2 * 255) / 3);
    }

    /** A line plot's series in the server's colour, dashed for a C program. */
    private static void style(XYSeries series, String server) {
        series.setLineColor(color(server));
        series.setMarkerColor(color(server));
        if (ServerCatalog.isC(server)) series.setLineStyle(SeriesLines.DASH_DASH);
    }

    /** Draws every plot the run's results allow; returns them in page order. */
    static List<Plot> renderAll(RunFolder folder, ResultTable table) throws IOException {
        Files.createDirectories(folder.plots());
        List<Plot> plots = new ArrayList<>();
        Plot p = throughputVersusConnections(folder, table);
        if (p != null) plots.add(p);
        for (Map.Entry<String, Map<String, List<double[]>>> e : scalingSeries(table).entrySet()) {
            plots.add(throughputVersusServerCpus(folder, e.getKey(), e.getValue()));
        }
        for (String id : table.scenarios()) {
            p = latencyDistribution(folder, table, id);
            if (p != null) plots.add(p);
        }
        p = bars(folder, table, Set.of(ScenarioKind.PINGPONG, ScenarioKind.RATE, ScenarioKind.BULK), "all-first-echoes",
                "Time from the first connect to the last connection's first echo (lower is better)", "ms",
                r -> r.connecting().allFirstEchoMs());
        if (p != null) plots.add(p);
        p = bars(folder, table, Set.of(ScenarioKind.HOLD), "hold-memory-per-connection",
                "Memory per held connection, marginal (PSS between two levels, lower is better)", "KiB per connection",
                r -> r.heldMemory().marginalMemoryPerConnectionBytes() == null ? null
                        : r.heldMemory().marginalMemoryPerConnectionBytes() / 1024.0);
        if (p != null) plots.add(p);
        p = bars(folder, table, Set.of(ScenarioKind.CHURN), "churn-connections-per-second", "Connections per second in churn (higher is better)",
                "connections/s", r -> r.connecting().connectionsPerSecond());
        if (p != null) plots.add(p);
        return plots;
    }

    private static Plot latencyDistribution(RunFolder folder, ResultTable table, String scenarioId) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Latency by percentile: " + scenarioId).xAxisTitle("percentile").yAxisTitle("latency (µs)").build();
        chart.getStyler().setYAxisLogarithmic(true).setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(PlotRenderer::percentileLabel);
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        boolean any = false;
        Map<String, Histogram> byServer = new LinkedHashMap<>();
        Map<String, Double> p50 = new LinkedHashMap<>();
        for (String server : ServerCatalog.pairedWithTwins(table.info().servers())) byServer.put(server, new Histogram(3));   // the tables' order
        for (Measurement m : folder.measurements()) {
            if (!m.scenario().id().equals(scenarioId) || m.outcome() != Measurement.Outcome.OK) continue;
            Histogram h = byServer.computeIfAbsent(m.server(), s -> new Histogram(3));
            for (Path hlog : folder.hlogs(m.server(), Measurement.stem(m.scenario(), m.repetition()))) LatencyHistograms.addLog(hlog, h);
            LoadReport r = folder.loadResult(m);
            Percentiles latency = r == null ? null : r.latency().latencyUs();
            if (latency != null && latency.p50() != null) p50.putIfAbsent(m.server(), latency.p50());
        }
        for (Map.Entry<String, Histogram> e : byServer.entrySet()) {
            Histogram h = e.getValue();
            if (h.getTotalCount() == 0) continue;
            double perMicro = LatencyHistograms.unitsPerMicro(h, p50.get(e.getKey()));
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
            for (HistogramIterationValue v : h.percentiles(5)) {
                double pct = v.getPercentileLevelIteratedTo();
                if (pct >= 100.0) break;
                xs.add(Math.log10(100.0 / (100.0 - pct)));
                ys.add(Math.max(1.0, h.highestEquivalentValue(v.getValueIteratedTo()) / perMicro));
            }
            if (xs.size() < 2) continue;
            XYSeries series = chart.addSeries(e.getKey(), xs, ys);
            series.setMarker(SeriesMarkers.NONE);
            style(series, e.getKey());
            any = true;
        }
        if (!any) return null;
        return save(folder, chart, "latency-" + scenarioId, "Latency distribution, " + scenarioId);
    }

    private static Plot throughputVersusConnections(RunFolder folder, ResultTable table) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Messages per second versus connections (pingpong, closed loop)")
                .xAxisTitle("connections").yAxisTitle("messages/s").build();
        // log10(connections) on a linear axis, labelled back in connections (see the latency plot).
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(x -> String.format(Locale.ROOT, "%,.0f", Math.pow(10, x)));
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        Map<String, List<ResultRow>> byServer = new LinkedHashMap<>();
        for (ResultRow r : table.rows()) {
            if (r.kind() == ScenarioKind.PINGPONG && r.load().messagesPerSecond() != null && r.load().connections() != null
                    && ScenarioId.step(r.scenario()) == null) {   // a scaling step is drawn against its CPUs instead
                byServer.computeIfAbsent(r.server(), s -> new ArrayList<>()).add(r);
            }
        }
        boolean any = false;
        for (Map.Entry<String, List<ResultRow>> e : byServer.entrySet()) {
            List<ResultRow> rows = new ArrayList<>(e.getValue());
            rows.sort((a, b) -> Long.compare(a.load().connections(), b.load().connections()));
            if (rows.size() < 2) continue;
            XYSeries series = chart.addSeries(e.getKey(), rows.stream().map(r -> Math.log10(r.load().connections())).toList(),
                    rows.stream().map(r -> r.load().messagesPerSecond()).toList());
            style(series, e.getKey());
            any = true;
        }
        return any ? save(folder, chart, "throughput-vs-connections", "Messages per second versus connections") : null;
    }

    /**
     * The scaling steps' figures: per load ({@code pingpong-c64-64B}), per server (in the tables'
     * order), the points (server CPUs, msgs/s) by CPUs. Steps without a figure (failed) are left out;
     * a server with none is too.
     */
    static Map<String, Map<String, List<double[]>>> scalingSeries(ResultTable table) {
        Map<String, Map<String, List<double[]>>> out = new LinkedHashMap<>();
        for (String id : table.scenarios()) {
            ScenarioId.Step step = ScenarioId.step(id);
            if (step == null) continue;
            for (ResultRow r : table.rowsOf(id)) {
                if (r.kind() != ScenarioKind.PINGPONG || !r.hasFigures()) continue;
                out.computeIfAbsent(step.loadId(), k -> new LinkedHashMap<>()).computeIfAbsent(r.server(), k -> new ArrayList<>())
                        .add(new double[] {step.serverCpus(), r.load().messagesPerSecond()});
            }
        }
        out.values().forEach(byServer -> byServer.values().forEach(points -> points.sort((a, b) -> Double.compare(a[0], b[0]))));
        return out;
    }

    /** Messages per second versus the server's CPUs, one line per server; one CPU count alone is drawn as a point. */
    private static Plot throughputVersusServerCpus(RunFolder folder, String loadId, Map<String, List<double[]>> byServer) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Messages per second versus server CPUs (" + loadId + ")")
                .xAxisTitle("server CPUs").yAxisTitle("messages/s").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(x -> Math.abs(x - Math.rint(x)) < 1e-6 ? String.format(Locale.ROOT, "%.0f", x) : "");
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        chart.getStyler().setYAxisMin(0.0);
        for (Map.Entry<String, List<double[]>> e : byServer.entrySet()) {
            XYSeries series = chart.addSeries(e.getKey(), e.getValue().stream().map(p -> p[0]).toList(),
                    e.getValue().stream().map(p -> p[1]).toList());
            series.setMarker(SeriesMarkers.CIRCLE);
            style(series, e.getKey());
        }
        return save(folder, chart, "scaling-" + loadId, "Messages per second versus server CPUs, " + loadId);
    }

    private static Plot bars(RunFolder folder, ResultTable table, Set<ScenarioKind> kinds, String file, String title, String yTitle,
                             java.util.function.Function<ResultRow, Double> value) throws IOException {
        List<String> scenarios = table.scenarios().stream()
                .filter(id -> kinds.contains(table.rowsOf(id).getFirst().kind())).toList();
        if (scenarios.isEmpty()) return null;
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("scenario").yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisDecimalPattern("#,##0.#");
        Map<String, List<Double>> byServer = new LinkedHashMap<>();
        for (String id : scenarios) {
            for (ResultRow r : table.rowsOf(id)) byServer.computeIfAbsent(r.server(), s -> new ArrayList<>());
        }
        boolean any = false;
        for (String id : scenarios) {
            for (Map.Entry<String, List<Double>> e : byServer.entrySet()) {
                Double v = table.rowsOf(id).stream().filter(r -> r.server().equals(e.getKey())).findFirst()
                        .map(value).orElse(null);
                e.getValue().add(v);                              // null: no bar (missing is not 0)
                any |= v != null;
            }
        }
        if (!any) return null;
        for (Map.Entry<String, List<Double>> e : byServer.entrySet()) {
            // A server without a figure in any of these scenarios (not built, failed) gets no bar or legend entry.
            if (e.getValue().stream().allMatch(java.util.Objects::isNull)) continue;
            chart.addSeries(e.getKey(), scenarios, e.getValue()).setFillColor(barColor(e.getKey()));
        }
        return save(folder, chart, file, title);
    }

    /**
     * The label of an x tick: x is log10(1/(1-p)), so whole x are the "nines": 0 → 0%, 1 → 90%,
     * 2 → 99%, 3 → 99.9%. Ticks between them stay unlabelled.
     */
    static String percentileLabel(double x) {
        long nines = Math.round(x);
        if (Math.abs(x - nines) > 1e-6 || nines < 0) return "";
        if (nines == 0) return "0%";
        if (nines == 1) return "90%";
        return "99" + (nines > 2 ? "." + "9".repeat((int) nines - 2) : "") + "%";
    }

    private static Plot save(RunFolder folder, Chart<?, ?> chart, String name, String title) throws IOException {
        Path file = folder.plots().resolve(name + ".png");
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return new Plot(folder.dir().relativize(file).toString(), title);
    }
}
