package echosuite.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the load generator's {@code --json} file says about one scenario run, read tolerantly:
 * the keys the load generator promises ({@code scenario}, {@code connections}, {@code messageBytes},
 * {@code messages}, {@code messagesPerSecond}, {@code latencyUs}, {@code errors}) and the
 * scenario-specific extras it may add. A figure the file does not carry is {@code null} and shows
 * as an empty cell; nothing is made up.
 *
 * @param messagesPerSecond   measured messages per second (echoes received; rate: of messages intended
 *                            in the window), after the warm-up
 * @param mibPerSecond        MiB per second each way ({@code mibPerSecond}, else computed from
 *                            messages/s times message bytes)
 * @param latencyUs           p50, p90, p99, p99.9 and max latency in µs (coordinated-omission
 *                            corrected in the open-loop {@code rate} scenario)
 * @param serviceTimeUs       rate only: the uncorrected service-time percentiles, when given
 * @param connectionsPerSecond churn: sessions (connect, messages, close) per second
 * @param established         hold: connections established; {@code failed}: connections that failed
 * @param allFirstEchoMs      pingpong, rate, bulk: ms from the first connect to the last connection's
 *                            first echo; null when it never came, or the file predates the figure
 * @param errors              error counts by kind (mismatch, reset, timeout, refused, ...)
 * @param logVerified         the load generator's verdict on the server log ({@code --verify-log}), if any
 * @param logReport           its report on the log, in words, if any
 * @param messagesSent        every message sent, warm-up included (each is one record in the log)
 * @param messagesUnanswered  of those, the ones whose echo never came back (their connection
 *                            failed): the server's log may or may not hold them
 * @param unansweredInLatency of the latency samples, messages never answered, counted with the wait
 *                            they had reached when their connection was given up; null in older files
 * @param levels              hold: the levels of held connections in order (empty if none reported)
 */
record LoadResult(String scenario, Long connections, Long messageBytes, Long messages, Double messagesPerSecond,
                  Double mibPerSecond, Map<String, Double> latencyUs, Map<String, Double> serviceTimeUs,
                  Double connectionsPerSecond, Long established, Long failed, Double allFirstEchoMs, Map<String, Long> errors,
                  Boolean logVerified, String logReport, Long messagesSent, Long messagesUnanswered,
                  Long unansweredInLatency, List<Level> levels) {

    /**
     * One level of held connections as the load generator ran it (its JSON's {@code levels}).
     *
     * @param target       connections it asked for
     * @param held         connections established and still open at its end
     * @param fromEpochMs  when it began to be held, wall clock ms
     * @param toEpochMs    when it ended
     * @param reached      false if its hold was cut short (the window opened first): not settled
     */
    record Level(long target, long held, long fromEpochMs, long toEpochMs, boolean reached) { }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads a load generator JSON file. */
    static LoadResult read(Path file) throws IOException {
        return of(JSON.readTree(file.toFile()));
    }

    static LoadResult of(JsonNode j) {
        Long bytes = longOrNull(j, "messageBytes");
        Double mps = doubleOrNull(j, "messagesPerSecond");
        Double mib = doubleOrNull(j, "mibPerSecond");
        if (mib == null && mps != null && bytes != null) mib = mps * bytes / (1024.0 * 1024.0);
        Map<String, Long> errors = new LinkedHashMap<>();
        JsonNode e = j.path("errors");
        e.properties().forEach(en -> { if (en.getValue().isNumber()) errors.put(en.getKey(), en.getValue().asLong()); });
        Boolean verified = j.has("logVerified") && j.get("logVerified").isBoolean() ? j.get("logVerified").asBoolean() : null;
        return new LoadResult(j.path("scenario").asText(null), longOrNull(j, "connections"), bytes,
                longOrNull(j, "messages"), mps, mib, percentiles(j.path("latencyUs")), percentiles(j.path("serviceTimeUs")),
                doubleOrNull(j, "connectionsPerSecond"), longOrNull(j, "established"), longOrNull(j, "failed"),
                doubleOrNull(j, "allFirstEchoMs"), errors, verified, j.path("logReport").asText(null), longOrNull(j, "messagesSent"),
                longOrNull(j, "messagesUnanswered"), longOrNull(j, "unansweredInLatency"), levels(j.path("levels")));
    }

    /** Sum of all error counts. */
    long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** A latency percentile in µs ({@code p50}, {@code p90}, {@code p99}, {@code p999}, {@code max}) or null. */
    Double latency(String key) {
        return latencyUs.get(key);
    }

    private static List<Level> levels(JsonNode node) {
        List<Level> l = new ArrayList<>();
        for (JsonNode n : node) {
            l.add(new Level(n.path("target").asLong(), n.path("held").asLong(), n.path("fromEpochMs").asLong(),
                    n.path("toEpochMs").asLong(), n.path("reached").asBoolean(true)));
        }
        return l;
    }

    private static Map<String, Double> percentiles(JsonNode node) {
        Map<String, Double> m = new LinkedHashMap<>();
        node.properties().forEach(en -> { if (en.getValue().isNumber()) m.put(en.getKey(), en.getValue().asDouble()); });
        return m;
    }

    private static Double doubleOrNull(JsonNode j, String key) {
        JsonNode n = j.get(key);
        return n != null && n.isNumber() ? n.asDouble() : null;
    }

    private static Long longOrNull(JsonNode j, String key) {
        JsonNode n = j.get(key);
        return n != null && n.isNumber() ? n.asLong() : null;
    }
}
