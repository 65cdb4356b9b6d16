package echosuite.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/**
 * Writes {@code index.html}: one page, readable offline and by someone who never saw the suite,
 * with what was compared, on what machine, the tables and the plots. The plots are embedded as
 * base64 {@code data:} URIs, so the page is a single file that needs no network and no folder.
 */
final class HtmlReport {

    private HtmlReport() { }

    static void write(RunFolder folder, ResultTable t, List<PlotRenderer.Plot> plots) throws IOException {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
         .append("<title>echosuite results ").append(esc(t.machine().date())).append("</title>\n<style>\n")
         .append("body{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}\n")
         .append("table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:14px}\n")
         .append("th,td{border:1px solid #ccc;padding:3px 8px;white-space:nowrap}td{text-align:right}td.l{text-align:left}\n")
         .append("th{background:#f0f0f0}tr.base td{background:#fff8dc}.bad{color:#b00;font-weight:bold}\n")
         .append("img{max-width:100%;border:1px solid #ddd;margin:.5em 0}.facts li{margin:.2em 0}\n")
         .append("</style></head><body>\n")
         .append("<h1>echosuite: four concurrency models under the same load</h1>\n")
         .append("<p>Four TCP echo servers that also log every message to a file speak one protocol, each built on a different ")
         .append("concurrency model: <b>threaded</b> (a platform thread per client), <b>virtualthreads</b> (a virtual thread per client), ")
         .append("<b>selector</b> (one thread multiplexing all connections with a <code>java.nio</code> Selector) and <b>forking</b> ")
         .append("(a child process per client, as in the C <code>fork()</code> servers). One load generator puts the same scenarios on each; ")
         .append("every server process is started fresh for every scenario, sampled every 250 ms from <code>/proc</code>, ")
         .append("stopped with SIGTERM, and its log file is checked against what was sent.</p>\n");
        h.append("<h2>This run</h2>\n<ul class=\"facts\">\n");
        for (String f : SummaryWriter.runFacts(t)) h.append("<li>").append(esc(f)).append("</li>\n");
        h.append("</ul>\n");
        h.append("<h2>How to read the tables</h2>\n<ul>\n")
         .append("<li><b>msgs/s</b>: echoes received per second during the measured seconds (warm-up excluded); in <b>rate</b>, ")
         .append("of the messages scheduled in those seconds (by when they <i>should</i> have been sent), however late their echo. ")
         .append("<b>spread</b>: half the range of the headline figure over the repetitions, relative to the median.</li>\n")
         .append("<li><b>p50 … max</b>: latency from sending a message to receiving its whole echo. In <b>rate</b> it counts from the ")
         .append("moment the message <i>should</i> have been sent (coordinated omission corrected); <b>service p99</b> is the uncorrected figure. ")
         .append("A message whose connection timed out or failed before its echo came counts with the wait it had reached: ")
         .append("then <b>≥</b> marks p99, p99.9 and max as lower bounds.</li>\n")
         .append("<li><b>CPU/msg</b>: CPU time (user + system) of the server's whole process tree from the start to the end of the load, divided by the messages it echoed in that time (its own count, from its summary line; warm-up included on both sides).</li>\n")
         .append("<li><b>peak RSS / PSS</b>: the most memory the server's process tree held. RSS counts shared pages once per process ")
         .append("(it overstates a tree of processes); PSS splits shared pages fairly. <b>mem/conn</b> (hold) = (PSS with all connections held − PSS with half held) / the connections added: ")
         .append("what one more connection costs; <b>mem/conn incl. one-time</b> = (peak PSS − idle PSS) / held connections.</li>\n")
         .append("<li><b>threads, procs, fds</b>: peaks over the server's process tree. <b>errors</b>: load generator errors (mismatch, reset, timeout…). ")
         .append("<b>log</b>: whether the server's log held every message exactly once, in order, untorn.</li>\n")
         .append("<li><b>vs baseline</b>: the scenario's headline figure divided by the baseline server's (highlighted row). ")
         .append("Above 1 is better for msgs/s and conns/s, worse for latency and memory.</li>\n</ul>\n");
        for (String id : t.scenarios()) {
            List<ResultRow> rows = t.rowsOf(id);
            Scenario sc = SummaryWriter.scenario(t, id);
            h.append("<h2 id=\"").append(esc(id)).append("\">").append(esc(id)).append("</h2>\n<p>");
            if (sc != null) h.append(esc(SummaryColumns.caption(sc))).append(' ');
            h.append("Headline: ").append(esc(ResultTable.headlineName(rows.getFirst().kind()))).append(".</p>\n");
            List<SummaryColumns.Column> cols = SummaryColumns.of(rows.getFirst().kind());
            h.append("<table class=\"results\" data-scenario=\"").append(esc(id)).append("\">\n<tr>");
            cols.forEach(c -> h.append("<th>").append(esc(c.heading())).append("</th>"));
            h.append("</tr>\n");
            for (ResultRow r : rows) {
                h.append(r.server().equals(t.baseline()) ? "<tr class=\"base\">" : "<tr>");
                for (SummaryColumns.Column c : cols) {
                    String v = c.cell().apply(r);
                    boolean left = c.heading().equals("server") || c.heading().equals("status") || c.heading().equals("log");
                    boolean bad = (c.heading().equals("status") && !v.equals("ok")) || v.equals("NOT verified");
                    h.append("<td class=\"").append(left ? "l" : "").append(bad ? " bad" : "").append("\">").append(esc(v)).append("</td>");
                }
                h.append("</tr>\n");
            }
            h.append("</table>\n");
            String note = SummaryColumns.lowerBoundNote(rows);
            if (note != null) h.append("<p class=\"note\">").append(esc(note)).append("</p>\n");
            StringBuilder problems = new StringBuilder();
            for (ResultRow r : rows) {
                if (r.status().equals("not built")) continue;     // said once, in the run's facts
                for (String p : r.remarks()) problems.append("<li>").append(esc(r.server())).append(": ").append(esc(p)).append("</li>\n");
            }
            if (!problems.isEmpty()) h.append("<ul class=\"problems\">\n").append(problems).append("</ul>\n");
        }
        if (!plots.isEmpty()) {
            h.append("<h2>Plots</h2>\n");
            for (PlotRenderer.Plot p : plots) {
                byte[] png = Files.readAllBytes(folder.dir().resolve(p.file()));
                h.append("<h3>").append(esc(p.title())).append("</h3>\n<img alt=\"").append(esc(p.title()))
                 .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png)).append("\">\n");
            }
        }
        h.append("<h2>Files</h2>\n<p><code>summary.csv</code> and <code>summary.json</code> hold every figure for programs; ")
         .append("<code>raw/SERVER/</code> holds per repetition the load generator's JSON, HdrHistogram interval log (<code>.hlog</code>) ")
         .append("and percentile distribution (<code>.hgrm</code>), the <code>/proc</code> samples (<code>resources.csv</code>) and both ")
         .append("processes' output. <code>./suite report DIR</code> redraws this page from them; <code>./suite compare A B</code> compares two runs.</p>\n")
         .append("</body></html>\n");
        Files.writeString(folder.dir().resolve("index.html"), h);
    }

    static String esc(String s) {
        if (s == null) return "";
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
