package echosuite.harness;

import echosuite.report.LoadReport;
import echosuite.report.Percentiles;
import echosuite.report.Units;
import echosuite.serverprocess.OutputLines;
import echosuite.serverprocess.ServerCommand;
import echosuite.serverprocess.ServerProcess;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * One {@code ./suite run}: every scenario repetition on every server, each on a fresh server
 * process with its own log file (so that each log can be verified against exactly one load, and
 * one scenario's memory does not leak into the next one's peak). Per repetition:
 * <ol>
 *   <li>start the server (pinned to its CPUs, {@link Placement}; a scaling step to the first N
 *       of them), wait for {@code listening on};</li>
 *   <li>start sampling its process tree every 250 ms ({@link ResourceMonitor});</li>
 *   <li>run the load generator (pinned to its own CPUs): the load, then its check of the server's log
 *       ({@code --verify-log}; see {@link LoadgenRun});</li>
 *   <li>SIGTERM the server, read its {@code summary} line and check its record count against
 *       the messages the load generator sent;</li>
 *   <li>write a {@link Measurement} and the series to the run folder.</li>
 * </ol>
 * Whatever goes wrong with one server (missing jar, no start, crash, failed verification) is
 * written down and the run goes on with the next.
 */
final class BenchmarkRun {

    /** What to run and where; see {@link RunCommand} for the options behind these. */
    record Settings(Path projectRoot, Profile profile, List<ServerSpec> servers, List<Scenario> scenarios,
                    Path runDir, String baseline, Placement placement, LoadClient client, Path java,
                    List<String> jvmOptions, NetworkLab lab) {

        List<String> serverNames() {
            return servers.stream().map(ServerSpec::name).toList();
        }
    }

    private static final Duration START_LIMIT = Duration.ofSeconds(60);
    /** A server's output lines kept for its run folder ({@code server.txt}): the last ones. */
    private static final int KEPT_OUTPUT_LINES = 30;
    /** Beyond its planned load, how long a load generator may take before the harness gives up on it. */
    private static final Duration LOAD_GRACE = Duration.ofSeconds(120);
    private static final Duration VERIFY_LIMIT = Duration.ofSeconds(300);
    /** A server log that failed verification is kept for inspection if it is at most this big. */
    private static final long KEEP_FAILED_LOG_BYTES = 64L << 20;

    private final Settings settings;
    private final RunFolder folder;
    private final ProgressDisplay progress;
    private final ProcSampler sampler = new ProcSampler();
    private final List<String> loadPin;

    private final AnchorBuild anchors;

    BenchmarkRun(Settings settings, PrintStream console) {
        this.settings = settings;
        this.anchors = new AnchorBuild(settings.projectRoot(), console);
        this.folder = new RunFolder(settings.runDir());
        this.progress = new ProgressDisplay(console);
        loadPin = settings.placement().loadPrefix();
    }

    /** The jar or binary a server of the catalog runs, e.g. {@code server-NAME/target/server-NAME.jar}. */
    static Path serverJar(Path projectRoot, String server) {
        return ServerCatalog.named(server).artifact(projectRoot);
    }

    /** Runs everything and writes the raw files; returns the run's folder. */
    RunFolder run() throws IOException, InterruptedException {
        Files.createDirectories(folder.dir());
        Files.createDirectories(folder.logs());
        folder.writeMachine(Machine.detect(settings.projectRoot(), String.join(" ", settings.jvmOptions()), settings.placement()));

        Map<String, String> notBuilt = new LinkedHashMap<>();
        List<ServerSpec> runnable = new ArrayList<>();
        for (ServerSpec s : settings.servers()) {
            String why = anchors.unavailable(s);
            if (why == null) runnable.add(s);
            else notBuilt.put(s.name(), why);
        }
        RunInfo info = new RunInfo(settings.profile().label(), settings.serverNames(), List.copyOf(notBuilt.keySet()), settings.scenarios(),
                settings.baseline(), String.join(" ", settings.client().command()), 0, loadDescription());
        folder.writeRunInfo(info);

        int reps = settings.scenarios().stream().mapToInt(Scenario::repetitions).sum();
        long load = settings.scenarios().stream().mapToLong(s -> (long) s.repetitions() * s.loadSeconds()).sum();
        progress.plan(reps * settings.servers().size(), load * settings.servers().size());
        for (Map.Entry<String, String> e : notBuilt.entrySet()) {
            progress.skipped(e.getKey(), e.getValue(), reps, load);
            for (Scenario sc : settings.scenarios()) {
                folder.write(new Measurement(e.getKey(), sc, 1, Measurement.Outcome.NOT_BUILT,
                        List.of("the server cannot run: " + e.getValue()), null, null, null, Map.of(), null, null, null));
            }
        }
        for (ServerSpec server : runnable) {
            for (Scenario sc : settings.scenarios()) {
                for (int r = 1; r <= sc.repetitions(); r++) {
                    progress.starting(server.name(), sc, r);
                    Measurement m = measure(server, sc, r);
                    folder.write(m);
                    progress.finished(sc, headline(m));
                }
            }
        }
        folder.writeRunInfo(info.withDuration(Math.round(progress.elapsedSeconds())));
        deleteIfEmpty(folder.logs());
        return folder;
    }

