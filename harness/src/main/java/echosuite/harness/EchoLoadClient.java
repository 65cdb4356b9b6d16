package echosuite.harness;

import echosuite.report.LoadReport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The anchors' C client {@code echo_load} as the client (../shared/anchors/README.md), for
 * measuring the load generator against it and for the anchors' own kind of figures: closed loop
 * ({@code pingpong}) and churn with one message per connection, one load thread for the closed
 * loop as the anchors' measurements used. It prints one line ({@link EchoLoadLine}), which is
 * turned into the load generator's JSON form. It keeps no record of what it sent, so the server's
 * log is checked by its record count alone, once the server has stopped and so has logged
 * everything: as many records as {@code sent_total}.
 *
 * @param program the echo_load binary
 */
record EchoLoadClient(Path program) implements LoadClient {

    @Override
    public String name() {
        return "echo_load";
    }

    @Override
    public List<String> command() {
        return List.of(program.toString());
    }

    @Override
    public String cannotRun(Scenario scenario) {
        if (scenario.kind() == ScenarioKind.PINGPONG) return null;
        if (scenario.kind() == ScenarioKind.CHURN && scenario.rate() == 0) return null;
        return "echo_load runs closed-loop pingpong and unpaced churn only, not " + scenario.id() + "; run that one with --client loadgen.";
    }

    @Override
    public List<String> commandFor(Scenario scenario, LoadClient.Outputs files, Path serverLog, String address) {
        int colon = address.lastIndexOf(':');
        List<String> cmd = new ArrayList<>(List.of(program.toString(), "-h", address.substring(0, colon),
                "-p", address.substring(colon + 1), "-c", Integer.toString(scenario.connections()),
                "-s", Integer.toString(scenario.messageBytes()), "-d", Integer.toString(scenario.durationSeconds()),
                "-w", Integer.toString(scenario.warmupSeconds())));
        if (scenario.kind() == ScenarioKind.CHURN) cmd.add("-C");
        else cmd.addAll(List.of("-t", "1"));
        return cmd;
    }

    @Override
    public void complete(LoadClient.Outputs files, Path serverLog, String address, List<String> output, List<String> problems) throws IOException {
        String line = output.reversed().stream().filter(l -> l.startsWith("mode=")).findFirst().orElse(null);
        if (line == null) {
            problems.add("echo_load printed no result line" + BenchmarkRun.lastLines(output));
            return;
        }
        EchoLoadLine result;
        try {
            result = EchoLoadLine.parse(line);
        } catch (IllegalArgumentException e) {
            problems.add("echo_load's output was unreadable: " + e.getMessage());
            return;
        }
        LoadReport.LogCheck logCheck = null;
        if (Files.isRegularFile(serverLog)) {
            long records = records(serverLog);
            logCheck = new LoadReport.LogCheck(records == result.sentTotal(), String.format(Locale.ROOT,
                    "%,d records logged, %,d messages sent: %s (a count only: echo_load keeps no record of what it sent, so the"
                    + " records' contents and order are not checked)", records, result.sentTotal(),
                    records == result.sentTotal() ? "as many" : "NOT as many"));
        }
        result.toReport(address, logCheck).write(files.json());
    }

    /** Records in a log: its newlines (every record ends with one, protocol.md). */
    static long records(Path log) throws IOException {
        long n = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(log)) {
            for (int r; (r = in.read(buf)) > 0; ) {
                for (int i = 0; i < r; i++) if (buf[i] == '\n') n++;
            }
        }
        return n;
    }
}
