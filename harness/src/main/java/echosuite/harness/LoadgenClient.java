package echosuite.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The project's load generator as the client: every scenario, latency histograms, and its own check
 * of the server's log against what it sent ({@code --verify-log}; see {@link LoadgenRun}).
 *
 * @param command how to start it, e.g. {@code java -jar loadgen/target/loadgen.jar}
 */
record LoadgenClient(List<String> command) implements LoadClient {

    @Override
    public String name() {
        return "loadgen";
    }

    @Override
    public String cannotRun(Scenario scenario) {
        return null;
    }

    @Override
    public List<String> commandFor(Scenario scenario, Outputs files, Path serverLog, String address) {
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(scenario.loadgenArguments());
        cmd.addAll(List.of("--json", files.json().toString(), "--hlog", files.hlog().toString(), "--hgrm", files.hgrm().toString(),
                "--quiet", "--verify-log", serverLog.toString(), address));
        return cmd;
    }

    @Override
    public void complete(Outputs files, Path serverLog, String address, List<String> output, List<String> problems) {
        // The load generator wrote its JSON, verdict on the log included.
    }
}
