package echosuite.conformance;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Renders the {@code ./suite chaos} table from a run of the reliability tests: one row per
 * scenario (the test's name, which states the expected outcome), one column per server, each cell
 * {@code held}, {@code held, degraded: how}, {@code FAILED: why} or {@code not run: why}, with the
 * figures the test published ({@link Figures}). Only a test that ran and passed is held: one that
 * was aborted or disabled, or that left no result, is not run.
 *
 * <p>Usage: {@code ChaosReport SUREFIRE_REPORTS_DIR FIGURES_FILE OUT_MARKDOWN}
 */
public final class ChaosReport {

    private static final Pattern CASE = Pattern.compile("(\\w+)\\(ServerUnderTest(?:, ?TestInfo)?\\)\\[\\d+\\]");
    /** The forking server's own fault tests (its module's, not the kit's): one server, no parameter. */
    private static final Pattern FORKING_CASE = Pattern.compile("(\\w+)(?:\\(\\))?");
    private static final String FORKING_REPORTS = "TEST-echosuite\\.forking\\.(FaultIsolationTest|ProcessModelTest)\\.xml";
    private static final String KIT_REPORTS = "TEST-echosuite\\.conformance\\.(.*ReliabilityTest|BackpressureConformanceTest"
            + "|LimitsConformanceTest|FileDescriptorExhaustionConformanceTest|EchoConformanceTest|IdleTimeoutConformanceTest"
            + "|LogStorageFaultConformanceTest)\\.xml";

    record Outcome(String verdict, String detail) { }

    private static final String NOT_RUN = "not run";
    private static final Outcome NO_RESULT = new Outcome(NOT_RUN, "no result in the test reports (did the test JVM end early?)");

    /** The table, and how many of its cells failed and how many did not run. */
    record Table(String markdown, int failed, int notRun) { }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: ChaosReport SUREFIRE_REPORTS_DIR FIGURES_FILE OUT_MARKDOWN");
            System.exit(2);
        }
        Table table = render(Path.of(args[0]), Path.of(args[1]), ServerUnderTest.selected().toList());
        Files.writeString(Path.of(args[2]), table.markdown(), StandardCharsets.UTF_8);
        System.out.print(table.markdown());
        System.out.println(summary(table));
    }

    /** The table of the reports in {@code reports}, whose kit cases ran against {@code selected} in that order. */
    static Table render(Path reports, Path figuresFile, List<ServerUnderTest> selected) throws Exception {
        Map<String, Map<String, Outcome>> outcomes = new LinkedHashMap<>();   // scenario -> server -> outcome
        Set<String> servers = new LinkedHashSet<>();
        Set<String> kitScenarios = new LinkedHashSet<>();
        boolean forkingSelected = selected.stream().anyMatch(s -> s.name.equals("forking"));
        List<Path> files;
        try (Stream<Path> s = Files.list(reports)) {
            files = s.filter(p -> p.getFileName().toString().matches(KIT_REPORTS)
                            || (p.getFileName().toString().matches(FORKING_REPORTS) && forkingSelected))
                    .sorted().toList();
        }
        for (Path file : files) readReport(file, selected, outcomes, servers, kitScenarios);
        Map<String, Map<String, Map<String, String>>> figures = readFigures(figuresFile);

        StringBuilder md = new StringBuilder("| scenario (expected outcome) |");
        servers.forEach(s -> md.append(' ').append(s).append(" |"));
        md.append("\n| --- |");
        servers.forEach(s -> md.append(" --- |"));
        md.append('\n');
        int failed = 0;
        int notRun = 0;
        for (var row : outcomes.entrySet()) {
            md.append("| ").append(words(row.getKey())).append(" |");
            for (String server : servers) {
                Outcome o = row.getValue().get(server);
                if (o == null && kitScenarios.contains(row.getKey())) o = NO_RESULT;   // the kit runs each scenario on every server
                Map<String, String> f = figures.getOrDefault(row.getKey(), Map.of()).getOrDefault(server, Map.of());
                md.append(' ').append(cell(o, f)).append(" |");
                if (o != null && o.verdict.equals("FAILED")) failed++;
                if (o != null && o.verdict.equals(NOT_RUN)) notRun++;
            }
            md.append('\n');
        }
        return new Table(md.toString(), failed, notRun);
    }

    /** The closing line: a cell that did not run is never counted as held. */
    static String summary(Table t) {
        String notRun = t.notRun() == 0 ? "" : t.notRun() + " cell(s) not run (why in the table)";
        if (t.failed() > 0) return "\n" + t.failed() + " scenario(s) FAILED (details in the table)" + (notRun.isEmpty() ? "." : "; " + notRun + ".");
        return notRun.isEmpty() ? "\nEvery scenario held on every server." : "\nEvery scenario that ran held; " + notRun + ".";
    }

    private static void readReport(Path file, List<ServerUnderTest> selected, Map<String, Map<String, Outcome>> outcomes,
                                   Set<String> servers, Set<String> kitScenarios) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        NodeList cases = doc.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element tc = (Element) cases.item(i);
            Matcher m = CASE.matcher(tc.getAttribute("name"));
            String server;
            if (m.matches()) {
                server = serverOf(tc, selected);
                kitScenarios.add(m.group(1));
            } else if (tc.getAttribute("classname").startsWith("echosuite.forking.")
                    && (m = FORKING_CASE.matcher(tc.getAttribute("name"))).matches()) {
                // The prefork tests run the prefork mode; the others, a process per connection.
                server = (m.group(1).toLowerCase(java.util.Locale.ROOT).contains("prefork")
                        ? ServerUnderTest.FORKING_PREFORK : ServerUnderTest.FORKING).toString();
            } else {
                continue;                                                // not a per-server scenario
            }
            if (server == null) continue;
            servers.add(server);
            Outcome outcome = new Outcome("held", "");
            Element failure = first(tc, "failure", "error");
            Element skipped = first(tc, "skipped");
            if (failure != null) outcome = new Outcome("FAILED", firstLine(failure.getAttribute("message")));
            else if (skipped != null) outcome = new Outcome(NOT_RUN, whySkipped(skipped));
            outcomes.computeIfAbsent(m.group(1), k -> new LinkedHashMap<>()).put(server, outcome);
        }
    }

    /** The invocation index in the case's name ("...[3]") is the place of its server in the selected servers. */
    private static String serverOf(Element tc, List<ServerUnderTest> selected) {
        String name = tc.getAttribute("name");
        int index = Integer.parseInt(name.substring(name.lastIndexOf('[') + 1, name.lastIndexOf(']')));
        return index >= 1 && index <= selected.size() ? selected.get(index - 1).toString() : null;
    }

    /**
     * The reason a test gave for not running. Surefire keeps it in the {@code message} attribute
     * for a disabled test, but for an aborted one (a failed assumption) only as the first line of
     * the element's stack trace, after the exception's class name.
     */
    private static String whySkipped(Element skipped) {
        String why = skipped.getAttribute("message").strip();
        if (why.isEmpty()) {
            why = skipped.getTextContent().strip().lines().findFirst().orElse("");
            String type = skipped.getAttribute("type");
            if (!type.isEmpty() && why.startsWith(type)) why = why.substring(type.length()).replaceFirst("^:\\s*", "");
        }
        why = firstLine(why);
        return why.isEmpty() ? "the test report gives no reason" : why;
    }

    private static Element first(Element parent, String... tags) {
        for (String tag : tags) {
            NodeList n = parent.getElementsByTagName(tag);
            if (n.getLength() > 0) return (Element) n.item(0);
        }
        return null;
    }

    private static Map<String, Map<String, Map<String, String>>> readFigures(Path file) throws IOException {
        Map<String, Map<String, Map<String, String>>> out = new LinkedHashMap<>();
        if (!Files.exists(file)) return out;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", 4);
            if (f.length == 4) out.computeIfAbsent(f[0], k -> new LinkedHashMap<>())
                    .computeIfAbsent(f[1], k -> new LinkedHashMap<>()).put(f[2], f[3]);
        }
        return out;
    }

    private static String cell(Outcome o, Map<String, String> figures) {
        if (o == null) return "-";
        StringBuilder s = new StringBuilder(o.verdict);
        String degraded = figures.get(Figures.DEGRADED);
        if (o.verdict.equals("held") && degraded != null && !degraded.isBlank()) s.append(", degraded: ").append(degraded);
        if (!o.detail.isBlank()) s.append(": ").append(o.detail);
        List<String> shown = new ArrayList<>();
        figures.forEach((k, v) -> { if (!k.equals(Figures.DEGRADED)) shown.add(k + " " + v); });
        if (!shown.isEmpty()) s.append(" (").append(String.join(", ", shown)).append(')');
        return s.toString().replace("|", "/");
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        String line = s.strip().lines().findFirst().orElse("");
        return line.length() > 160 ? line.substring(0, 157) + "..." : line;
    }

    /** camelCase test name to words: "aClientThatResets..." -> "a client that resets ...". */
    static String words(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1 $2")
                .replaceAll("([A-Z])([A-Z][a-z])", "$1 $2")
                .replaceAll("([a-zA-Z])([0-9])", "$1 $2")
                .toLowerCase(java.util.Locale.ROOT);
    }
}
