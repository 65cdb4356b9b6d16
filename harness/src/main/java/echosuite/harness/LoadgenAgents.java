package echosuite.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * {@code ./suite run --agents N}: the load generator as N agents that drive one server together,
 * as N load hosts would (docs/loadgen.md, "Several load hosts"). Agent {@code I} runs
 * {@code loadgen ... --agent I/N --start-at T} with its own {@code STEM-aI.loadgen.json},
 * {@code .hlog} and {@code .sent} files; all start their schedules at the same instant {@code T},
 * a moment after they are started. Once the server has stopped, {@code loadgen merge --json}
 * writes the repetition's {@code STEM.loadgen.json} from theirs (histograms added, counts summed,
 * the server's log checked against every agent's messages together) and {@code merge --out} its
 * {@code STEM.hgrm}. With a {@link NetworkLab} each agent runs in its own network namespace and
 * connects to the server's end of its own link.
 *
 * @param command how to start the load generator, e.g. {@code java -jar loadgen/target/loadgen.jar}
 * @param agents  N, at least 1
 * @param lab     the namespaces of {@code --netns}, or null for agents on this machine's loopback
 */
record LoadgenAgents(List<String> command, int agents, NetworkLab lab) implements LoadClient {

    /**
     * From the agents' start to their common start instant: time for a JVM to start and open its
     * connections (a late agent starts at once and its report says how late, {@code clockOffsetMs}).
     */
    static final Duration START_DELAY = Duration.ofMillis(2000);
    /** How long each merge may take (it reads every agent's files and the server's log). */
    private static final Duration MERGE_LIMIT = Duration.ofSeconds(300);

    @Override
    public String name() {
        return "loadgen";
    }

    @Override
    public String cannotRun(Scenario scenario) {
        return null;
    }

    @Override
    public int processes() {
        return agents;
    }

    @Override
    public List<String> commandFor(Scenario scenario, Outputs files, Path serverLog, String address) {
        return commandsFor(scenario, files, serverLog, List.of(address)).getFirst();
    }

    /**
     * How many agents share {@code scenario}: N, or as many as it has connections when that is fewer
     * (every agent needs one; a one-connection scenario is one load host's work).
     */
    int agentsFor(Scenario scenario) {
        return Math.max(1, Math.min(agents, scenario.connections()));
    }

    @Override
    public List<List<String>> commandsFor(Scenario scenario, Outputs files, Path serverLog, List<String> addresses) {
        long startAt = System.currentTimeMillis() + START_DELAY.toMillis();
        int n = agentsFor(scenario);
        List<List<String>> all = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            List<String> cmd = new ArrayList<>();
            if (lab != null) cmd.addAll(List.of(lab.ip().toString(), "netns", "exec", lab.agentNamespace(i)));
            cmd.addAll(command);
            cmd.addAll(scenario.loadgenArguments());
            cmd.addAll(List.of("--agent", i + "/" + n, "--start-at", Long.toString(startAt),
                    "--json", agentFile(files.json(), ".loadgen.json", i).toString(),
                    "--hlog", agentFile(files.hlog(), ".hlog", i).toString(),
                    "--sent", agentFile(files.json(), ".loadgen.json", i, ".sent").toString(),
                    "--quiet", addresses.get(Math.min(i, addresses.size()) - 1)));
            all.add(cmd);
        }
        return all;
    }

    /** Merges the agents' reports into the repetition's JSON, checking the server's (now complete) log, and their histograms into its .hgrm. */
    @Override
    public void complete(Outputs files, Path serverLog, String address, List<String> output, List<String> problems)
            throws IOException, InterruptedException {
        List<String> merge = new ArrayList<>(command);
        merge.addAll(List.of("merge", "--json", files.json().toString(), "--quiet"));
        if (Files.isRegularFile(serverLog)) merge.addAll(List.of("--log", serverLog.toString()));
        List<String> hgrm = new ArrayList<>(command);
        hgrm.addAll(List.of("merge", "--out", files.hgrm().toString()));
        // The agents that wrote a report; one that did not is named by the merge ("agent 2 of 2 is missing").
        int reports = 0;
        for (int i = 1; i <= agents; i++) {
            Path report = agentFile(files.json(), ".loadgen.json", i);
            if (!Files.isRegularFile(report)) continue;
            merge.add(report.toString());
            hgrm.add(agentFile(files.hlog(), ".hlog", i).toString());
            reports++;
        }
        if (reports == 0) {
            problems.add("no load agent wrote a report, so there is nothing to merge");
            return;
        }
        run(merge, files.json(), agentFile(files.json(), ".loadgen.json", 0, ".merge.txt"), "merge --json", problems);
        if (!Files.isRegularFile(files.json())) return;     // said above; nothing to draw either
        run(hgrm, files.hgrm(), agentFile(files.json(), ".loadgen.json", 0, ".merge-hgrm.txt"), "merge --out", problems);
    }

    /** Runs one merge; a missing output or a failure is a problem in one sentence, with the merge's last words. */
    private static void run(List<String> cmd, Path output, Path outputLines, String what, List<String> problems)
            throws IOException, InterruptedException {
        LoadgenRun merge = LoadgenRun.start(cmd, output.getParent(), MERGE_LIMIT);
        OptionalInt exit = merge.awaitExit(MERGE_LIMIT);
        merge.writeOutput(outputLines);
        if (exit.isEmpty()) problems.add("loadgen " + what + " of the agents' files had not finished within " + MERGE_LIMIT.toSeconds() + " s; killed");
        else if (!Files.isRegularFile(output)) {
            problems.add("loadgen " + what + " of the agents' files wrote no " + output.getFileName() + " (exit status " + exit.getAsInt() + ")"
                    + BenchmarkRun.lastLines(merge.output()));
        }
    }

    /** Agent {@code i}'s file beside {@code file}: {@code STEM.loadgen.json} → {@code STEM-a2.loadgen.json}. */
    static Path agentFile(Path file, String suffix, int i) {
        return agentFile(file, suffix, i, suffix);
    }

    /** Agent {@code i}'s file beside {@code file} with another suffix ({@code STEM-a2.sent}); agent 0: the repetition's own ({@code STEM.merge.txt}). */
    static Path agentFile(Path file, String suffix, int i, String newSuffix) {
        String name = file.getFileName().toString();
        if (!name.endsWith(suffix)) throw new IllegalArgumentException(name + " does not end with " + suffix);
        return file.resolveSibling(name.substring(0, name.length() - suffix.length()) + (i == 0 ? "" : "-a" + i) + newSuffix);
    }
}
