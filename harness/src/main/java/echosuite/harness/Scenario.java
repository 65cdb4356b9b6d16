package echosuite.harness;

import java.util.ArrayList;
import java.util.List;

/**
 * One load the harness puts on every server: a load generator scenario with its parameters.
 *
 * @param kind             the load generator's scenario: pingpong, rate, churn, hold or bulk
 * @param connections      {@code -c}: connections (pingpong, rate, bulk), concurrent connect loops
 *                         (churn) or idle connections held (hold)
 * @param messageBytes     {@code -s}: bytes per message, newline included
 * @param warmupSeconds    {@code --warmup}: load before measuring, not counted
 * @param durationSeconds  {@code -d}: measured seconds
 * @param rate             rate: {@code -R}, total messages per second; churn: {@code --connect-rate},
 *                         most connections per second (0: no limit); 0 otherwise
 * @param repetitions      how many times the scenario runs, each on a fresh server process; the
 *                         table shows the median and the spread
 */
record Scenario(String kind, int connections, int messageBytes, int warmupSeconds, int durationSeconds,
                int rate, int repetitions) {

    static final List<String> KINDS = List.of("pingpong", "rate", "churn", "hold", "bulk");
    /** hold: how long each of its two levels of held connections is held before the measured window ({@code --level-hold}). */
    static final int LEVEL_HOLD_SECONDS = 2;

    Scenario {
        if (!KINDS.contains(kind)) throw new IllegalArgumentException("unknown scenario kind " + kind);
    }

    /** A stable name for files and table rows, e.g. {@code pingpong-c16-64B}, {@code rate-R5000-c16-64B}. */
    String id() {
        String size = messageBytes % 1024 == 0 ? messageBytes / 1024 + "KiB" : messageBytes + "B";
        return switch (kind) {
            case "rate" -> "rate-R" + rate + "-c" + connections + "-" + size;
            case "hold" -> "hold-c" + connections;
            case "churn" -> rate > 0 ? "churn-R" + rate + "-c" + connections : "churn-c" + connections;
            default -> kind + "-c" + connections + "-" + size;
        };
    }

    /** The load generator's arguments for this scenario, without outputs and target. */
    List<String> loadgenArguments() {
        List<String> a = new ArrayList<>(List.of(kind, "-c", Integer.toString(connections), "-s",
                Integer.toString(messageBytes), "-d", Integer.toString(durationSeconds),
                "--warmup", Integer.toString(warmupSeconds)));
        if (kind.equals("rate")) a.addAll(List.of("-R", Integer.toString(rate)));
        if (kind.equals("churn") && rate > 0) a.addAll(List.of("--connect-rate", Integer.toString(rate)));
        if (kind.equals("hold")) a.addAll(List.of("--level-hold", Integer.toString(LEVEL_HOLD_SECONDS)));
        return a;
    }

    /** Seconds of load one repetition puts on a server (warm-up plus measurement; hold: and its two levels). */
    int loadSeconds() {
        return warmupSeconds + durationSeconds + (kind.equals("hold") ? 2 * LEVEL_HOLD_SECONDS : 0);
    }
}
