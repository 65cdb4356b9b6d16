package echosuite.loadgen;

import echosuite.cli.UsageError;
import echosuite.logcheck.LogVerifier;
import echosuite.report.LoadReport;
import echosuite.report.Percentiles;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * {@code loadgen merge --json OUT.json A.json B.json ...}: one report, in the schema of a single
 * run's, from the reports of the N agents ({@code --agent I/N}) of one run. Latencies are the
 * agents' histograms added (read from the {@code .hlog} each report names), their percentiles
 * computed from the sum, never averaged; counts, rates and bandwidths are summed; the agents'
 * own figures and clock offsets are listed in {@code agentFigures}. Reports that do not belong
 * together are refused with one sentence.
 */
final class AgentMerge {

    /**
     * Options every agent of one run was given alike (keys of the report's {@code options}): a
     * report that differs in one of them is of another run. Keys a scenario does not have are absent alike.
     */
    static final List<String> SAME_OPTIONS = List.of("connections", "size", "duration", "warmup", "start-at", "first-connection-id",
            "rate", "pipeline", "count", "window", "messages-per-session", "first-level", "level-hold");

    /** Options that name one agent's own files or place; the merged report's copy of the options leaves them out (null). */
    static final List<String> AGENT_OPTIONS = List.of("agent", "json", "hlog", "hgrm", "sent", "verify-log");

    /** One agent's report and where it came from. */
    record Agent(Path file, LoadReport report, int index) {
        String name() {
            return file.toString();
        }
    }

    /** The merged report, the merged main latency and the log's verdict (null if no log was given). */
    record Result(LoadReport report, Histogram latency, LogVerifier.Report log) { }

    private AgentMerge() { }

    /** Reads, checks and merges {@code files}; {@code log}: the server's log to verify, or null. */
    static Result merge(List<Path> files, Path log) throws IOException, InterruptedException {
        List<Agent> agents = read(files);
        checkTogether(agents);
        LoadReport first = agents.getFirst().report();
        Map<String, Histogram> hist = new LinkedHashMap<>();
        for (String tag : tagsOf(first.setup().scenario())) hist.put(Objects.toString(tag, ""), new Histogram(ThreadRecorders.SIGNIFICANT_DIGITS));
        for (Agent a : agents) {
            Path hlog = named(a, "hlog", "no .hlog: run every agent with --hlog FILE (the merge adds the agents' histograms; it never averages percentiles)");
            for (String tag : tagsOf(first.setup().scenario())) {
                Histogram h = HistogramFiles.merge(List.of(hlog), tag);
                if (tag == null) {
                    Long count = a.report().latency() == null || a.report().latency().latencyUs() == null ? null
                            : a.report().latency().latencyUs().count();
                    if (count == null || count != h.getTotalCount()) {
                        throw new UsageError(hlog + " holds " + h.getTotalCount() + " latency samples but " + a.name() + " reports " + count
                                + ": they are not of the same run.");
                    }
                }
                hist.get(Objects.toString(tag, "")).add(h);
            }
        }
        LogVerifier.Report verdict = null;
        if (log != null) {
            List<SentManifest> sent = new ArrayList<>();
            for (Agent a : agents) {
                SentManifest m = SentManifest.read(named(a, "sent",
                        "no --sent file: run every agent with --sent FILE, so the log can be checked against all agents' messages"));
                if (m.messageBytes() != first.setup().messageBytes()) {
                    throw new UsageError(a.name() + "'s --sent file is of " + m.messageBytes() + "-byte messages, its report of "
                            + first.setup().messageBytes() + ": they are not of the same run.");
                }
                sent.add(m);
            }
            try {
                verdict = LogCheck.verifyManifests(sent, log, 0);
            } catch (IllegalStateException e) {
                throw new UsageError("two agents' --sent files name the same connection (" + e.getMessage() + "): were they run with the same --agent?");
            }
        }
        return new Result(merged(agents, hist, verdict, log), hist.get(""), verdict);
    }

    /** The .hlog tags of a scenario's histograms: null is the main latency. */
    private static List<String> tagsOf(String scenario) {
        List<String> tags = new ArrayList<>();
        tags.add(null);
        switch (scenario) {
            case "rate" -> tags.add(Metric.SERVICE.tag);
            case "churn" -> {
                tags.add(Metric.CONNECT.tag);
                tags.add(Metric.FIRST_ECHO.tag);
            }
            case "hold" -> tags.add(Metric.CONNECT.tag);
            default -> { }
        }
        return tags;
    }

