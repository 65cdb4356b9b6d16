package echosuite.harness;

import echosuite.cli.UsageError;
import echosuite.serverprocess.ServerCommand;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ./suite run}: every server under the profile's scenarios, then tables, plots and page. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs every server under the profile's scenarios and writes results/runs/<timestamp>/ "
                + "(summary.md, summary.csv, summary.json, plots, index.html); results/latest points to it.",
                "Exit status 0 when every built server ran every scenario without errors and with a verified log, 1 otherwise."},
        footer = {"", "Examples:", "  ./suite run --profile quick",
                "  ./suite run --servers selector,threaded --scenarios pingpong,hold",
                "  ./suite run --servers java,anchor-c-epoll --scenarios hold-c5000",
                "  ./suite run --servers anchor-c-thread,threaded,virtualthreads --scenarios pingpong-c1-64B,pingpong-c16-64B --repetitions 3 --client echo_load",
                "  ./suite run --server-cpus 0-3 --load-cpus 4-7 --servers java --scenarios scaling-c64-64B"})
final class RunCommand implements Callable<Integer> {

    @Option(names = "--profile", defaultValue = "standard", paramLabel = "NAME",
            description = "quick (within 3 min, CI), standard (within 20 min; default) or full (about an hour and a half).")
    String profile;

    @Option(names = "--servers", split = ",", paramLabel = "LIST",
            description = "Servers to run, comma-separated, names or groups (default: the profile's: java,c, the four Java servers "
                    + "and their C twins; full adds the variants); listed below. The C servers are built with make on first use, "
                    + "the anchors from ../shared/anchors.")
    List<String> servers;

    @Option(names = "--scenarios", split = ",", paramLabel = "LIST",
            description = "Only these scenarios: kinds (pingpong, rate, churn, hold, bulk) of the profile, or ids (pingpong-c16-64B, "
                    + "rate-R5000-c16-64B, churn-R10-c1, hold-c5000, bulk-c4-64KiB), which need not be the profile's: "
                    + "they get its warm-up, duration and repetitions for their kind. An id ending in -cpusN runs the server on "
                    + "the first N of its CPUs (pingpong-c64-64B-cpus2); scaling-c64-64B stands for pingpong-c64-64B at 1, 2, 4 ... "
                    + "server CPUs and at all of them, each step its own scenario (in no profile).")
    List<String> scenarios;

