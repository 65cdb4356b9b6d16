package echosuite.harness;

import echosuite.cli.UsageError;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Set;

/**
 * A scenario named on the command line by its id ({@link Scenario#id()}), run even when the profile
 * does not list it: {@code pingpong-c16-64B}, {@code rate-R5000-c16-64B}, {@code bulk-c4-64KiB},
 * {@code hold-c5000} (or {@code hold-c5000-64B}), {@code churn-c4}, and {@code churn-R10-c1}: churn
 * with at most 10 connections a second ({@code --connect-rate}), so that sessions come apart. The
 * message size may be left out (the profile's for that kind, else 64 bytes). Warm-up, duration and
 * repetitions are the profile's for that kind of scenario, else those of its first scenario.
 *
 * <p>Any id may end in {@code -cpusN}: the same load with the server on the first N of its CPUs
 * ({@code --server-cpus}), e.g. {@code pingpong-c64-64B-cpus2}. {@code scaling-c64-64B} (size
 * optional, as above) stands for the scaling steps: {@code pingpong-c64-64B} at 1, 2, 4 ... server
 * CPUs and at all of them ({@link #cpuSteps}), each its own scenario; no profile lists them.
 */
final class ScenarioId {

    private static final Pattern ID = Pattern.compile("(pingpong|rate|churn|hold|bulk)(?:-R(\\d{1,9}))?-c(\\d{1,7})(?:-(\\d{1,7})(B|KiB))?");
    /** loadgen's smallest message: its header and the newline. */
    static final int MIN_MESSAGE_BYTES = 24;
    private static final int DEFAULT_MESSAGE_BYTES = 64;
    private static final Pattern SCALING = Pattern.compile("scaling-c(\\d{1,7})(-\\d{1,7}(?:B|KiB))?");
    /** The end of a scaling step's id: {@code pingpong-c64-64B-cpus2}. */
    static final String CPUS_SUFFIX = "-cpus";
    private static final Pattern WITH_CPUS = Pattern.compile("(.+)" + CPUS_SUFFIX + "(\\d{1,4})");
    static final String SCALING_WORD = "scaling";
    private static final String EXAMPLES = "pingpong-c16-64B, rate-R5000-c16-64B, churn-c4, churn-R10-c1, hold-c5000, bulk-c4-64KiB, "
            + "pingpong-c64-64B-cpus2 or scaling-c64-64B";

    private ScenarioId() { }

    /**
     * The scenarios {@code --scenarios} names, in order, each once: a kind stands for the profile's
     * scenarios of that kind; an id for the profile's scenario of that id, else for the scenario it
     * describes ({@link #parse}); a scaling id for its steps on up to {@code serverCpus} CPUs, the
     * size of the server's CPU list (0: the server is not pinned, and no step can be run).
     */
    static List<Scenario> select(List<String> kindsOrIds, Profile profile, int serverCpus) {
        Set<Scenario> chosen = new LinkedHashSet<>();
        for (String token : kindsOrIds) {
            if (token.equals(SCALING_WORD)) throw new UsageError("name a scaling scenario by its id, e.g. scaling-c64-64B: pingpong at 64 "
                    + "connections with the server on 1, 2, 4 ... CPUs.");
            Matcher scaling = SCALING.matcher(token);
            if (scaling.matches()) {
                String load = "pingpong-c" + scaling.group(1) + (scaling.group(2) == null ? "" : scaling.group(2));
                Scenario base = ofProfile(parse(load, profile), profile);
                if (serverCpus == 0) throw notPinned(token);
                for (int n : cpuSteps(serverCpus)) chosen.add(base.onServerCpus(n));
                continue;
            }
            ScenarioKind kind = kindNamed(token);
            if (kind != null) {
                List<Scenario> ofKind = profile.scenarios().stream().filter(s -> s.kind() == kind).toList();
                if (ofKind.isEmpty()) throw new UsageError("profile " + profile.label() + " has no " + token
                        + " scenario; name one by its id, e.g. " + exampleOf(kind) + ".");
                chosen.addAll(ofKind);
            } else {
                Scenario parsed = parse(token, profile);
                if (parsed.serverCpus() > 0 && serverCpus == 0) throw notPinned(token);
                if (parsed.serverCpus() > serverCpus) throw new UsageError(String.format(Locale.ROOT,
                        "'%s' runs the server on %d CPUs, but it has %d (--server-cpus).", token, parsed.serverCpus(), serverCpus));
                chosen.add(ofProfile(parsed, profile));
            }
        }
        return List.copyOf(chosen);
    }

    /** The profile's scenario with the same load, placed as {@code s} is; else {@code s}. */
    private static Scenario ofProfile(Scenario s, Profile profile) {
        return profile.scenarios().stream().filter(p -> p.id().equals(s.loadId())).findFirst()
                .map(p -> p.onServerCpus(s.serverCpus())).orElse(s);
    }

