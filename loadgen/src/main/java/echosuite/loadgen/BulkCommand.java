package echosuite.loadgen;

import echosuite.report.LoadReport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;

/** {@code loadgen bulk}: large messages at full speed, several in flight per connection. */
@Command(mixinStandardHelpOptions = true, versionProvider = echosuite.cli.Version.class,
        name = "bulk", sortOptions = false,
        description = "Large messages (default 64 KiB) at full speed, up to --window messages in flight per connection: bandwidth each way, and a test of the server's backpressure.",
        footerHeading = "%nExamples:%n",
        footer = {"  loadgen bulk -c 4 -d 10 127.0.0.1:9190",
                "  loadgen bulk -c 1 -s 65536 --window 16 --json bulk.json 127.0.0.1:9190"})
final class BulkCommand extends ScenarioCommand {

    @Option(names = "--window", paramLabel = "N", defaultValue = "4",
            description = "Messages in flight per connection (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = {"-n", "--count"}, paramLabel = "N", defaultValue = "0",
            description = "Stop after N messages in all; 0 = run for the duration (default: ${DEFAULT-VALUE}).")
    long count;

    @Override
    String problem() {
        if (window < 1) return "--window must be at least 1, got " + window + ".";
        return count < 0 ? "-n/--count must not be negative." : null;
    }

    @Override
    Workload.Factory factory(RunConfig config) {
        return ClosedLoop.factory(config.connections(), window, options.share().messages(count, options.connections));
    }

    @Override
    List<String> summaryLines(RunResult r) {
        return List.of(String.format(Locale.ROOT, "bandwidth  %.1f MiB/s sent, %.1f MiB/s received (window %d messages per connection)",
                LoadReport.mibPerSecond(r.bytesSentInWindow, r.windowSeconds),
                LoadReport.mibPerSecond(r.bytesReceivedInWindow, r.windowSeconds), window));
    }

    @Override
    LoadReport withOwnFigures(LoadReport report, RunResult r) {
        return report.with(new LoadReport.Bulk(window));
    }
}
