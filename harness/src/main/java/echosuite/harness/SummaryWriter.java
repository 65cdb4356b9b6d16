package echosuite.harness;

import echosuite.report.Units;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link ResultTable} as {@code summary.md} (for people, one table per scenario),
 * {@code summary.csv} (one line per row, every field, plain numbers in base units) and
 * {@code summary.json} (run, machine and rows), and renders the console version of the tables.
 */
final class SummaryWriter {

    private SummaryWriter() { }

    static void writeAll(ResultTable t, Path dir) throws IOException {
        Files.writeString(dir.resolve("summary.md"), markdown(t));
        Files.writeString(dir.resolve("summary.csv"), csv(t));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("run", t.info());
        json.put("machine", t.machine());
        json.put("baseline", t.baseline());
        json.put("rows", t.rows());
        RunFolder.JSON.writeValue(dir.resolve("summary.json").toFile(), json);
    }

    /** The lines about the machine and the run, shared by the Markdown and the page. */
    static List<String> runFacts(ResultTable t) {
        Machine m = t.machine();
        RunInfo i = t.info();
        List<String> f = new ArrayList<>();
        f.add("Date: " + m.date() + "; profile " + i.profile() + "; run took " + ProgressDisplay.clock(i.durationSeconds()));
        f.add("Machine: " + m.cores() + " CPUs (" + m.cpuModel() + "), " + Units.bytes(m.memoryBytes()) + " memory, Linux " + m.kernel());
        f.add("JDK: " + m.jdk() + (m.jvmFlags().isBlank() ? ", default JVM flags" : ", JVM flags " + m.jvmFlags()));
        f.add("Pinning: " + m.pinning() + (i.scenarios().stream().anyMatch(sc -> sc.serverCpus() > 0)
                ? "; a scenario ending in -cpusN ran the server on the first N of its CPUs" : ""));
        f.add("Commit: " + m.gitCommit());
        // A long class path says nothing to a reader; the command's shape does.
        f.add("Load generator: " + i.loadgen().replaceAll("-cp \\S{120,}", "-cp (class path)"));
        if (i.load() != null) f.add("Load: " + i.load());
        f.add("Baseline for the ratios: " + (t.baseline() == null ? "none (no server has results)" : t.baseline())
                + (t.baseline() != null && !t.baseline().equals(i.baseline()) ? " (" + i.baseline() + " has no results)" : ""));
        if (!i.notBuilt().isEmpty()) f.add("Not built, skipped: " + String.join(", ", i.notBuilt()));
        return f;
    }

    static String markdown(ResultTable t) {
        StringBuilder s = new StringBuilder("# echosuite results\n\n");
        for (String f : runFacts(t)) s.append("- ").append(f).append('\n');
        s.append("\nLatencies to about three significant digits (ns, µs, ms, s); \"vs baseline\" divides each row's headline figure by the baseline server's in the same scenario, "
                + "\"vs C twin\" by its model's C server's (" + TWIN_PAIRS + ").\n");
        s.append(glanceMarkdown(Verdict.of(t)));
        for (String id : t.scenarios()) {
            List<ResultRow> rows = t.rowsOf(id);
            Scenario sc = scenario(t, id);
            s.append("\n## ").append(id).append("\n\n");
            if (sc != null) s.append(SummaryColumns.caption(sc)).append(' ');
            s.append("Headline: ").append(ResultTable.headlineName(rows.getFirst().kind())).append(".\n\n");
            List<SummaryColumns.Column> cols = SummaryColumns.of(rows.getFirst().kind());
            s.append('|');
            cols.forEach(c -> s.append(' ').append(c.heading()).append(" |"));
            s.append("\n|");
            cols.forEach(c -> s.append(c.kind().leftAligned() ? "---|" : "---:|"));
            s.append('\n');
            for (ResultRow r : rows) {
                s.append('|');
                cols.forEach(c -> s.append(' ').append(c.cell().apply(r).replace("|", "\\|")).append(" |"));
                s.append('\n');
            }
            String note = SummaryColumns.lowerBoundNote(rows);
            if (note != null) s.append('\n').append(note).append('\n');
            for (ResultRow r : rows) {
                if (r.status().equals("not built")) continue;     // said once, in the run's facts
                for (String p : r.remarks()) s.append("\n- ").append(r.server()).append(": ").append(p.replace("\n", " "));
            }
            if (rows.stream().anyMatch(r -> !r.status().equals("not built") && !r.remarks().isEmpty())) s.append('\n');
        }
        return s.toString();
    }

    /** Which C server each Java model is divided by in the "vs C twin" column ({@link ServerSpec#cTwin}). */
    static final String TWIN_PAIRS = ServerCatalog.JAVA.stream().map(s -> s + ": " + ServerCatalog.cTwinOf(s))
            .collect(java.util.stream.Collectors.joining("; ")) + "; a variant: its server's";

    /** The headings of the at-a-glance table: the scenario, its headline, the winner, its margin, one column per twinned server. */
    static List<String> glanceHeadings(List<String> twinned) {
        List<String> h = new ArrayList<>(List.of("scenario", "headline", "winner", "ahead of the next model by"));
        twinned.forEach(server -> h.add(server + " ÷ " + ServerCatalog.cTwinOf(server)));
        return h;
    }