    private static UsageError notPinned(String token) {
        return new UsageError("'" + token + "' places the server on some of its CPUs, but this run does not pin it "
                + "(--no-pin, one CPU or no taskset).");
    }

    /**
     * The server CPU counts a scaling scenario runs at, given {@code serverCpus} of them: 1, 2, 4 ...
     * below it, and {@code serverCpus} itself ({@code 6}: 1, 2, 4, 6; {@code 1}: 1).
     */
    static List<Integer> cpuSteps(int serverCpus) {
        List<Integer> steps = new ArrayList<>();
        for (int n = 1; n < serverCpus; n *= 2) steps.add(n);
        if (serverCpus > 0) steps.add(serverCpus);
        return steps;
    }

    /** The load's id and the server CPUs of a scaling step's id ({@code pingpong-c64-64B-cpus2}), or null for another id. */
    static Step step(String id) {
        Matcher m = WITH_CPUS.matcher(id);
        return m.matches() ? new Step(m.group(1), Integer.parseInt(m.group(2))) : null;
    }

    /** A scaling step named by its id: the load's id and the server's CPUs. */
    record Step(String loadId, int serverCpus) { }

    /** {@code s} with the warm-up, duration and repetitions given on the command line; null keeps the scenario's own. */
    static Scenario overridden(Scenario s, Integer warmupSeconds, Integer durationSeconds, Integer repetitions) {
        return s.seconds(warmupSeconds != null ? warmupSeconds : s.warmupSeconds(), durationSeconds != null ? durationSeconds : s.durationSeconds())
                .repeated(repetitions != null ? repetitions : s.repetitions());
    }

    private static ScenarioKind kindNamed(String label) {
        return Arrays.stream(ScenarioKind.values()).filter(k -> k.label().equals(label)).findFirst().orElse(null);
    }

    private static String exampleOf(ScenarioKind kind) {
        return switch (kind) {
            case RATE -> "rate-R5000-c16-64B";
            case HOLD -> "hold-c5000";
            case CHURN -> "churn-c4";
            case BULK -> "bulk-c4-64KiB";
            case PINGPONG -> "pingpong-c16-64B";
        };
    }

    /** The scenario {@code id} names, sized by {@code profile}; a {@link UsageError} in one sentence if it names none. */
    static Scenario parse(String id, Profile profile) {
        Matcher cpus = WITH_CPUS.matcher(id);
        if (cpus.matches()) {
            int n = Integer.parseInt(cpus.group(2));
            if (n < 1) throw new UsageError("'" + id + "' needs at least one server CPU (-cpus1 or more).");
            return parse(cpus.group(1), profile).onServerCpus(n);
        }
        Matcher m = ID.matcher(id);
        if (!m.matches()) throw new UsageError("'" + id + "' is neither a kind of scenario ("
                + String.join(", ", Arrays.stream(ScenarioKind.values()).map(ScenarioKind::label).toList())
                + ") nor a scenario id such as " + EXAMPLES + ".");
        ScenarioKind kind = kindNamed(m.group(1));
        int rate = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        int connections = Integer.parseInt(m.group(3));
        if (kind == ScenarioKind.RATE && rate == 0) throw new UsageError("'" + id + "' needs a rate above 0, messages per second, e.g. rate-R5000-c"
                + connections + (m.group(4) == null ? "" : "-" + m.group(4) + m.group(5)) + ".");
        if (m.group(2) != null && kind != ScenarioKind.RATE && kind != ScenarioKind.CHURN) throw new UsageError("'" + id
                + "' has an -R part, which only rate (messages per second) and churn (connections per second) take.");
        if (connections < 1) throw new UsageError("'" + id + "' needs at least one connection (-c1 or more).");
        List<Scenario> sameKind = profile.scenarios().stream().filter(s -> s.kind() == kind).toList();
        Scenario like = sameKind.isEmpty() ? profile.scenarios().getFirst() : sameKind.getFirst();
        int bytes = m.group(4) == null ? (sameKind.isEmpty() ? DEFAULT_MESSAGE_BYTES : like.messageBytes())
                : Integer.parseInt(m.group(4)) * (m.group(5).equals("KiB") ? 1024 : 1);
        if (bytes < MIN_MESSAGE_BYTES) throw new UsageError(String.format(Locale.ROOT,
                "'%s' has %d-byte messages; the load generator's messages are at least %d bytes.", id, bytes, MIN_MESSAGE_BYTES));
        return new Scenario(kind, connections, bytes, 0, 0, rate, 1).seconds(like.warmupSeconds(), like.durationSeconds())
                .repeated(like.repetitions());
    }
}
