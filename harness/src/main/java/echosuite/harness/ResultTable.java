package echosuite.harness;

import echosuite.report.LoadReport;
import echosuite.report.Percentiles;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The results of a run as rows (server x scenario), computed from the run folder's raw files.
 *
 * <p>Each scenario kind has one <em>headline</em> figure, the one the ratio column and
 * {@code ./suite compare} use: messages per second for pingpong and bulk (higher is better), p99
 * latency for rate (every server gets the same rate, so latency is what differs; lower is
 * better), connections per second for churn (higher), the marginal memory per connection for hold
 * (lower; {@link MemoryPerConnection}).
 * With repetitions, a row shows the repetition with the median headline figure, and the spread
 * of the headline figure over all repetitions.
 *
 * @param baseline the server the ratios compare against: the one asked for if it has results,
 *                 else the first server with results (null if none has)
 */
record ResultTable(RunInfo info, Machine machine, String baseline, List<ResultRow> rows) {

    /** Reads a run folder and computes its rows. */
    static ResultTable of(RunFolder folder) throws IOException {
        RunInfo info = folder.runInfo();
        Machine machine = folder.machine();
        Map<String, List<Measurement>> groups = new LinkedHashMap<>();
        List<Measurement> all = folder.measurements();
        for (String server : serverOrder(info, all)) {
            for (String scenario : scenarioOrder(info, all)) {
                List<Measurement> g = all.stream()
                        .filter(m -> m.server().equals(server) && m.scenario().id().equals(scenario)).toList();
                if (!g.isEmpty()) groups.put(server + "\n" + scenario, g);
            }
        }
        List<ResultRow> rows = new ArrayList<>();
        for (List<Measurement> g : groups.values()) rows.add(row(folder, g));
        String baseline = chooseBaseline(info.baseline(), rows);
        List<ResultRow> withRatios = new ArrayList<>();
        for (ResultRow r : rows) {
            String twin = ServerCatalog.cTwinOf(r.server());
            withRatios.add(r.withRatios(ratio(r, find(rows, baseline, r.scenario())), twin, ratio(r, find(rows, twin, r.scenario()))));
        }
        return new ResultTable(info, machine, baseline, withRatios);
    }

    /** The row of {@code server} in {@code scenario}, or null. */
    private static ResultRow find(List<ResultRow> rows, String server, String scenario) {
        if (server == null) return null;
        return rows.stream().filter(b -> b.server().equals(server) && b.scenario().equals(scenario)).findFirst().orElse(null);
    }

    /**
     * Headline of {@code r} / headline of {@code to}, or null when either has no figure to compare
     * ({@link ResultRow#hasFigures}: a row over its server's limit has none) or a figure is not
     * above 0: a marginal mem/conn can be 0 or negative (memory fell between the two levels, the
     * noise of a few connections), and a ratio of such figures would read as a comparison it is not.
     */
    static Double ratio(ResultRow r, ResultRow to) {
        if (to == null || !r.hasFigures() || !to.hasFigures()) return null;
        double h = headline(r), ht = headline(to);
        return h > 0 && ht > 0 ? h / ht : null;
    }

    /** The scenario ids in run order. */
    List<String> scenarios() {
        Set<String> ids = new LinkedHashSet<>();
        rows.forEach(r -> ids.add(r.scenario()));
        return List.copyOf(ids);
    }

    List<ResultRow> rowsOf(String scenario) {
        return rows.stream().filter(r -> r.scenario().equals(scenario)).toList();
    }

    /** The headline figure of a row (see the class comment), or null if it has none. */
    static Double headline(ResultRow r) {
        return switch (r.kind()) {
            case RATE -> r.latency().p99Us();
            case CHURN -> r.connecting().connectionsPerSecond();
            case HOLD -> r.heldMemory().marginalMemoryPerConnectionBytes() == null ? null
                    : r.heldMemory().marginalMemoryPerConnectionBytes().doubleValue();
            case PINGPONG, BULK -> r.load().messagesPerSecond();
        };
    }

