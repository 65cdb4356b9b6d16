package echosuite.loadgen;

import echosuite.report.LoadReport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code loadgen churn}: connect, k messages, close, repeat. */
@Command(mixinStandardHelpOptions = true, versionProvider = echosuite.cli.Version.class,
        name = "churn", sortOptions = false,
        description = "Connection churn: -c concurrent loops each connect, exchange -k messages ping-pong style, close (their end of stream, then the server's), and start over. Reports connections per second and the latency of connect, of the first echo and of the whole session (the main latency).",
        footerHeading = "%nExamples:%n",
        footer = {"  loadgen churn -c 4 -k 1 -d 10 127.0.0.1:9190",
                "  loadgen churn -c 4 --source-addresses 16 --json churn.json 127.0.0.1:9190"})
final class ChurnCommand extends ScenarioCommand {

    /**
     * The client side of a closed connection holds its port in TIME_WAIT; Linux on loopback lets a
     * new connection reuse it after about a second ({@code tcp_tw_reuse}), so one source address
     * manages about (local ports / 2) connections per second: ~14k/s with the default range.
     */
    static final double TIME_WAIT_REUSE_SECONDS = 2.0;
    /** Warn when a source address runs at this share of its cap. */
    static final double CAP_WARNING_SHARE = 0.8;

    @Option(names = {"-k", "--messages-per-session"}, paramLabel = "N", defaultValue = "1",
            description = "Messages per connection (default: ${DEFAULT-VALUE}).")
    int messagesPerSession;

    @Override
    String problem() {
        return messagesPerSession < 1 ? "-k/--messages-per-session must be at least 1." : null;
    }

    @Override
    String countName() {
        return "sessions/s";
    }

    @Override
    Workload.Factory factory(RunConfig config) {
        return Churn.factory(config.connections(), messagesPerSession);
    }

    @Override
    List<String> summaryLines(RunResult r) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "sessions   %,d in %.2f s = %,.0f connections/s (%d message%s each; the latency above is the whole session)",
                r.count("sessions"), r.windowSeconds, connectionsPerSecond(r), messagesPerSession, messagesPerSession == 1 ? "" : "s"));
        lines.add("connect    " + RunReport.latencyLine(r.measured[Metric.CONNECT.ordinal()]));
        lines.add("1st echo   " + RunReport.latencyLine(r.measured[Metric.FIRST_ECHO.ordinal()]) + "  (from connect)");
        double cap = capPerAddress();
        int addresses = Math.max(1, options.sourceAddresses);
        if (cap > 0 && connectionsPerSecond(r) / addresses >= CAP_WARNING_SHARE * cap) {
            lines.add(String.format(Locale.ROOT, "WARNING    %,.0f connections/s per source address is near the TIME_WAIT cap of about %,.0f/s"
                    + " per address here; more --source-addresses would lift it", connectionsPerSecond(r) / addresses, cap));
        }
        return lines;
    }

    @Override
    LoadReport withOwnFigures(LoadReport report, RunResult r) {
        return report.with(new LoadReport.Churn(messagesPerSession, r.count("sessions"),
                LoadReport.round(connectionsPerSecond(r), 3), RunReport.percentiles(r.measured[Metric.CONNECT.ordinal()]),
                RunReport.percentiles(r.measured[Metric.FIRST_ECHO.ordinal()]), options.sourceAddresses,
                Math.round(capPerAddress())));
    }

    private static double connectionsPerSecond(RunResult r) {
        return r.windowSeconds <= 0 ? 0 : r.count("sessions") / r.windowSeconds;
    }

    /** About how many connections per second one source address sustains here; 0 if unknown. */
    static double capPerAddress() {
        try {
            String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
            int ports = Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
            return ports / TIME_WAIT_REUSE_SECONDS;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
