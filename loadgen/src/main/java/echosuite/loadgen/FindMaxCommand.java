package echosuite.loadgen;

import echosuite.logcheck.LogVerifier;
import echosuite.report.LoadReport;
import echosuite.report.Units;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code loadgen find-max}: the highest rate whose corrected p99 stays under the SLO. */
@Command(mixinStandardHelpOptions = true, versionProvider = echosuite.cli.Version.class,
        name = "find-max", sortOptions = false,
        description = "Searches the highest rate whose coordinated-omission-corrected p99 stays under --slo, by a bounded series of rate runs (-d each, after --warmup): doubling from --start-rate until a run fails, then bisecting to within --precision. The summary, JSON, --hlog and --hgrm are those of the best passing run.",
        footerHeading = "%nExamples:%n",
        footer = {"  loadgen find-max -c 16 --slo 1ms 127.0.0.1:9190",
                "  loadgen find-max -c 16 --slo 500us --start-rate 10000 --max-steps 8 --json max.json 127.0.0.1:9190"})
final class FindMaxCommand extends ScenarioCommand {

    @Option(names = "--slo", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "1ms",
            description = "The corrected p99 must be under this, e.g. 1ms or 500us (default: ${DEFAULT-VALUE}).")
    long sloNs;

    @Option(names = "--start-rate", paramLabel = "MSGS_PER_S", defaultValue = "1000",
            description = "The first rate tried (default: ${DEFAULT-VALUE}).")
    double startRate;

    @Option(names = "--max-rate", paramLabel = "MSGS_PER_S", defaultValue = "10000000",
            description = "The highest rate tried (default: ${DEFAULT-VALUE}).")
    double maxRate;

    @Option(names = "--max-steps", paramLabel = "N", defaultValue = "12",
            description = "The most rate runs in the search (default: ${DEFAULT-VALUE}).")
    int maxSteps;

    @Option(names = "--precision", paramLabel = "FRACTION", defaultValue = "0.05",
            description = "Stop when the highest passing and the lowest failing rate are this close, relatively (default: ${DEFAULT-VALUE}).")
    double precision;

    @Option(names = "--pipeline", paramLabel = "N", defaultValue = "1",
            description = "Messages a connection may have in flight, as for rate (default: ${DEFAULT-VALUE}).")
    int pipeline;

    private List<RateSearch.Step> steps = List.of();
    private RateSearch.Step best;

    @Override
    String problem() {
        if (options.agent != null) return "find-max does not take --agent: each agent's search would go its own way; run rate agents at the rates to try.";
        if (options.startAtEpochMs != null) return "find-max does not take --start-at: its rate runs follow one another, only the first could start then.";
        if (sloNs <= 0) return "--slo must be more than 0.";
        if (maxSteps < 1) return "--max-steps must be at least 1.";
        if (!(precision > 0 && precision < 1)) return "--precision must be between 0 and 1.";
        if (!(maxRate >= startRate)) return "--max-rate must be at least --start-rate.";
        return RateCommand.problem(startRate, pipeline);
    }

    @Override
    Workload.Factory factory(RunConfig config) {
        throw new UnsupportedOperationException("find-max runs rate runs");
    }

    @Override
    public Integer call() throws Exception {
        checkOptions();
        RunConfig base = options.toConfig("find-max");
        List<Path> logs = new ArrayList<>();
        long[] nextId = {base.firstConnectionId()};
        RateSearch search = new RateSearch(sloNs, startRate, maxRate, maxSteps, precision);
        try {
            steps = search.search(rate -> {
                RunConfig config = base.withFirstConnectionId(nextId[0]);
                Path hlog = options.hlog == null ? null : Files.createTempFile("loadgen-find-max-", ".hlog");
                logs.add(hlog);
                if (!options.quiet) System.out.printf(Locale.ROOT, "find-max: trying %,.0f msgs/s ...%n", rate);
                RunResult r = run(config, OpenLoop.factory(config.connections(), rate, pipeline), hlog);
                nextId[0] += r.connectionsOpened;
                return r;
            });
            best = RateSearch.best(steps);
            RateSearch.Step shown = best != null ? best : steps.getLast();
            if (options.hlog != null) Files.copy(logs.get(steps.indexOf(shown)), options.hlog, StandardCopyOption.REPLACE_EXISTING);
            List<RunResult> all = steps.stream().map(RateSearch.Step::result).toList();
            return finish(all, shown.result());
        } finally {
            for (Path p : logs) if (p != null) Files.deleteIfExists(p);
        }
    }

    @Override
    int status(RunResult shown, LogVerifier.Report log) {
        int worst = ExitStatus.OK;
        for (RateSearch.Step s : steps) {
            int st = ExitStatus.of(s.result(), null);
            if (st == ExitStatus.DATA_ERRORS || (st == ExitStatus.COULD_NOT_RUN && s.result().failure != null)) worst = st;
        }
        if (log != null && !log.ok()) worst = ExitStatus.DATA_ERRORS;
        if (steps.getFirst().result().messagesSent == 0 && worst == ExitStatus.OK) worst = ExitStatus.COULD_NOT_RUN;
        return worst;
    }

    @Override
    List<String> summaryLines(RunResult r) {
        List<String> lines = new ArrayList<>();
        lines.add(best == null
                ? "find-max   no rate tried met the SLO (p99 under " + Units.latency(sloNs) + "); figures above: the last run"
                : String.format(Locale.ROOT, "find-max   %,.0f msgs/s is the highest rate tried with p99 under %s (figures above: that run)",
                best.rate(), Units.latency(sloNs)));
        for (RateSearch.Step s : steps) {
            lines.add(String.format(Locale.ROOT, "  step     %,12.0f msgs/s  p99 %-10s %s", s.rate(),
                    s.result().latency().getTotalCount() == 0 ? "-" : Units.latency(s.result().latency().getValueAtPercentile(99)),
                    s.passed() ? "pass" : "FAIL: " + s.verdict()));
        }
        lines.addAll(RateCommand.lines(r, best == null ? steps.getLast().rate() : best.rate(), pipeline));
        return lines;
    }

    @Override
    LoadReport withOwnFigures(LoadReport report, RunResult r) {
        List<LoadReport.FindMax.Step> tried = new ArrayList<>();
        for (RateSearch.Step s : steps) {
            tried.add(new LoadReport.FindMax.Step(s.rate(), LoadReport.round(s.result().messagesPerSecond(), 3),
                    RunReport.percentiles(s.result().latency()), s.passed(), s.verdict()));
        }
        return report.with(RateCommand.figures(r, best == null ? steps.getLast().rate() : best.rate(), pipeline))
                .with(new LoadReport.FindMax(sloNs / 1000.0, best == null ? 0 : best.rate(), tried));
    }
}