    /** How the load is put on, for the run's record, when not by one load generator on the loopback; else null. */
    private String loadDescription() {
        int n = settings.client().processes();
        if (n == 1 && settings.lab() == null) return null;
        String agents = n + " load agent" + (n == 1 ? "" : "s") + " (loadgen --agent I/" + n + ", fewer in a scenario with fewer connections;"
                + " one schedule start; reports merged with loadgen merge --json)";
        return settings.lab() == null ? agents + " on this machine's loopback" : agents + "; " + settings.lab().describe();
    }

    /** One repetition of one scenario on one server, from start to verified log. */
    private Measurement measure(ServerSpec spec, Scenario sc, int rep) throws IOException, InterruptedException {
        String server = spec.name();
        String stem = Measurement.stem(sc, rep);
        Files.createDirectories(folder.raw(server));
        Path log = folder.logs().resolve(server + "-" + stem + ".log");
        Files.deleteIfExists(log);
        List<String> problems = new ArrayList<>();

        Duration life = Duration.ofSeconds(sc.loadSeconds()).plus(LOAD_GRACE).plus(VERIFY_LIMIT);
        // The server may live a minute longer than its load generator may, so that a hung load
        // generator is reported as such rather than as a killed server.
        ServerCommand serverCmd = ServerCommand.of(spec.command(settings.projectRoot(), settings.java(), settings.jvmOptions(), log))
                .workingDirectory(settings.projectRoot()).startLimit(START_LIMIT).lifeLimit(life.plusSeconds(60))
                .keepLastLines(KEPT_OUTPUT_LINES);
        CpuList cpus = settings.placement().serverCpus(sc.serverCpus());     // a scaling step: the first N of them
        if (cpus != null) serverCmd = serverCmd.pinnedTo(cpus.text());
        if (settings.lab() != null) {
            // Its own network namespace, listening on every address of it: each agent comes by its own link.
            serverCmd = serverCmd.args("--bind", "0.0.0.0").inNetworkNamespace(settings.lab().ip(), settings.lab().serverNamespace());
        }

        ServerProcess srv;
        try {
            srv = ServerProcess.start(serverCmd);
        } catch (ServerProcess.StartFailure f) {
            return new Measurement(server, sc, rep, Measurement.Outcome.DID_NOT_START,
                    List.of("the server did not start: " + f.getMessage()), null, null, null, Map.of(), null, null, null);
        }

        ResourceMonitor monitor = ResourceMonitor.start(sampler, srv.pid());
        List<LoadgenRun> loads = new ArrayList<>();
        try {
            long loadStart = monitor.sampleNow().atMillis();
            LoadClient.Outputs files = new LoadClient.Outputs(folder.file(server, stem, "loadgen.json"),
                    folder.file(server, stem, "hlog"), folder.file(server, stem, "hgrm"));
            Path json = files.json();
            Integer loadgenExit = null;
            try {
                int n = settings.client().processes();
                for (List<String> cmd : settings.client().commandsFor(sc, files, log, addresses(srv, n))) {
                    List<String> loadCmd = new ArrayList<>(loadPin);
                    loadCmd.addAll(cmd);
                    loads.add(LoadgenRun.start(loadCmd, settings.projectRoot(), life));
                }
                long deadline = System.nanoTime() + life.toNanos();
                for (int i = 0; i < loads.size(); i++) {
                    LoadgenRun one = loads.get(i);
                    OptionalInt exit = one.awaitExit(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                    String who = loads.size() == 1 ? "the load generator" : "load agent " + (i + 1);
                    if (exit.isEmpty()) problems.add(who + " had not finished " + LOAD_GRACE.plus(VERIFY_LIMIT).toSeconds() + " s after its planned end; killed");
                    else loadgenExit = Math.max(loadgenExit == null ? 0 : loadgenExit, exit.getAsInt());
                    one.writeOutput(folder.file(server, loads.size() == 1 ? stem : stem + "-a" + (i + 1), "loadgen.txt"));
                }
            } catch (IOException e) {
                problems.add("the load generator could not be started: " + e.getMessage());
            }
            LoadgenRun loadgen = loads.isEmpty() ? null : loads.getFirst();
            long loadEnd = monitor.sampleNow().atMillis();

            ServerStop stopped = ServerStop.of(srv);
            monitor.close();
            monitor.writeCsv(folder.file(server, stem, "resources.csv"));
            Files.write(folder.file(server, stem, "server.txt"), srv.output());
            problems.addAll(withoutMissingSummary(spec, stopped.problems()));
            if (loadgen != null) settings.client().complete(files, log, srv.address(), allOutput(loads), problems);

            LoadReport result = readResult(json, loadgen, loadgenExit, problems);
            LoadReport.LogCheck logCheck = result == null ? null : result.logCheck();
            String verification = withUncheckedCount(spec, logCheck == null ? null : logCheck.logReport());
            Boolean verified = logCheck == null ? null : logCheck.logVerified();
            if (verified == null) problems.add("the server's log was not verified: the load generator gave no verdict");
            else if (!verified) problems.add("the server's log did not match what was sent: " + firstLine(verification));
            if (loadgenExit != null && loadgenExit != 0) {
                problems.add((loads.size() == 1 ? "the load generator" : "a load agent") + " exited with status " + loadgenExit
                        + lastLines(allOutput(loads)));
            }
            crossCheck(sc, result, stopped, problems);

            keepOrDelete(log, verified);
            ResourceUse use = ResourceUse.of(monitor.samples(), loadStart, loadEnd);
            if (result != null) use = use.withHeldLevels(heldLevels(monitor, result));
            Measurement.Outcome outcome = stopped.exitedBeforeStop() || stopped.exitCode().isEmpty()
                    || stopped.exitCode().getAsInt() != 0 ? Measurement.Outcome.SERVER_FAILED
                    : result == null ? Measurement.Outcome.LOAD_FAILED : Measurement.Outcome.OK;
            return new Measurement(server, sc, rep, outcome, problems, result == null ? null : json.getFileName().toString(),
                    loadgenExit, stopped.exitCode().isPresent() ? stopped.exitCode().getAsInt() : null,
                    stopped.summary(), verified, verification, use);
        } finally {
            monitor.close();
            loads.forEach(LoadgenRun::kill);       // no-op when they have exited
            srv.killTree();                        // likewise
        }
    }

    /** Where each of {@code n} load processes reaches the server: its {@code listening on} address, or with --netns the server's end of agent I's link. */
    private List<String> addresses(ServerProcess srv, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) out.add(settings.lab() == null ? srv.address() : settings.lab().serverAddress(i) + ":" + srv.port());
        return out;
    }