    private static List<Agent> read(List<Path> files) {
        List<Agent> agents = new ArrayList<>();
        for (Path f : files) {
            LoadReport r;
            try {
                r = LoadReport.read(f);
            } catch (IOException e) {
                throw new UsageError("cannot read " + f + " as a loadgen --json report: " + firstLine(e.getMessage()) + ".");
            }
            if (r.agentRun() == null || r.agentRun().agent() == null || r.agentRun().agents() == null) {
                throw new UsageError(f + " is not an agent's report (it was run without --agent I/N).");
            }
            if (r.setup() == null || r.setup().scenario() == null) throw new UsageError(f + " has no scenario: not a loadgen --json report.");
            agents.add(new Agent(f, r, r.agentRun().agent()));
        }
        agents.sort(Comparator.comparingInt(Agent::index));
        return agents;
    }

    /** Refuses, in one sentence, reports that are not the N agents of one run. */
    static void checkTogether(List<Agent> agents) {
        Agent first = agents.getFirst();
        int n = first.report().agentRun().agents();
        same(agents, a -> a.report().agentRun().agents(), "agents (N of --agent I/N)");
        same(agents, a -> a.report().setup().scenario(), "scenario");
        same(agents, a -> a.report().setup().messageBytes(), "message size (-s)");
        same(agents, a -> a.report().agentRun().startAtEpochMs(), "--start-at");
        for (String key : SAME_OPTIONS) same(agents, a -> a.report().options() == null ? null : a.report().options().get(key), "--" + key);
        if (first.report().setup().scenario().equals("find-max")) throw new UsageError("find-max reports cannot be merged.");
        for (int i = 1; i < agents.size(); i++) {
            if (agents.get(i).index() == agents.get(i - 1).index()) {
                throw new UsageError(agents.get(i - 1).name() + " and " + agents.get(i).name() + " are both agent " + agents.get(i).index()
                        + " of " + n + ".");
            }
        }
        List<Integer> missing = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            final int k = i;
            if (agents.stream().noneMatch(a -> a.index() == k)) missing.add(i);
        }
        if (!missing.isEmpty()) {
            throw new UsageError((missing.size() == 1 ? "agent " + missing.getFirst() + " of " + n + " is missing"
                    : "agents " + missing + " of " + n + " are missing") + ": merge the reports of all " + n + " agents.");
        }
    }

    private static void same(List<Agent> agents, Function<Agent, Object> figure, String what) {
        Agent first = agents.getFirst();
        Object v = figure.apply(first);
        for (Agent a : agents) {
            Object w = figure.apply(a);
            if (!Objects.equals(v, w)) {
                throw new UsageError(first.name() + " and " + a.name() + " differ in " + what + " (" + v + ", " + w + "): they are not agents of one run.");
            }
        }
    }

    /** The file an agent's report names under option {@code key}: as written, else beside the report by its name. */
    private static Path named(Agent a, String key, String ifNone) {
        Object v = a.report().options() == null ? null : a.report().options().get(key);
        if (v == null) throw new UsageError(a.name() + " names " + ifNone + ".");
        Path p = Path.of(v.toString());
        if (Files.isReadable(p)) return p;
        Path dir = a.file().toAbsolutePath().getParent();
        Path beside = dir.resolve(p.getFileName());
        if (Files.isReadable(beside)) return beside;
        throw new UsageError("cannot find " + a.name() + "'s --" + key + " file " + p + ", neither as written nor beside the report.");
    }

    // ---- the merged report -------------------------------------------------------------------------

    private static LoadReport merged(List<Agent> agents, Map<String, Histogram> hist, LogVerifier.Report verdict, Path log) {
        List<LoadReport> rs = agents.stream().map(Agent::report).toList();
        LoadReport first = rs.getFirst();
        LoadReport.Setup s = first.setup();
        String targets = String.join(" ", new LinkedHashSet<>(rs.stream().map(r -> r.setup().target()).filter(Objects::nonNull).toList()));
        LoadReport.Setup setup = new LoadReport.Setup(s.scenario(), targets, sumL(rs, r -> r.setup().connections()),
                sumL(rs, r -> r.setup().connectionsOpenAtStart()), sumL(rs, r -> r.setup().connectionsOpened()), s.messageBytes(),
                (int) sumL(rs, r -> r.setup().threads() == null ? null : r.setup().threads().longValue()).longValue(),
                maxD(rs, r -> r.setup().durationSeconds()), s.warmupSeconds(), maxD(rs, r -> r.setup().warmupRunSeconds()));
        LoadReport.FirstEchoes firstEchoes = rs.stream().allMatch(r -> r.firstEchoes() == null) ? null : new LoadReport.FirstEchoes(
                rs.stream().anyMatch(r -> r.firstEchoes() == null || r.firstEchoes().allFirstEchoMs() == null) ? null
                        : maxD(rs, r -> r.firstEchoes().allFirstEchoMs()),
                any(rs, r -> r.firstEchoes() != null && Boolean.TRUE.equals(r.firstEchoes().warmupLimitReached())),
                sumL(rs, r -> r.firstEchoes() == null ? null : r.firstEchoes().connectionsAwaitingFirstEchoAtWindow()));
        LoadReport.Throughput throughput = new LoadReport.Throughput(sumL(rs, r -> r.throughput().messages()),
                sumD(rs, r -> r.throughput().messagesPerSecond(), 3), sumD(rs, r -> r.throughput().mibPerSecond(), 6),
                sumD(rs, r -> r.throughput().mibPerSecondSent(), 6), sumD(rs, r -> r.throughput().mibPerSecondReceived(), 6));
        LoadReport.Traffic traffic = new LoadReport.Traffic(sumL(rs, r -> r.traffic().messagesSent()), sumL(rs, r -> r.traffic().messagesUnanswered()),
                sumL(rs, r -> r.traffic().bytesSent()), sumL(rs, r -> r.traffic().bytesReceived()));
        long unanswered = sumL(rs, r -> r.latency().unansweredInLatency());
        LoadReport.Latency latency = new LoadReport.Latency(RunReport.percentiles(hist.get("")), unanswered, unanswered > 0);
        Map<String, Long> errors = new LinkedHashMap<>(), reasons = new LinkedHashMap<>();
        for (LoadReport r : rs) {
            if (r.errorCounts() == null) continue;
            if (r.errorCounts().errors() != null) r.errorCounts().errors().forEach((k, v) -> errors.merge(k, v, Long::sum));
            if (r.errorCounts().errorReasons() != null) r.errorCounts().errorReasons().forEach((k, v) -> reasons.merge(k, v, Long::sum));
        }
        LoadReport.Memory memory = new LoadReport.Memory(maxL(rs, r -> r.memory() == null ? null : r.memory().loadgenRssKiB()),
                maxL(rs, r -> r.memory() == null ? null : r.memory().loadgenPeakRssKiB()));
        int status = ExitStatus.OK;
        for (LoadReport r : rs) status = worse(status, r.exitStatus() == null ? ExitStatus.OK : r.exitStatus());
        if (verdict != null && !verdict.ok()) status = worse(status, ExitStatus.DATA_ERRORS);
        Map<String, Object> options = new LinkedHashMap<>(first.options() == null ? Map.of() : first.options());
        for (String key : AGENT_OPTIONS) if (options.containsKey(key)) options.put(key, null);
        if (options.containsKey("verify-log") && log != null) options.put("verify-log", log.toString());
        LoadReport m = new LoadReport(setup, firstEchoes, throughput, traffic, latency, new LoadReport.Errors(errors, reasons), memory,
                any(rs, r -> Boolean.TRUE.equals(r.stoppedEarly())),
                verdict == null ? null : new LoadReport.LogCheck(verdict.ok(), verdict.toString()), status, options,
                first.bulk(), null, null, null, null, null);
        if (first.rate() != null) {
            m = m.with(new LoadReport.Rate(sumD(rs, r -> r.rate().targetRate(), 6), first.rate().pipeline(),
                    RunReport.percentiles(hist.get(Metric.SERVICE.tag)), sumL(rs, r -> r.rate().messagesNotSent())));
        }
        if (first.churn() != null) {
            LoadReport.Churn c = first.churn();
            m = m.with(new LoadReport.Churn(c.messagesPerSession(), sumL(rs, r -> r.churn().sessions()),
                    sumD(rs, r -> r.churn().connectionsPerSecond(), 3), RunReport.percentiles(hist.get(Metric.CONNECT.tag)),
                    RunReport.percentiles(hist.get(Metric.FIRST_ECHO.tag)), c.sourceAddresses(), c.timeWaitCapPerAddress()));
        }
        if (first.hold() != null) m = m.with(hold(rs, hist.get(Metric.CONNECT.tag)));
        List<LoadReport.AgentFigures> figures = new ArrayList<>();
        for (Agent a : agents) {
            LoadReport r = a.report();
            Percentiles p = r.latency().latencyUs();
            figures.add(new LoadReport.AgentFigures(a.index(), a.file().getFileName().toString(), r.throughput().messages(),
                    r.throughput().messagesPerSecond(), p == null ? null : p.p50(), p == null ? null : p.p99(),
                    r.agentRun().startedAtEpochMs(), r.agentRun().clockOffsetMs(), r.exitStatus()));
        }
        return m.with(new LoadReport.Agents(null, first.agentRun().agents(), first.agentRun().startAtEpochMs(), null, null, figures));
    }

    /**
     * hold: connections summed; each level's target and held summed, its interval the one in
     * which every agent held it (the latest start to the earliest end), reached if every agent's was.
     */
    private static LoadReport.Hold hold(List<LoadReport> rs, Histogram connect) {
        List<LoadReport.HoldLevel> levels = new ArrayList<>();
        int count = rs.stream().mapToInt(r -> r.hold().levels() == null ? 0 : r.hold().levels().size()).min().orElse(0);
        for (int i = 0; i < count; i++) {
            final int k = i;
            List<LoadReport.HoldLevel> ls = rs.stream().map(r -> r.hold().levels().get(k)).toList();
            levels.add(new LoadReport.HoldLevel(ls.stream().mapToLong(LoadReport.HoldLevel::target).sum(),
                    ls.stream().mapToLong(LoadReport.HoldLevel::held).sum(),
                    ls.stream().mapToLong(LoadReport.HoldLevel::fromEpochMs).max().orElse(0),
                    ls.stream().mapToLong(LoadReport.HoldLevel::toEpochMs).min().orElse(0),
                    ls.stream().allMatch(LoadReport.HoldLevel::reached)));
        }
        return new LoadReport.Hold(sumL(rs, r -> r.hold().held()), sumL(rs, r -> r.hold().established()), sumL(rs, r -> r.hold().failed()),
                RunReport.percentiles(connect), levels);
    }

    /** The worse of two exit statuses: data errors, then could not run, then connection errors, then ok. */
    static int worse(int a, int b) {
        List<Integer> order = List.of(ExitStatus.DATA_ERRORS, ExitStatus.COULD_NOT_RUN, ExitStatus.CONNECTION_ERRORS, ExitStatus.OK);
        int ia = order.indexOf(a), ib = order.indexOf(b);
        if (ia < 0) return a;
        if (ib < 0) return b;
        return ia <= ib ? a : b;
    }

    private static Long sumL(List<LoadReport> rs, Function<LoadReport, Long> f) {
        long s = 0;
        for (LoadReport r : rs) {
            Long v = f.apply(r);
            if (v != null) s += v;
        }
        return s;
    }

    private static Double sumD(List<LoadReport> rs, Function<LoadReport, Double> f, int decimals) {
        double s = 0;
        for (LoadReport r : rs) {
            Double v = f.apply(r);
            if (v != null) s += v;
        }
        return LoadReport.round(s, decimals);
    }

    private static Double maxD(List<LoadReport> rs, Function<LoadReport, Double> f) {
        return rs.stream().map(f).filter(Objects::nonNull).max(Double::compare).orElse(null);
    }

    private static Long maxL(List<LoadReport> rs, Function<LoadReport, Long> f) {
        return rs.stream().map(f).filter(Objects::nonNull).max(Long::compare).orElse(null);
    }

    private static Boolean any(List<LoadReport> rs, Predicate<LoadReport> p) {
        return rs.stream().anyMatch(p);
    }

    private static String firstLine(String s) {
        if (s == null) return "unreadable";
        int nl = s.indexOf('\n');
        String line = (nl < 0 ? s : s.substring(0, nl)).strip();
        return line.endsWith(".") ? line.substring(0, line.length() - 1) : line;
    }
}
