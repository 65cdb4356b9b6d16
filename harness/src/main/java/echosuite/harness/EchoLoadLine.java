package echosuite.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
 * @param mode        pingpong or churn
 * @param connections {@code conns}: connections (churn: concurrent connect loops)
 * @param messageBytes {@code size}
 * @param seconds     the measured window, warm-up excluded
 * @param messages    {@code msgs}: round trips completed in the window
 * @param rate        messages per second (churn: connections per second) in the window
 * @param latencyUs   p50, p90, p99, p999 and max, µs
 * @param sentTotal   every message sent, warm-up and drain included: the records the server must log
 * @param errors      connections or messages that failed
 */
record EchoLoadLine(String mode, long connections, long messageBytes, double seconds, long messages, double rate,
                    Map<String, Double> latencyUs, long sentTotal, long errors) {

    /** What the load generator's result carries and echo_load does not: left empty in the tables. */
    static final List<String> NOT_REPORTED = List.of("latency histograms (hlog, hgrm)", "p99.99", "mean latency",
            "messages left unanswered", "first-echo times (allFirstEchoMs; churn: connect and first-echo latency apart)",
            "error kinds", "a record of what was sent (so the log is checked by its record count only)");

    private static final List<String> KEYS = List.of("mode", "conns", "size", "secs", "msgs", "rate", "p50_us", "p90_us",
            "p99_us", "p999_us", "max_us", "sent_total", "errors");
    private static final ObjectMapper JSON = new ObjectMapper();

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
            Map<String, Double> lat = new LinkedHashMap<>();
            for (String p : List.of("p50", "p90", "p99", "p999", "max")) lat.put(p, Double.parseDouble(f.get(p + "_us")));
            return new EchoLoadLine(f.get("mode"), Long.parseLong(f.get("conns")), Long.parseLong(f.get("size")),
                    Double.parseDouble(f.get("secs")), Long.parseLong(f.get("msgs")), Double.parseDouble(f.get("rate")),
                    lat, Long.parseLong(f.get("sent_total")), Long.parseLong(f.get("errors")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("an echo_load result line with a number that is not one (" + e.getMessage() + "): " + line);
        }
    }

    /**
     * The result in the load generator's JSON form ({@code docs/loadgen.md}), so that tables, plots
     * and {@code ./suite report} read it like any other; what echo_load does not report is absent
     * (an empty cell) and named under {@code notReported}.
     */
    ObjectNode toLoadgenJson() {
        ObjectNode j = JSON.createObjectNode();
        j.put("client", "echo_load");
        j.put("scenario", mode);
        j.put("connections", connections);
        j.put("messageBytes", messageBytes);
        j.put("windowSeconds", seconds);
        j.put("messages", messages);
        j.put("messagesPerSecond", rate);
        if (mode.equals("churn")) {
            j.put("sessions", messages);
            j.put("connectionsPerSecond", rate);
        }
        ObjectNode lat = j.putObject("latencyUs");
        latencyUs.forEach(lat::put);
        j.putObject("errors").put("echo_load", errors);
        j.put("messagesSent", sentTotal);
        j.putArray("notReported").addAll(NOT_REPORTED.stream().map(JSON.getNodeFactory()::textNode).toList());
        return j;
    }
}