    /** Every load process's output lines, one after the other. */
    private static List<String> allOutput(List<LoadgenRun> loads) {
        List<String> all = new ArrayList<>();
        loads.forEach(l -> all.addAll(l.output()));
        return all;
    }

    /** Hold: the server's PSS at each level of held connections the load generator reported. */
    private static List<LevelMemory> heldLevels(ResourceMonitor monitor, LoadReport result) {
        List<LevelMemory> levels = new ArrayList<>();
        if (result.hold() == null || result.hold().levels() == null) return levels;
        for (LoadReport.HoldLevel l : result.hold().levels()) {
            levels.add(LevelMemory.of(monitor.samples(), l.target(), l.held(), l.reached(),
                    monitor.millisAtEpoch(l.fromEpochMs()), monitor.millisAtEpoch(l.toEpochMs())));
        }
        return levels;
    }

    /** The log's verdict in words, saying so when the server's own count could not be checked against it. */
    private static String withUncheckedCount(ServerSpec spec, String logReport) {
        if (spec.printsSummary() || logReport == null) return logReport;
        return logReport + "\n" + spec.name() + " prints no summary line, so its own count of records logged was not checked.";
    }

    /**
     * The stop's problems, less the missing summary line of a server that prints none (the anchors):
     * for those the server's own record count is not cross-checked, the log still is.
     */
    private static List<String> withoutMissingSummary(ServerSpec spec, List<String> problems) {
        if (spec.printsSummary()) return problems;
        return problems.stream().filter(p -> !p.equals("the server printed no summary line")).toList();
    }

