package echosuite.harness;

import echosuite.report.LoadReport;
import echosuite.report.Percentiles;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one result line of the anchors' C client {@code echo_load}, e.g.
 * {@code mode=pingpong conns=16 size=64 threads=1 secs=10.0 msgs=1466374 rate=146637 p50_us=95.0
 * p90_us=170.5 p99_us=219.6 p999_us=312.3 max_us=4242.0 sent_total=1604699 errors=0}
 * (../shared/anchors/README.md): closed loop ({@code pingpong}) or churn, where {@code rate} is
 * connections per second and the latency is connect plus one echo.
 *
 * @param mode         pingpong or churn
 * @param connections  {@code conns}: connections (churn: concurrent connect loops)
 * @param messageBytes {@code size}
 * @param threads      its load threads
 * @param seconds      the measured window, warm-up excluded
 * @param messages     {@code msgs}: round trips completed in the window
 * @param rate         messages per second (churn: connections per second) in the window
 * @param latencyUs    p50, p90, p99, p999 and max, µs; no count, mean or p99.99
 * @param sentTotal    every message sent, warm-up and drain included: the records the server must log
 * @param errors       connections or messages that failed
 */
record EchoLoadLine(String mode, long connections, long messageBytes, int threads, double seconds, long messages, double rate,
                    Percentiles latencyUs, long sentTotal, long errors) {

    /** What the load generator's report carries and echo_load does not: absent from the report, empty in the tables. */
    static final List<String> NOT_REPORTED = List.of("latency histograms (hlog, hgrm)", "latency count, mean and p99.99",
            "messages left unanswered", "first-echo times (allFirstEchoMs; churn: connect and first-echo latency apart)",
            "error kinds", "a record of what was sent (so the log is checked by its record count only)");

    private static final List<String> KEYS = List.of("mode", "conns", "size", "threads", "secs", "msgs", "rate", "p50_us", "p90_us",
            "p99_us", "p999_us", "max_us", "sent_total", "errors");

    /** Reads one line; an {@link IllegalArgumentException} saying what is wrong with it if it is not echo_load's. */
    static EchoLoadLine parse(String line) {
        Map<String, String> f = new LinkedHashMap<>();
        for (String word : line.strip().split("\\s+")) {
            int eq = word.indexOf('=');
            if (eq > 0) f.put(word.substring(0, eq), word.substring(eq + 1));
        }
        List<String> missing = KEYS.stream().filter(k -> !f.containsKey(k)).toList();
        if (!missing.isEmpty()) throw new IllegalArgumentException("not an echo_load result line (it lacks " + String.join(", ", missing) + "): " + line);
        try {
            Percentiles lat = new Percentiles(null, null, number(f, "p50_us"), number(f, "p90_us"), number(f, "p99_us"),
                    number(f, "p999_us"), null, number(f, "max_us"));
            return new EchoLoadLine(f.get("mode"), Long.parseLong(f.get("conns")), Long.parseLong(f.get("size")),
                    Integer.parseInt(f.get("threads")), number(f, "secs"), Long.parseLong(f.get("msgs")), number(f, "rate"),
                    lat, Long.parseLong(f.get("sent_total")), Long.parseLong(f.get("errors")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("an echo_load result line with a number that is not one (" + e.getMessage() + "): " + line);
        }
    }

    /**
     * The result as the load generator's report, so that tables, plots and {@code ./suite report}
     * read it like any other: what echo_load does not report stays null (an empty cell); its
     * options name the client and what it does not report ({@link #NOT_REPORTED}).
     *
     * @param logCheck the verdict on the server's log, or null if it was not checked
     */
    LoadReport toReport(String target, LoadReport.LogCheck logCheck) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("client", "echo_load");
        options.put("threads", (long) threads);
        options.put("notReported", NOT_REPORTED);
        LoadReport r = new LoadReport(
                new LoadReport.Setup(mode, target, connections, null, null, messageBytes, threads, seconds, null, null),
                null, new LoadReport.Throughput(messages, rate, null, null, null),
                new LoadReport.Traffic(sentTotal, null, null, null), new LoadReport.Latency(latencyUs, null, null),
                new LoadReport.Errors(Map.of("echo_load", errors), null), new LoadReport.Memory(null, null), null, logCheck, null, options,
                null, null, null, null, null);
        return mode.equals("churn") ? r.with(new LoadReport.Churn(1, messages, rate, null, null, null, null)) : r;
    }

    private static double number(Map<String, String> f, String key) {
        return Double.parseDouble(f.get(key));
    }
}
