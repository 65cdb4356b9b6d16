package echosuite.harness;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.List;

/**
 * One load the harness puts on every server: a load generator scenario with its parameters. Built
 * by kind ({@link #pingpong}, {@link #rate}, {@link #churn}, {@link #hold}, {@link #bulk}), then
 * timed ({@link #seconds}) and repeated ({@link #repeated}).
 *
 * @param kind             the load generator's scenario
 * @param connections      {@code -c}: connections (pingpong, rate, bulk), concurrent connect loops
 *                         (churn) or idle connections held (hold)
 * @param messageBytes     {@code -s}: bytes per message, newline included
 * @param warmupSeconds    {@code --warmup}: load before measuring, not counted
 * @param durationSeconds  {@code -d}: measured seconds
 * @param rate             rate: {@code -R}, total messages per second; churn: {@code --connect-rate},
 *                         most connections per second (0: no limit); 0 otherwise
 * @param repetitions      how many times the scenario runs, each on a fresh server process; the
 *                         table shows the median and the spread
 * @param serverCpus       a scaling step ({@link ScenarioId}, {@code pingpong-c64-64B-cpus2}): the server
 *                         runs on the first this many of its CPUs ({@code --server-cpus}); 0, the
 *                         usual, for all of them (left out of the JSON files then, as before it existed)
 */
record Scenario(ScenarioKind kind, int connections, int messageBytes, int warmupSeconds, int durationSeconds,
                int rate, int repetitions, @JsonInclude(JsonInclude.Include.NON_DEFAULT) int serverCpus) {

    /** A scenario on all of the server's CPUs. */
    Scenario(ScenarioKind kind, int connections, int messageBytes, int warmupSeconds, int durationSeconds, int rate, int repetitions) {
        this(kind, connections, messageBytes, warmupSeconds, durationSeconds, rate, repetitions, 0);
    }

    /** hold: how long each of its two levels of held connections is held before the measured window ({@code --level-hold}). */
    static final int LEVEL_HOLD_SECONDS = 2;
    /** The message size of the scenarios that do not choose one (churn, hold): a short line. */
    private static final int SHORT_MESSAGE = 64;

    static Scenario pingpong(int connections, int messageBytes) {
        return new Scenario(ScenarioKind.PINGPONG, connections, messageBytes, 0, 0, 0, 1);
    }

    static Scenario rate(int messagesPerSecond, int connections, int messageBytes) {
        return new Scenario(ScenarioKind.RATE, connections, messageBytes, 0, 0, messagesPerSecond, 1);
    }

    static Scenario churn(int loops) {
        return new Scenario(ScenarioKind.CHURN, loops, SHORT_MESSAGE, 0, 0, 0, 1);
    }

    static Scenario hold(int connections) {
        return new Scenario(ScenarioKind.HOLD, connections, SHORT_MESSAGE, 0, 0, 0, 1);
    }

    static Scenario bulk(int connections, int messageBytes) {
        return new Scenario(ScenarioKind.BULK, connections, messageBytes, 0, 0, 0, 1);
    }

    /** This scenario with {@code warmup} seconds of warm-up and {@code measured} seconds measured. */
    Scenario seconds(int warmup, int measured) {
        return new Scenario(kind, connections, messageBytes, warmup, measured, rate, repetitions, serverCpus);
    }

    /** This scenario run {@code times} times. */
    Scenario repeated(int times) {
        return new Scenario(kind, connections, messageBytes, warmupSeconds, durationSeconds, rate, times, serverCpus);
    }

    /** This scenario with the server on the first {@code cpus} of its CPUs (a scaling step); 0: on all of them. */
    Scenario onServerCpus(int cpus) {
        return new Scenario(kind, connections, messageBytes, warmupSeconds, durationSeconds, rate, repetitions, cpus);
    }

    /**
     * A stable name for files and table rows, e.g. {@code pingpong-c16-64B}, {@code rate-R5000-c16-64B};
     * a scaling step ends in {@code -cpusN}: {@code pingpong-c64-64B-cpus2}.
     */
    String id() {
        return serverCpus == 0 ? loadId() : loadId() + ScenarioId.CPUS_SUFFIX + serverCpus;
    }

    /** The id of its load alone, without the {@code -cpusN} of a scaling step. */
    String loadId() {
        String size = messageBytes % 1024 == 0 ? messageBytes / 1024 + "KiB" : messageBytes + "B";
        return switch (kind) {
            case RATE -> "rate-R" + rate + "-c" + connections + "-" + size;
            case HOLD -> "hold-c" + connections;
            case CHURN -> rate > 0 ? "churn-R" + rate + "-c" + connections : "churn-c" + connections;
            case PINGPONG, BULK -> kind + "-c" + connections + "-" + size;
        };
    }

    /** The load generator's arguments for this scenario, without outputs and target. */
    List<String> loadgenArguments() {
        List<String> a = new ArrayList<>(List.of(kind.label(), "-c", Integer.toString(connections), "-s",
                Integer.toString(messageBytes), "-d", Integer.toString(durationSeconds),
                "--warmup", Integer.toString(warmupSeconds)));
        if (kind == ScenarioKind.RATE) a.addAll(List.of("-R", Integer.toString(rate)));
        if (kind == ScenarioKind.CHURN && rate > 0) a.addAll(List.of("--connect-rate", Integer.toString(rate)));
        if (kind == ScenarioKind.HOLD) a.addAll(List.of("--level-hold", Integer.toString(LEVEL_HOLD_SECONDS)));
        return a;
    }

    /** Seconds of load one repetition puts on a server (warm-up plus measurement; hold: and its two levels). */
    int loadSeconds() {
        return warmupSeconds + durationSeconds + (kind == ScenarioKind.HOLD ? 2 * LEVEL_HOLD_SECONDS : 0);
    }
}
