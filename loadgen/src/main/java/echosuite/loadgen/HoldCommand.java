package echosuite.loadgen;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;

import java.util.List;
import java.util.Locale;

/** {@code loadgen hold}: N idle connections, and a probe's latency while they are held. */
@Command(mixinStandardHelpOptions = true, versionProvider = echosuite.protocol.ServerRunner.Version.class,
        name = "hold", sortOptions = false,
        description = "Open -c idle connections (ramped at --connect-rate); each counts as established once the echo of its first message is back. While all are held, one more connection (the probe) plays ping-pong for -d: its latency is the main latency. Reports established and failed connections (with reasons) and this process's own memory.",
        footerHeading = "%nExamples:%n",
        footer = {"  loadgen hold -c 10000 -d 10 127.0.0.1:9190",
                "  loadgen hold -c 10000 --connect-rate 2000 --json hold.json 127.0.0.1:9190"})
final class HoldCommand extends ScenarioCommand {

    @Override
    Workload.Factory factory(RunConfig config) {
        return Hold.factory(config.connections());
    }

    @Override
    List<String> summaryLines(RunResult r) {
        long held = r.config.connections();
        long established = r.count("established");
        return List.of(
                String.format(Locale.ROOT, "held       %,d of %,d established (first echo back), %,d failed; the latency above is the probe's",
                        established, held, held - established),
                "connect    " + RunReport.latencyLine(r.measured[Metric.CONNECT.ordinal()]),
                String.format(Locale.ROOT, "memory     this load generator: %,d KiB resident at the end, %,d KiB at its peak",
                        r.rssKiB, r.peakRssKiB));
    }

    @Override
    void addJson(ObjectNode json, RunResult r) {
        long established = r.count("established");
        json.put("held", r.config.connections());
        json.put("established", established);
        json.put("failed", r.config.connections() - established);
        json.set(Metric.CONNECT.jsonKey, RunReport.percentiles(r.measured[Metric.CONNECT.ordinal()]));
    }
}