    /** What the headline figure of a kind is, in words, and whether higher is better. */
    static String headlineName(ScenarioKind kind) {
        return switch (kind) {
            case RATE -> "p99 latency (lower is better)";
            case CHURN -> "connections/s (higher is better)";
            case HOLD -> "memory per connection, marginal (lower is better)";
            case PINGPONG, BULK -> "messages/s (higher is better)";
        };
    }

    /** The headline figure in a few characters, its better direction as an arrow: {@code msgs/s ↑}, {@code p99 ↓}. */
    static String headlineShort(ScenarioKind kind) {
        return switch (kind) {
            case RATE -> "p99 ↓";
            case CHURN -> "conns/s ↑";
            case HOLD -> "mem/conn ↓";
            case PINGPONG, BULK -> "msgs/s ↑";
        };
    }

    static boolean higherIsBetter(ScenarioKind kind) {
        return kind != ScenarioKind.RATE && kind != ScenarioKind.HOLD;
    }

    private static String chooseBaseline(String wanted, List<ResultRow> rows) {
        if (rows.stream().anyMatch(r -> r.server().equals(wanted) && r.hasFigures())) return wanted;
        return rows.stream().filter(ResultRow::hasFigures).map(ResultRow::server).findFirst().orElse(null);
    }

    private static List<String> serverOrder(RunInfo info, List<Measurement> all) {
        Set<String> order = new LinkedHashSet<>(info.servers());
        all.forEach(m -> order.add(m.server()));
        return ServerCatalog.pairedWithTwins(List.copyOf(order));
    }

    private static List<String> scenarioOrder(RunInfo info, List<Measurement> all) {
        Set<String> order = new LinkedHashSet<>();
        info.scenarios().forEach(s -> order.add(s.id()));
        all.forEach(m -> order.add(m.scenario().id()));
        return List.copyOf(order);
    }

    /** One row from the repetitions of one server under one scenario. */
    private static ResultRow row(RunFolder folder, List<Measurement> reps) {
        Measurement first = reps.getFirst();
        Scenario sc = first.scenario();
        List<String> problems = new ArrayList<>();
        reps.forEach(m -> m.problems().forEach(p -> problems.add((reps.size() > 1 ? "run " + m.repetition() + ": " : "") + p)));
        Boolean verified = null;
        for (Measurement m : reps) {
            if (m.logVerified() == null) continue;
            verified = verified == null ? m.logVerified() : verified && m.logVerified();
        }
        long errors = 0;
        boolean anyResult = false;
        List<ResultRow> candidates = new ArrayList<>();
        for (Measurement m : reps) {
            LoadReport r = folder.loadResult(m);
            anyResult |= r != null;
            if (r != null) errors += r.errorCount();
            if (m.outcome() == Measurement.Outcome.OK && r != null) candidates.add(single(sc, m, r));
        }
        ResultRow.Checks checks = new ResultRow.Checks(anyResult ? errors : null, verified);
        if (candidates.isEmpty()) {
            return new ResultRow(first.server(), sc.id(), sc.kind(), status(reps), 0,
                    new ResultRow.Load((long) sc.connections(), (long) sc.messageBytes(), null, null, null),
                    ResultRow.Latency.NONE, ResultRow.Connecting.NONE, ResultRow.Resources.NONE, ResultRow.HeldMemory.NONE,
                    ResultRow.TreePeaks.NONE, checks, null, problems, null, null, null);
        }
        List<ResultRow> withHeadline = candidates.stream().filter(c -> headline(c) != null)
                .sorted(Comparator.comparingDouble(ResultTable::headline)).toList();
        ResultRow median = withHeadline.isEmpty() ? candidates.getFirst() : withHeadline.get(withHeadline.size() / 2);
        Double spread = null;
        if (withHeadline.size() > 1 && headline(median) != 0) {
            spread = (headline(withHeadline.getLast()) - headline(withHeadline.getFirst())) / headline(median);
        }
        ResultRow summary = median.asSummaryOf(candidates.size(), spread, checks, problems);
        String overLimit = ServerCatalog.overLimit(first.server(), sc);
        return overLimit == null ? summary : summary.overLimit(overLimit);
    }

