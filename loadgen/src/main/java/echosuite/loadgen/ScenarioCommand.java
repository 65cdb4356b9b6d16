package echosuite.loadgen;

import echosuite.cli.UsageError;
import echosuite.logcheck.LogVerifier;
import echosuite.report.LoadReport;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * What every scenario command does: check the options, run the {@link Engine} with the
 * scenario's {@link Workload}, check the server's log if asked, print the summary, write the
 * files, and return the {@link ExitStatus}. A scenario supplies its workload and its own lines and
 * JSON keys.
 */
abstract class ScenarioCommand implements Callable<Integer> {

    @Mixin
    RunOptions options;

    @Spec
    CommandSpec spec;

    /** The scenario's workload for {@code config}. */
    abstract Workload.Factory factory(RunConfig config);

    /** A sentence describing a problem with the scenario's own options, or null. */
    String problem() {
        return null;
    }

    /** What the main metric counts, for the progress line. */
    String countName() {
        return "msgs/s";
    }

    /** The scenario's own summary lines (each "label      text"). */
    List<String> summaryLines(RunResult r) {
        return List.of();
    }

    /** The report with the scenario's own group added (none by default). */
    LoadReport withOwnFigures(LoadReport report, RunResult r) {
        return report;
    }

    /** The exit status of the command whose reported run is {@code r}. */
    int status(RunResult r, LogVerifier.Report log) {
        return ExitStatus.of(r, log);
    }

    @Override
    public Integer call() throws Exception {
        checkOptions();
        RunConfig config = options.toConfig(spec.name());
        RunResult r = run(config, factory(config), options.hlog);
        return finish(List.of(r), r);
    }

    final void checkOptions() {
        String p = options.problem();
        if (p == null) p = problem();
        if (p != null) throw new UsageError(p);
    }

    /** One run; Ctrl-C during it ends the measured window early and still reports. */
    final RunResult run(RunConfig config, Workload.Factory factory, Path hlog) throws IOException, InterruptedException {
        Engine engine = new Engine(config, factory);
        PrintStream progress = progressWanted(config) ? System.out : null;
        String comment = String.format(Locale.ROOT, "%s %s, %d connections, %d-byte messages", config.scenario(),
                options.targetText(), config.connections(), config.messageBytes());
        IntervalSampler.Output output = new IntervalSampler.Output(hlog, progress, countName(), comment);
        Signal interrupt = new Signal("INT");
        sun.misc.SignalHandler previous = Signal.handle(interrupt, s -> engine.requestStop());
        try {
            return engine.run(output);
        } finally {
            Signal.handle(interrupt, previous);
        }
    }

    /** Verifies the log if asked, reports, writes the files; returns the exit status. */
    final int finish(List<RunResult> sent, RunResult r) throws IOException, InterruptedException {
        LogVerifier.Report log = options.verifyLog == null ? null : LogCheck.verify(sent, options.verifyLog, options.logWaitNs);
        int status = status(r, log);
        String target = options.targetText();
        String limit = RunReport.warmupLimitWarning(r);
        if (limit != null) System.err.println("loadgen " + spec.name() + ": " + limit);
        if (!options.quiet) {
            System.out.print(RunReport.summary(r, target, summaryLines(r), log));
            System.out.flush();
        } else if (status != ExitStatus.OK) {
            System.err.println("loadgen " + spec.name() + ": errors: " + RunReport.errorsLine(r)
                    + (log != null && !log.ok() ? "; " + log.toString().lines().findFirst().orElse("") : ""));
        }
        if (options.json != null) {
            withOwnFigures(RunReport.report(r, spec, target, log, status), r).write(options.json);
        }
        if (options.hgrm != null) HistogramFiles.writeHgrm(r.latency(), options.hgrm);
        return status;
    }

    private boolean progressWanted(RunConfig c) {
        if (options.quiet || c.warmupNs() + c.durationNs() <= 3_000_000_000L) return false;
        return options.progress || (System.console() != null && System.console().isTerminal());
    }
}
