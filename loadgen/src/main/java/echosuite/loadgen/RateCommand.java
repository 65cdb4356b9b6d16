package echosuite.loadgen;

import echosuite.report.LoadReport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;

/** {@code loadgen rate}: the open loop at a fixed rate, latency corrected for coordinated omission. */
@Command(mixinStandardHelpOptions = true, versionProvider = echosuite.cli.Version.class,
        name = "rate", sortOptions = false,
        description = "Open loop: messages go out at fixed intended times, R per second in all, spread evenly over the connections. Latency is counted from each message's intended send time (coordinated omission corrected, as wrk2 does); the service time from the actual write is reported beside it.",
        footerHeading = "%nExamples:%n",
        footer = {"  loadgen rate -R 50000 -c 16 -d 10 127.0.0.1:9190",
                "  loadgen rate -R 20000 -c 4 --pipeline 8 --hlog rate.hlog --json rate.json 127.0.0.1:9190"})
final class RateCommand extends ScenarioCommand {

    @Option(names = {"-R", "--rate"}, paramLabel = "MSGS_PER_S", required = true,
            description = "Messages per second, all connections together.")
    double rate;

    @Option(names = "--pipeline", paramLabel = "N", defaultValue = "1",
            description = "Messages a connection may have in flight; 1 = like wrk2, a late echo delays that connection's next message"
                    + " (the delay is counted) (default: ${DEFAULT-VALUE}).")
    int pipeline;

    @Override
    String problem() {
        return problem(rate, pipeline);
    }

    static String problem(double rate, int pipeline) {
        if (!(rate > 0)) return "-R/--rate must be more than 0 messages per second.";
        if (pipeline < 1) return "--pipeline must be at least 1, got " + pipeline + ".";
        return null;
    }

    @Override
    Workload.Factory factory(RunConfig config) {
        AgentShare a = options.share();
        return OpenLoop.factory(config.connections(), a.rate(rate, options.connections), pipeline, (long) (1e9 * (a.index() - 1) / rate));
    }

    @Override
    List<String> summaryLines(RunResult r) {
        return lines(r, options.share().rate(rate, options.connections), pipeline);
    }

    static List<String> lines(RunResult r, double rate, int pipeline) {
        return List.of(
                String.format(Locale.ROOT, "           (messages and latency by each message's intended send time: target %,.0f msgs/s, pipeline %d)", rate, pipeline),
                "service    " + RunReport.latencyLine(r.measured[Metric.SERVICE.ordinal()]) + "  (from the actual write: not corrected)",
                String.format(Locale.ROOT, "not sent   %,d messages came due on failed connections", r.count("messagesNotSent")));
    }

    @Override
    LoadReport withOwnFigures(LoadReport report, RunResult r) {
        return report.with(figures(r, options.share().rate(rate, options.connections), pipeline));
    }

    static LoadReport.Rate figures(RunResult r, double rate, int pipeline) {
        return new LoadReport.Rate(rate, pipeline, RunReport.percentiles(r.measured[Metric.SERVICE.ordinal()]),
                r.count("messagesNotSent"));
    }
}
