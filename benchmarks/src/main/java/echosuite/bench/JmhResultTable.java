package echosuite.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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

    private static final ObjectMapper JSON = new ObjectMapper();

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
        } catch (IllegalArgumentException e) {
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
     * @throws IllegalArgumentException if {@code jsonText} is not JSON, or not a list of JMH results
     */
    public static String render(String jsonText, String source, String command) {
        JsonNode results = parse(jsonText);
        StringBuilder page = new StringBuilder("# JMH results\n\n");
        if (results.isEmpty()) {
            return page.append("`").append(source).append("` holds no results (no benchmark ran to completion).\n").toString();
        }
        JsonNode first = results.get(0);
        page.append("From `").append(source).append("`: JMH ").append(first.path("jmhVersion").asText())
                .append(", ").append(first.path("vmName").asText()).append(' ').append(first.path("vmVersion").asText())
                .append(", JVM options ").append(jvmArgs(first)).append(".\n");
        if (!command.isBlank()) page.append("Command: `").append(command.strip()).append("`.\n");
        page.append("\nScore ± error is JMH's 99.9 % confidence interval (n/a: too few samples for one). ")
                .append("Times per operation (…/op): lower is better; rates (…/s): higher is better. ")
                .append("Samples = forks × measurement iterations.\n");

        Map<String, List<JsonNode>> byClass = new LinkedHashMap<>();
        for (JsonNode result : results) {
            byClass.computeIfAbsent(className(benchmark(result)), k -> new ArrayList<>()).add(result);
        }
        byClass.forEach((className, rows) -> {
            page.append("\n## ").append(className).append("\n\n")
                .append("| Benchmark | Parameters | Mode | Threads | Samples | Score | ± | Unit |\n")
                .append("|---|---|---|--:|--:|--:|--:|---|\n");
            for (JsonNode result : rows) {
                String method = methodName(benchmark(result));
                String params = params(result);
                String mode = mode(result.path("mode").asText());
                String threads = result.path("threads").asText();
                JsonNode primary = result.path("primaryMetric");
                row(page, method, params, mode, threads, primary, primary.path("scoreUnit").asText());
                result.path("secondaryMetrics").properties().forEach(metric -> row(page, method + " · " + metric.getKey(),
                        params, mode, threads, metric.getValue(), secondaryUnit(metric.getKey(), metric.getValue())));
            }
        });
        return page.toString();
    }

    /** The results array of a JMH result file; one sentence on what is wrong otherwise. */
    private static JsonNode parse(String jsonText) {
        JsonNode results;
        try {
            results = JSON.readTree(jsonText);
        } catch (JsonProcessingException e) {
            long offset = e.getLocation() == null ? -1 : e.getLocation().getCharOffset();
            throw new IllegalArgumentException("not JSON at offset " + offset + ": " + e.getOriginalMessage(), e);
        }
        if (results == null || !results.isArray()) {
            throw new IllegalArgumentException("not a list of results (JMH writes a JSON array)");
        }
        return results;
    }

    /** The result's benchmark name ({@code package.Class.method}), which every JMH result has. */
    private static String benchmark(JsonNode result) {
        String benchmark = result.path("benchmark").asText("");
        if (benchmark.lastIndexOf('.') < 1) {
            throw new IllegalArgumentException("not a JMH result: " + result + " names no benchmark method");
        }
        return benchmark;
    }

    private static void row(StringBuilder page, String name, String params, String mode, String threads,
                            JsonNode metric, String unit) {
        page.append("| ").append(name)
            .append(" | ").append(params)
            .append(" | ").append(mode)
            .append(" | ").append(threads)
            .append(" | ").append(samples(metric.path("rawData")))
            .append(" | ").append(number(metric.path("score")))
            .append(" | ").append(number(metric.path("scoreError")))
            .append(" | ").append(unit)
            .append(" |\n");
    }

    /**
     * JMH gives an {@code @AuxCounters} counter the unit of operations ({@code ops/s}) although
     * it counts something else; naming the counter instead ({@code bytes/s}) says what it is.
     */
    private static String secondaryUnit(String name, JsonNode metric) {
        String unit = metric.path("scoreUnit").asText();
        return unit.startsWith("ops/") ? name + unit.substring("ops".length()) : unit;
    }

    private static String className(String benchmark) {
        String owner = benchmark.substring(0, benchmark.lastIndexOf('.'));
        return owner.substring(owner.lastIndexOf('.') + 1);
    }

    private static String methodName(String benchmark) {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    private static String params(JsonNode result) {
        return result.path("params").properties().stream()
                .map(e -> e.getKey() + "=" + e.getValue().asText()).collect(Collectors.joining(", "));
    }

    private static String jvmArgs(JsonNode result) {
        List<String> args = new ArrayList<>();
        result.path("jvmArgs").forEach(arg -> args.add(arg.asText()));
        return args.isEmpty() ? "none" : "`" + String.join(" ", args) + "`";
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
    private static String samples(JsonNode rawData) {
        if (!rawData.isArray()) return "";
        int n = 0;
        for (JsonNode fork : rawData) n += fork.size();
        return Integer.toString(n);
    }

    /** JMH writes "NaN" (a string) when there is no error bar. */
    private static String number(JsonNode value) {
        return value.isNumber() ? number(value.asDouble()) : "n/a";
    }

    /** About three significant figures, thousands grouped. */
    static String number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) return "n/a";
        double a = Math.abs(d);
        if (a >= 100) return String.format(Locale.ROOT, "%,.0f", d);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", d);
        if (a >= 1) return String.format(Locale.ROOT, "%.2f", d);
        if (a == 0) return "0";
        return String.format(Locale.ROOT, "%.3g", d);
    }
}
