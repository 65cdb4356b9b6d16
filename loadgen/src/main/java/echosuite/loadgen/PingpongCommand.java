package echosuite.loadgen;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code loadgen pingpong}: the closed loop. */
@Command(mixinStandardHelpOptions = true, versionProvider = echosuite.cli.Version.class,
        name = "pingpong", sortOptions = false,
        description = "Closed loop: each connection sends one message, waits for its complete echo, sends the next. Latency: from the start of a message's write to its complete echo.",
        footerHeading = "%nExamples:%n",
        footer = {"  loadgen pingpong -c 16 -s 64 -d 10 --warmup 1 127.0.0.1:9190",
                "  loadgen pingpong -c 256 --threads 1 --json run.json --hlog run.hlog 127.0.0.1:9190",
                "  loadgen pingpong -c 8 -n 100000 --verify-log /tmp/echomsg.txt 127.0.0.1:9190"})
final class PingpongCommand extends ScenarioCommand {

    @Option(names = {"-n", "--count"}, paramLabel = "N", defaultValue = "0",
            description = "Stop after N messages in all (spread over the connections); 0 = run for the duration (default: ${DEFAULT-VALUE}).")
    long count;

    @Override
    String problem() {
        return count < 0 ? "-n/--count must not be negative." : null;
    }

    @Override
    Workload.Factory factory(RunConfig config) {
        return ClosedLoop.factory(config.connections(), 1, options.share().messages(count, options.connections));
    }
}