    /** The row of a single repetition. */
    private static ResultRow single(Scenario sc, Measurement m, LoadReport r) {
        ResourceUse u = m.resources();
        // All the CPU the server used during the load over all the messages it echoed (its own
        // count, warm-up included on both sides), so no window has to be guessed.
        Double cpuPerMsg = null;
        Long echoed = m.serverSummary().get("bytesEchoed");
        if (u != null && echoed != null && echoed >= sc.messageBytes()) {
            cpuPerMsg = u.cpuMicros() / ((double) echoed / sc.messageBytes());
        } else if (u != null && echoed == null && r.traffic() != null && r.traffic().messagesSent() != null && r.traffic().messagesSent() > 0) {
            cpuPerMsg = (double) u.cpuMicros() / r.traffic().messagesSent();   // a server without a summary line (an anchor): the client's count
        }
        LoadReport.Setup setup = r.setup();
        LoadReport.Hold hold = r.hold();
        ResultRow.HeldMemory heldMemory = ResultRow.HeldMemory.NONE;
        if (sc.kind() == ScenarioKind.HOLD) {
            long held = hold != null && hold.established() != null ? hold.established()
                    : Objects.requireNonNullElse(setup.connections(), (long) sc.connections());
            MemoryPerConnection.Marginal marginal = u == null ? new MemoryPerConnection.Marginal(null, null)
                    : MemoryPerConnection.marginal(u.heldLevels());
            heldMemory = new ResultRow.HeldMemory(marginal.bytes(), marginal.whyNone(), MemoryPerConnection.inclOneTime(u, held));
        }
        Percentiles p = Objects.requireNonNullElse(r.latency().latencyUs(), NO_SAMPLES);
        Percentiles service = r.rate() == null || r.rate().serviceTimeUs() == null ? NO_SAMPLES : r.rate().serviceTimeUs();
        return new ResultRow(m.server(), sc.id(), sc.kind(), "ok", 1,
                new ResultRow.Load(Objects.requireNonNullElse(setup.connections(), (long) sc.connections()),
                        Objects.requireNonNullElse(setup.messageBytes(), (long) sc.messageBytes()),
                        r.throughput().messagesPerSecond(), null, r.mibPerSecond()),
                new ResultRow.Latency(p.p50(), p.p90(), p.p99(), p.p999(), p.max(), service.p99()),
                new ResultRow.Connecting(r.churn() == null ? null : r.churn().connectionsPerSecond(),
                        hold == null ? null : hold.established(), hold == null ? null : hold.failed(),
                        r.firstEchoes() == null ? null : r.firstEchoes().allFirstEchoMs(),
                        r.churn() == null || r.churn().firstEchoUs() == null ? null : r.churn().firstEchoUs().p50(),
                        r.churn() == null || r.churn().firstEchoUs() == null ? null : r.churn().firstEchoUs().p99()),
                u == null ? ResultRow.Resources.NONE : new ResultRow.Resources(cpuPerMsg, u.peakRssBytes(), u.peakPssBytes()),
                heldMemory,
                u == null ? ResultRow.TreePeaks.NONE : new ResultRow.TreePeaks(u.peakThreads(), u.peakProcesses(), u.peakOpenFds()),
                new ResultRow.Checks(r.errorCount(), m.logVerified()), null, List.of(), r.latency().unansweredInLatency(), null, null);
    }

    /** The percentiles of a file that has none: every figure null. */
    private static final Percentiles NO_SAMPLES = new Percentiles(null, null, null, null, null, null, null, null);

    private static String status(List<Measurement> reps) {
        Measurement.Outcome worst = reps.stream().map(Measurement::outcome).max(Comparator.naturalOrder()).orElseThrow();
        return switch (worst) {
            case OK -> "ok";
            case LOAD_FAILED -> "load failed";
            case SERVER_FAILED -> "server failed";
            case DID_NOT_START -> "did not start";
            case NOT_BUILT -> "not built";
        };
    }
}