    @Option(names = "--repetitions", paramLabel = "N",
            description = "Repetitions of every scenario, each on a fresh server process (default: the profile's).")
    Integer repetitions;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Measured seconds of every scenario (default: the profile's).")
    Integer duration;

    @Option(names = "--warmup", paramLabel = "SECONDS", description = "Warm-up seconds of every scenario, not measured (default: the profile's).")
    Integer warmup;

    @Option(names = "--client", defaultValue = "loadgen", paramLabel = "NAME",
            description = "The load's client: loadgen (default) or echo_load, the anchors' C client (pingpong and churn only; "
                    + "the log is checked by its record count).")
    String client;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for the run folders (default: results/runs; only then is results/latest updated).")
    Path out;

    @Option(names = "--baseline", defaultValue = "selector", paramLabel = "NAME",
            description = "Server the ratio column compares with (default: ${DEFAULT-VALUE}; the first server with results if it has none).")
    String baseline;

    @Option(names = Placement.SERVER_OPTION, paramLabel = "LIST",
            description = "CPUs the server runs on, in taskset's syntax (0, 0-3, 0,2,4; default: the first half of the CPUs, "
                    + "rounded down: CPU 0 on 2 CPUs). The selector's reactors, the virtual threads' carriers and forking's "
                    + "spare starts follow their count.")
    String serverCpus;

    @Option(names = Placement.LOAD_OPTION, paramLabel = "LIST",
            description = "CPUs the load generator runs on (default: the CPUs the server's list leaves, the second half "
                    + "by default: CPU 1 on 2 CPUs); its I/O threads follow their count. It may share the server's CPUs, with a warning.")
    String loadCpus;

    @Option(names = "--no-pin", description = "Do not pin the server and the load generator to CPUs (on one CPU they are not pinned anyway).")
    boolean noPin;

    @Option(names = "--agents", paramLabel = "N",
            description = "Put each repetition's load on with N load generator agents (loadgen --agent I/N, one common start; "
                    + "their reports merged with loadgen merge --json, the server's log checked against all of them) instead of one.")
    Integer agents;

    @Option(names = "--netns", description = "Run the server and each load agent in a network namespace of its own, joined by veth links "
            + "(10.77.I.1 the server, 10.77.I.2 agent I), made and deleted by the run: separate hosts on one machine. Needs root and "
            + "iproute2; with --agents N, else one agent.")
    boolean netns;

    @Option(names = "--loadgen", paramLabel = "COMMAND",
            description = "Load generator command, split at spaces (default: java -jar loadgen/target/loadgen.jar).")
    String loadgen;

    /** The most agents a run drives: each is a JVM on the load's CPUs. */
    static final int MAX_AGENTS = 64;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path root = Harness.projectRoot();
        Profile p = Arrays.stream(Profile.values()).filter(x -> x.label().equals(profile)).findFirst()
                .orElseThrow(() -> new UsageError("unknown profile '" + profile + "'; choose quick, standard or full."));
        List<ServerSpec> chosenServers = ServerCatalog.resolve(servers != null ? servers : p.servers());
        Placement placement = Placement.choose(serverCpus, loadCpus, noPin, CpuList.allowed(), Files.isExecutable(ServerCommand.TASKSET));
        List<Scenario> chosen = scenarios == null ? p.scenarios() : ScenarioId.select(scenarios, p, placement.serverCpuCount());
        if (repetitions != null && repetitions < 1) throw new UsageError("--repetitions must be at least 1, got " + repetitions + ".");
        if (duration != null && duration < 1) throw new UsageError("--duration must be at least 1 second, got " + duration + ".");
        if (warmup != null && warmup < 0) throw new UsageError("--warmup must not be negative, got " + warmup + ".");
        chosen = chosen.stream().map(s -> ScenarioId.overridden(s, warmup, duration, repetitions)).toList();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> jvmOptions = splitWords(System.getenv().getOrDefault("SUITE_JAVA_OPTS", ""));
        if (agents != null && (agents < 1 || agents > MAX_AGENTS)) {
            throw new UsageError("--agents must be 1 to " + MAX_AGENTS + ", got " + agents + ".");
        }
        boolean asAgents = agents != null || netns;
        if (asAgents && !client.equals("loadgen")) {
            throw new UsageError("--agents and --netns run the project's load generator as agents; --client " + client + " is one process of its own.");
        }
        if (netns) {
            String why = NetworkLab.unavailable();
            if (why != null) throw new UsageError(why);
            for (ServerSpec s : chosenServers) {
                if (s.isAnchor()) throw new UsageError("--netns starts each server with --bind 0.0.0.0, which the anchor " + s.name()
                        + " does not take; run the anchors without --netns.");
            }
        }
        LoadClient loadClient = switch (client) {
            case "loadgen" -> new LoadgenClient(loadgenCommand(root, java, jvmOptions));
            case "echo_load" -> echoLoad(root);
            default -> throw new UsageError("unknown client '" + client + "'; choose loadgen or echo_load.");
        };
        for (Scenario sc : chosen) {
            String why = loadClient.cannotRun(sc);
            if (why != null) throw new UsageError(why);
        }
        Path runs = out != null ? out.toAbsolutePath() : root.resolve("results/runs");
        Path runDir = runs.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (Files.exists(runDir)) throw new UsageError(runDir + " exists already; wait a second and run again.");
        if (placement.warning() != null) System.out.println(placement.warning());

        RunFolder folder;
        try (NetworkLab lab = netns ? NetworkLab.create(agents == null ? 1 : agents) : null) {
            if (asAgents) loadClient = new LoadgenAgents(loadClient.command(), agents == null ? 1 : agents, lab);
            BenchmarkRun run = new BenchmarkRun(new BenchmarkRun.Settings(root, p, chosenServers, chosen, runDir,
                    baseline, placement, loadClient, java, jvmOptions, lab), System.out);
            folder = run.run();
        }
        ResultTable table = RunReport.render(folder);
        if (out == null) pointLatest(root.resolve("results/latest"), runDir);

        System.out.println(SummaryWriter.console(table));
        System.out.println("Results: " + runDir + " (open index.html; summary.md, summary.csv, summary.json)");
        long bad = table.rows().stream().filter(ResultRow::hadProblems).count();
        if (bad > 0) System.out.println(bad + " row(s) had problems; see the tables and the lists under them.");
        return bad == 0 ? 0 : 1;
    }

    /** The load generator's command: {@code --loadgen}, else its jar on this JVM with {@code SUITE_JAVA_OPTS}. */
    private List<String> loadgenCommand(Path root, Path java, List<String> jvmOptions) {
        List<String> loadgenCmd;
        if (loadgen != null) {
            loadgenCmd = splitWords(loadgen);
        } else {
            Path jar = root.resolve("loadgen/target/loadgen.jar");
            if (!Files.isRegularFile(jar)) throw new UsageError("the load generator is not built (" + jar
                    + " is missing); build it with ./suite build.");
            loadgenCmd = new ArrayList<>(List.of(java.toString()));
            loadgenCmd.addAll(jvmOptions);
            loadgenCmd.addAll(List.of("-jar", jar.toString()));
        }
        return loadgenCmd;
    }

    /** echo_load, built from the anchors if need be. */
    private static EchoLoadClient echoLoad(Path root) {
        String why = new AnchorBuild(root, System.out).c();
        if (why != null) throw new UsageError("--client echo_load needs the anchors' C client: " + why);
        return new EchoLoadClient(AnchorBuild.echoLoad(root));
    }

    /** Points {@code results/latest} at the new run (a relative symbolic link). */
    private static void pointLatest(Path latest, Path runDir) throws IOException {
        Files.deleteIfExists(latest);
        Files.createSymbolicLink(latest, latest.getParent().relativize(runDir));
    }

    static List<String> splitWords(String s) {
        return Arrays.stream(s.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }
}
