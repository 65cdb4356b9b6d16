package echosuite.loadgen;

import echosuite.cli.UsageError;
import echosuite.logcheck.LogVerifier;
import echosuite.report.LoadReport;
import echosuite.report.Units;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
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
        warnIfStartAtPassed();
        RunConfig config = options.toConfig(spec.name());
        RunResult r = run(config, factory(config), options.hlog);
        return finish(List.of(r), r);
    }

    final void checkOptions() {
        String p = options.problem();
        if (p == null) p = problem();
        if (p != null) throw new UsageError(p);
    }

    /** A run started this much after {@code --start-at} (its connect phase ended late) says so on stderr. */
    static final double LATE_START_WARNING_MS = 10.0;

    /** Whether --start-at had passed when the command began (then it said so already). */
    private boolean startAtPassed;

    /** {@code --start-at} already past: the run starts once its connections are open, and says so. */
    final void warnIfStartAtPassed() {
        if (options.startAtEpochMs == null) return;
        long ago = System.currentTimeMillis() - options.startAtEpochMs;
        startAtPassed = ago > 0;
        if (ago > 0) {
            System.err.println("loadgen " + spec.name() + ": --start-at " + options.startAtEpochMs + " was " + Units.duration(ago * 1_000_000L)
                    + " ago: starting as soon as the connections are open (clockOffsetMs in the report says how late).");
        }
    }

    /** The report's {@link LoadReport.Agents} group for {@code --agent} / {@code --start-at}, or null. */
    final LoadReport.Agents agentGroup(RunResult r) {
        if (options.agent == null && options.startAtEpochMs == null) return null;
        AgentShare a = options.agent == null ? null : options.share();
        Long started = r.startedAtEpochNs == 0 ? null : r.startedAtEpochNs / 1_000_000L;
        Double offset = started == null || options.startAtEpochMs == null ? null
                : LoadReport.round((r.startedAtEpochNs - options.startAtEpochMs * 1_000_000L) / 1e6, 3);
        return new LoadReport.Agents(a == null ? null : a.index(), a == null ? null : a.count(), options.startAtEpochMs, started, offset, null);
    }

    /** The summary's line on the agent's share and start, or null. */
    private String agentLine(RunResult r, LoadReport.Agents g) {
        if (g == null) return null;
        String who = g.agent() == null ? "" : String.format(Locale.ROOT, "%d of %d: %,d of the %,d connections, ids %d + %d·k; ",
                g.agent(), g.agents(), r.config.connections(), options.connections, r.config.firstConnectionId(), r.config.idStride());
        String when = g.clockOffsetMs() == null ? "it never reached its start line"
                : String.format(Locale.ROOT, "started %.3f ms after --start-at %d by this host's clock", g.clockOffsetMs(), g.startAtEpochMs());
        return "agent      " + who + when;
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
        LoadReport.Agents agents = agentGroup(r);
        if (agents != null && !startAtPassed && agents.clockOffsetMs() != null && agents.clockOffsetMs() > LATE_START_WARNING_MS) {
            System.err.printf(Locale.ROOT, "loadgen %s: started %.1f ms after --start-at: the connect phase ended only then.%n",
                    spec.name(), agents.clockOffsetMs());
        }
        if (!options.quiet) {
            List<String> lines = new ArrayList<>(summaryLines(r));
            String agentLine = agentLine(r, agents);
            if (agentLine != null) lines.add(agentLine);
            System.out.print(RunReport.summary(r, target, lines, log));
            System.out.flush();
        } else if (status != ExitStatus.OK) {
            System.err.println("loadgen " + spec.name() + ": errors: " + RunReport.errorsLine(r)
                    + (log != null && !log.ok() ? "; " + log.toString().lines().findFirst().orElse("") : ""));
        }
        if (options.json != null) {
            LoadReport report = withOwnFigures(RunReport.report(r, spec, target, log, status), r);
            (agents == null ? report : report.with(agents)).write(options.json);
        }
        if (options.sent != null) SentManifest.write(sent, options.sent, r.config.messageBytes());
        if (options.hgrm != null) HistogramFiles.writeHgrm(r.latency(), options.hgrm);
        return status;
    }

    private boolean progressWanted(RunConfig c) {
        if (options.quiet || c.warmupNs() + c.durationNs() <= 3_000_000_000L) return false;
        return options.progress || (System.console() != null && System.console().isTerminal());
    }
}