    /** A verdict's cells under {@link #glanceHeadings}. */
    static List<String> glanceCells(Verdict v, List<String> twinned) {
        List<String> c = new ArrayList<>(List.of(v.scenario(), ResultTable.headlineShort(v.kind()), v.winnerCell(), v.marginCell()));
        twinned.forEach(server -> c.add(v.twinCell(server)));
        return c;
    }

    /** The run at a glance ({@link Verdict}) as a Markdown table. */
    static String glanceMarkdown(List<Verdict> verdicts) {
        if (verdicts.isEmpty()) return "";
        List<String> twinned = Verdict.twinned(verdicts);
        StringBuilder s = new StringBuilder("\n## At a glance\n\n");
        s.append("The best server of each scenario, how far ahead it is of the best server of another model (a Java server and its C twin are one model), ")
         .append("and each server's headline figure divided by its C twin's (↑: higher is better, ↓: lower is better).\n\n|");
        glanceHeadings(twinned).forEach(h -> s.append(' ').append(h).append(" |"));
        s.append("\n|").append("---|".repeat(4)).append("---:|".repeat(twinned.size())).append('\n');
        for (Verdict v : verdicts) {
            s.append('|');
            glanceCells(v, twinned).forEach(c -> s.append(' ').append(c.replace("|", "\\|")).append(" |"));
            s.append('\n');
        }
        return s.toString();
    }

    /** The tables as aligned text for the console, then the run at a glance, a sentence per scenario. */
    static String console(ResultTable t) {
        StringBuilder s = new StringBuilder();
        for (String id : t.scenarios()) {
            List<ResultRow> rows = t.rowsOf(id);
            List<SummaryColumns.Column> cols = SummaryColumns.of(rows.getFirst().kind());
            List<String[]> cells = new ArrayList<>();
            cells.add(cols.stream().map(SummaryColumns.Column::heading).toArray(String[]::new));
            for (ResultRow r : rows) cells.add(cols.stream().map(c -> c.cell().apply(r)).toArray(String[]::new));
            int[] width = new int[cols.size()];
            for (String[] line : cells) for (int i = 0; i < line.length; i++) width[i] = Math.max(width[i], line[i].length());
            s.append('\n').append(id).append("  (headline: ").append(ResultTable.headlineName(rows.getFirst().kind())).append(")\n");
            for (String[] line : cells) {
                s.append("  ");
                for (int i = 0; i < line.length; i++) {
                    // The console keeps the log verdict right-aligned with the figures; only the labels lead.
                    SummaryColumns.Kind kind = cols.get(i).kind();
                    String fmt = kind == SummaryColumns.Kind.NAME || kind == SummaryColumns.Kind.STATUS
                            ? "%-" + width[i] + "s  " : "%" + width[i] + "s  ";
                    s.append(String.format(Locale.ROOT, fmt, line[i]));
                }
                s.setLength(s.length() - 2);
                s.append('\n');
            }
            String note = SummaryColumns.lowerBoundNote(rows);
            if (note != null) s.append("  ").append(note).append('\n');
        }
        List<Verdict> verdicts = Verdict.of(t);
        List<String> twinned = Verdict.twinned(verdicts);
        if (!verdicts.isEmpty()) s.append("\nAt a glance:\n");
        verdicts.forEach(v -> s.append("  ").append(v.sentence(twinned)).append('\n'));
        return s.toString();
    }

    /** Every field of every row, the groups' fields in their place; numbers in base units (bytes, µs, per second), empty when null. */
    static String csv(ResultTable t) {
        List<Field> fields = fields(ResultRow.class, List.of());
        StringBuilder s = new StringBuilder();
        s.append(String.join(",", fields.stream().map(Field::name).toList())).append('\n');
        for (ResultRow r : t.rows()) {
            s.append(String.join(",", fields.stream().map(f -> csvCell(f.of(r))).toList())).append('\n');
        }
        return s.toString();
    }

    /** A column of the CSV: a component of the row, or of one of its groups (a record in it). */
    private record Field(List<RecordComponent> path) {
        String name() {
            return path.getLast().getName();
        }

        Object of(ResultRow row) {
            Object v = row;
            for (RecordComponent c : path) {
                if (v == null) return null;
                try {
                    v = c.getAccessor().invoke(v);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return v;
        }
    }

    private static List<Field> fields(Class<?> type, List<RecordComponent> prefix) {
        List<Field> out = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            List<RecordComponent> path = new ArrayList<>(prefix);
            path.add(c);
            if (c.getType().isRecord()) out.addAll(fields(c.getType(), path));
            else out.add(new Field(List.copyOf(path)));
        }
        return out;
    }

    private static String csvCell(Object v) {
        if (v == null) return "";
        if (v instanceof List<?> l) v = String.join("; ", l.stream().map(Object::toString).toList());
        if (v instanceof Double d) v = String.format(Locale.ROOT, "%.3f", d);
        String s = v.toString();
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) s = "\"" + s.replace("\"", "\"\"") + "\"";
        return s;
    }

    static Scenario scenario(ResultTable t, String id) {
        return t.info().scenarios().stream().filter(s -> s.id().equals(id)).findFirst().orElse(null);
    }
}
