package echosuite.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns a JMH result file ({@code -rf json}) into a Markdown page: one table per benchmark
 * class, one row per benchmark and parameter set, plus a row for each secondary score (such as
 * {@code RecordFramerThroughput}'s bytes per second). Every figure comes from the file.
 *
 * <p>Usage: {@code java -cp benchmarks.jar echosuite.bench.JmhResultTable RESULT.json TABLE.md
 * [COMMAND...]}; the optional command words are quoted on the page as the command that
 * produced the results. Bad usage or a file that is not a JMH result: one sentence, status 2.
 */
public final class JmhResultTable {

    private JmhResultTable() { }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: JmhResultTable RESULT.json TABLE.md [COMMAND...]: reads JMH's JSON results and writes a Markdown table.");
            System.exit(2);
        }
        Path json = Path.of(args[0]);
        Path table = Path.of(args[1]);
        String command = String.join(" ", List.of(args).subList(2, args.length));
        String page;
        try {
            page = render(Files.readString(json), json.getFileName().toString(), command);
        } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
            System.err.println("JmhResultTable: " + json + " is not a JMH JSON result file (" + e.getMessage() + ").");
            System.exit(2);
            return;
        }
        Files.writeString(table, page);
    }

    /**
     * Renders the Markdown page for the JSON text of a JMH result file.
     *
     * @param source  the result file's name, quoted on the page
     * @param command the command that produced it, or empty
     * @throws IllegalArgumentException if {@code jsonText} is not JSON
     */
    public static String render(String jsonText, String source, String command) {
        List<?> results = (List<?>) Json.parse(jsonText);
        StringBuilder page = new StringBuilder("# JMH results\n\n");
        if (results.isEmpty()) {
            return page.append("`").append(source).append("` holds no results (no benchmark ran to completion).\n").toString();
        }
        Map<?, ?> first = (Map<?, ?>) results.getFirst();
        page.append("From `").append(source).append("`: JMH ").append(first.get("jmhVersion"))
                .append(", ").append(first.get("vmName")).append(' ').append(first.get("vmVersion"))
                .append(", JVM options ").append(jvmArgs(first)).append(".\n");
        if (!command.isBlank()) page.append("Command: `").append(command.strip()).append("`.\n");
        page.append("\nScore ± error is JMH's 99.9 % confidence interval (n/a: too few samples for one). ")
                .append("Times per operation (…/op): lower is better; rates (…/s): higher is better. ")
                .append("Samples = forks × measurement iterations.\n");

        Map<String, List<Map<?, ?>>> byClass = new LinkedHashMap<>();
        for (Object o : results) {
            Map<?, ?> result = (Map<?, ?>) o;
            byClass.computeIfAbsent(className((String) result.get("benchmark")), k -> new ArrayList<>()).add(result);
        }
        byClass.forEach((className, rows) -> {
            page.append("\n## ").append(className).append("\n\n")
                .append("| Benchmark | Parameters | Mode | Threads | Samples | Score | ± | Unit |\n")
                .append("|---|---|---|--:|--:|--:|--:|---|\n");
            for (Map<?, ?> result : rows) {
                String method = methodName((String) result.get("benchmark"));
                String params = params(result);
                String mode = mode((String) result.get("mode"));
                String threads = integer(result.get("threads"));
                Map<?, ?> primary = (Map<?, ?>) result.get("primaryMetric");
                row(page, method, params, mode, threads, primary, (String) primary.get("scoreUnit"));
                Object secondary = result.get("secondaryMetrics");
                if (secondary instanceof Map<?, ?> metrics) {
                    metrics.forEach((name, metric) -> row(page, method + " · " + name, params, mode, threads,
                            (Map<?, ?>) metric, secondaryUnit(String.valueOf(name), (Map<?, ?>) metric)));
                }
            }
        });
        return page.toString();
    }

    private static void row(StringBuilder page, String name, String params, String mode, String threads,
                            Map<?, ?> metric, String unit) {
        page.append("| ").append(name)
            .append(" | ").append(params)
            .append(" | ").append(mode)
            .append(" | ").append(threads)
            .append(" | ").append(samples(metric.get("rawData")))
            .append(" | ").append(number(metric.get("score")))
            .append(" | ").append(number(metric.get("scoreError")))
            .append(" | ").append(unit)
            .append(" |\n");
    }

    /**
     * JMH gives an {@code @AuxCounters} counter the unit of operations ({@code ops/s}) although
     * it counts something else; naming the counter instead ({@code bytes/s}) says what it is.
     */
    private static String secondaryUnit(String name, Map<?, ?> metric) {
        String unit = String.valueOf(metric.get("scoreUnit"));
        return unit.startsWith("ops/") ? name + unit.substring("ops".length()) : unit;
    }

    private static String className(String benchmark) {
        String owner = benchmark.substring(0, benchmark.lastIndexOf('.'));
        return owner.substring(owner.lastIndexOf('.') + 1);
    }

    private static String methodName(String benchmark) {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    private static String params(Map<?, ?> result) {
        if (!(result.get("params") instanceof Map<?, ?> params) || params.isEmpty()) return "";
        return params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    private static String jvmArgs(Map<?, ?> result) {
        List<?> args = result.get("jvmArgs") instanceof List<?> l ? l : List.of();
        return args.isEmpty() ? "none" : "`" + args.stream().map(String::valueOf).collect(Collectors.joining(" ")) + "`";
    }

    private static String mode(String mode) {
        return switch (mode) {
            case "thrpt" -> "throughput";
            case "avgt" -> "average time";
            case "ss" -> "single shot";
            case "sample" -> "sampled time";
            default -> mode;
        };
    }

    /** Number of measured values: JMH's rawData is one list per fork. */
    private static String samples(Object rawData) {
        if (!(rawData instanceof List<?> forks)) return "";
        int n = 0;
        for (Object fork : forks) n += ((List<?>) fork).size();
        return Integer.toString(n);
    }

    private static String integer(Object value) {
        return value instanceof Double d ? Long.toString(d.longValue()) : String.valueOf(value);
    }

    /** About three significant figures, thousands grouped; JMH writes "NaN" (a string) when there is no error bar. */
    static String number(Object value) {
        if (!(value instanceof Double d) || d.isNaN() || d.isInfinite()) return "n/a";
        double a = Math.abs(d);
        if (a >= 100) return String.format(Locale.ROOT, "%,.0f", d);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", d);
        if (a >= 1) return String.format(Locale.ROOT, "%.2f", d);
        if (a == 0) return "0";
        return String.format(Locale.ROOT, "%.3g", d);
    }
}