    /** The load generator's JSON result, or null with the reason added to {@code problems}. */
    private static LoadReport readResult(Path json, LoadgenRun loadgen, Integer exit, List<String> problems) {
        if (!Files.isRegularFile(json)) {
            if (loadgen != null) problems.add("the load generator wrote no JSON result (exit status " + exit + ")" + lastLines(loadgen.output()));
            return null;
        }
        try {
            return LoadReport.read(json);
        } catch (IOException e) {
            problems.add("the load generator's JSON is unreadable: " + e.getMessage());
            return null;
        }
    }

    /**
     * The server's own count against the load generator's (protocol.md: the summary line is there
     * for this): every message sent is one record, when messages fit in a record (at most
     * {@code --max-line}, 64 KiB, bytes). Messages whose echo never came back (their connection
     * timed out or was reset) may or may not have been read by the server, so with those the count
     * must fall in a range.
     */
    private static void crossCheck(Scenario sc, LoadReport result, ServerStop stopped, List<String> problems) {
        Long logged = stopped.summary().get("recordsLogged");
        if (result == null || result.traffic().messagesSent() == null || logged == null || sc.messageBytes() > 65536) return;
        long sent = result.traffic().messagesSent();
        long unanswered = result.traffic().messagesUnanswered() == null ? 0 : result.traffic().messagesUnanswered();
        if (logged > sent || logged < sent - unanswered) {
            problems.add("the server logged " + logged + " records but the load generator sent " + sent + " messages"
                    + (unanswered == 0 ? "" : ", " + unanswered + " of them unanswered (so " + (sent - unanswered)
                    + " to " + sent + " records were due)"));
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    private void keepOrDelete(Path log, Boolean verified) throws IOException {
        if (!Files.exists(log)) return;
        if (Boolean.TRUE.equals(verified) || Files.size(log) > KEEP_FAILED_LOG_BYTES) Files.delete(log);
    }

    private static void deleteIfEmpty(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            if (s.findAny().isEmpty()) Files.delete(dir);
        }
    }

    /** "; its last words: " and the last three of {@code lines}, or "" if there are none. */
    static String lastLines(List<String> lines) {
        return OutputLines.lastWords(lines);
    }

    /** The one line shown after a repetition. */
    private String headline(Measurement m) {
        if (m.outcome() == Measurement.Outcome.DID_NOT_START) return "FAILED: " + String.join("; ", m.problems());
        LoadReport r = folder.loadResult(m);
        StringBuilder s = new StringBuilder();
        if (r != null && r.throughput().messagesPerSecond() != null) {
            s.append(String.format(Locale.ROOT, "%,.0f msgs/s", r.throughput().messagesPerSecond()));
        }
        Percentiles latency = r == null ? null : r.latency().latencyUs();
        if (latency != null && latency.p99() != null) s.append(String.format(Locale.ROOT, ", p99 %s", Units.micros(latency.p99())));
        if (r != null && r.churn() != null && r.churn().connectionsPerSecond() != null) {
            s.append(String.format(Locale.ROOT, ", %,.0f conns/s", r.churn().connectionsPerSecond()));
        }
        if (r != null && r.hold() != null && r.hold().established() != null) s.append(", ").append(r.hold().established()).append(" held");
        if (m.resources() != null) s.append(String.format(Locale.ROOT, ", peak RSS %s", Units.bytes(m.resources().peakRssBytes())));
        s.append(", log ").append(m.logVerified() == null ? "not verified" : m.logVerified() ? "verified" : "NOT verified");
        if (!m.problems().isEmpty()) s.append("\n        problems: ").append(String.join("; ", m.problems()));
        return s.toString();
    }
}
