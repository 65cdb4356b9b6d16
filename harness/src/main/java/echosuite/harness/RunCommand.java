package echosuite.harness;

import echosuite.cli.UsageError;

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
                "  ./suite run --servers selector,threaded --scenarios pingpong,hold"})
final class RunCommand implements Callable<Integer> {

    static final List<String> ALL_SERVERS = List.of("threaded", "virtualthreads", "selector", "forking");

    @Option(names = "--profile", defaultValue = "standard", paramLabel = "NAME",
            description = "quick (about 2 min, CI), standard (within 15 min; default) or full (about an hour).")
    String profile;

    @Option(names = "--servers", split = ",", paramLabel = "LIST",
            description = "Servers to run, comma-separated (default: all four: ${COMPLETION-CANDIDATES}).",
            completionCandidates = ServerNames.class)
    List<String> servers = new ArrayList<>(ALL_SERVERS);

    @Option(names = "--scenarios", split = ",", paramLabel = "LIST",
            description = "Only these scenarios of the profile: kinds (pingpong, rate, churn, hold, bulk) or ids (pingpong-c16-64B).")
    List<String> scenarios;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for the run folders (default: results/runs; only then is results/latest updated).")
    Path out;

    @Option(names = "--baseline", defaultValue = "selector", paramLabel = "NAME",
            description = "Server the ratio column compares with (default: ${DEFAULT-VALUE}; the first server with results if it has none).")
    String baseline;

    @Option(names = "--no-pin", description = "Do not pin the server to CPU 0 and the load generator to CPU 1.")
    boolean noPin;

    @Option(names = "--loadgen", paramLabel = "COMMAND",
            description = "Load generator command, split at spaces (default: java -jar loadgen/target/loadgen.jar).")
    String loadgen;

    static final class ServerNames extends ArrayList<String> {
        ServerNames() {
            super(ALL_SERVERS);
        }
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path root = Harness.projectRoot();
        Profile p = Arrays.stream(Profile.values()).filter(x -> x.label().equals(profile)).findFirst()
                .orElseThrow(() -> new UsageError("unknown profile '" + profile + "'; choose quick, standard or full."));
        for (String s : servers) {
            if (!ALL_SERVERS.contains(s)) throw new UsageError("unknown server '" + s + "'; choose from " + String.join(", ", ALL_SERVERS) + ".");
        }
        List<Scenario> chosen = p.scenarios();
        if (scenarios != null) {
            chosen = chosen.stream().filter(s -> scenarios.contains(s.kind().label()) || scenarios.contains(s.id())).toList();
            if (chosen.isEmpty()) throw new UsageError("no scenario of profile " + p.label() + " matches " + String.join(",", scenarios)
                    + "; its scenarios are " + String.join(", ", p.scenarios().stream().map(Scenario::id).toList()) + ".");
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> jvmOptions = splitWords(System.getenv().getOrDefault("SUITE_JAVA_OPTS", ""));
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
        Path runs = out != null ? out.toAbsolutePath() : root.resolve("results/runs");
        Path runDir = runs.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (Files.exists(runDir)) throw new UsageError(runDir + " exists already; wait a second and run again.");

        BenchmarkRun run = new BenchmarkRun(new BenchmarkRun.Settings(root, p, List.copyOf(servers), chosen, runDir,
                baseline, !noPin, loadgenCmd, java, jvmOptions), System.out);
        RunFolder folder = run.run();
        ResultTable table = RunReport.render(folder);
        if (out == null) pointLatest(root.resolve("results/latest"), runDir);

        System.out.println(SummaryWriter.console(table));
        System.out.println("Results: " + runDir + " (open index.html; summary.md, summary.csv, summary.json)");
        long bad = table.rows().stream().filter(ResultRow::hadProblems).count();
        if (bad > 0) System.out.println(bad + " row(s) had problems; see the tables and the lists under them.");
        return bad == 0 ? 0 : 1;
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
