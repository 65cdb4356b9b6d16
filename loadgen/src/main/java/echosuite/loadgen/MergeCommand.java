package echosuite.loadgen;

import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import echosuite.cli.UsageError;
import echosuite.report.LoadReport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code loadgen merge}: one distribution from the {@code .hlog} files of several load generator
 * processes (several machines), by adding their histograms; or ({@code --json}) one report from
 * the {@code --json} reports of the agents of one run ({@link AgentMerge}). Percentiles are never
 * averaged: the p99 of two runs is not the mean of their p99s.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = echosuite.cli.Version.class,
        name = "merge", sortOptions = false,
        description = {"Adds up the interval histograms of several .hlog files (e.g. one per load generator process driving one server) and writes the percentile distribution of the sum: histogram addition, never averaged percentiles.",
                "With --json: merges the --json reports of the N agents of one run (--agent I/N) into one report of the same schema: their .hlog histograms added, percentiles computed from the sum, counts and rates summed, each agent's figures and clock offset listed; checks the server's log against all agents' --sent files together with --log."},
        footerHeading = "%nExamples:%n",
        footer = {"  loadgen merge a.hlog b.hlog --out all.hgrm",
                "  loadgen merge a.hlog b.hlog --tag service --out service.hgrm",
                "  loadgen merge --json all.json a.json b.json",
                "  loadgen merge --json all.json --log /tmp/echomsg.txt a.json b.json"})
final class MergeCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE",
            description = "Interval logs written with --hlog (with --out), or the agents' reports written with --json (with --json).")
    List<Path> files;

    @Option(names = "--out", paramLabel = "FILE.hgrm", description = "The merged percentile distribution of the .hlog files (values in µs).")
    Path out;

    @Option(names = "--tag", paramLabel = "TAG",
            description = "With --out: merge the intervals with this tag (service, connect, firstEcho; warmup...) instead of the untagged main latency.")
    String tag;

    @Option(names = "--json", paramLabel = "OUT.json",
            description = "Merge the agents' reports FILE... (each names its .hlog, and with --log its --sent file) into this report.")
    Path json;

    @Option(names = "--log", paramLabel = "FILE",
            description = "With --json: check the server's log FILE against the messages of all agents together (their --sent files), as --verify-log does for one run.")
    Path log;

    @Option(names = {"-q", "--quiet"}, description = "With --json: no summary; only errors.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        checkOptions();
        return json != null ? mergeReports() : mergeLogs();
    }

    /** Throws a {@link UsageError} for options that do not go together; reads no file. */
    void checkOptions() {
        if (json == null && out == null) {
            throw new UsageError("give --out FILE.hgrm to add .hlog files, or --json OUT.json to merge agents' --json reports.");
        }
        if (json != null && out != null) throw new UsageError("--out adds .hlog files and --json merges agents' reports: give one of them.");
        if (json == null && log != null) throw new UsageError("--log checks a log against agents' reports: it goes with --json.");
        if (json != null && tag != null) throw new UsageError("--tag goes with --out; --json merges every histogram of the reports.");
    }

    private int mergeLogs() throws IOException {
        Histogram sum;
        try {
            sum = HistogramFiles.merge(files, tag);
        } catch (IOException e) {
            throw new UsageError(e.getMessage() + ".");
        }
        HistogramFiles.writeHgrm(sum, out);
        System.out.println("merged " + files.size() + " log" + (files.size() == 1 ? "" : "s") + " into " + out + ": "
                + RunReport.latencyLine(sum));
        return ExitStatus.OK;
    }

    private int mergeReports() throws IOException, InterruptedException {
        AgentMerge.Result m;
        try {
            m = AgentMerge.merge(files, log);
        } catch (IOException e) {
            throw new UsageError(e.getMessage() + (e.getMessage() != null && e.getMessage().endsWith(".") ? "" : "."));
        }
        LoadReport r = m.report();
        r.write(json);
        if (!quiet) {
            StringBuilder s = new StringBuilder();
            s.append(String.format(Locale.ROOT, "merged %d agents' reports (%s) into %s%n", r.agentRun().agents(), r.setup().scenario(), json));
            s.append(String.format(Locale.ROOT, "  messages   %,d in all = %,.0f msgs/s (the agents' sums)%n",
                    r.throughput().messages(), r.throughput().messagesPerSecond()));
            s.append("  latency    ").append(RunReport.latencyLine(m.latency(), Boolean.TRUE.equals(r.latency().tailIsLowerBound())))
                    .append("  (the agents' histograms added)\n");
            for (LoadReport.AgentFigures a : r.agentRun().agentFigures()) {
                s.append(String.format(Locale.ROOT, "  agent %-4d %,d messages = %,.0f msgs/s, p50 %s µs, p99 %s µs, started %s ms after --start-at (%s)%n",
                        a.agent(), a.messages(), a.messagesPerSecond(), a.p50Us(), a.p99Us(), a.clockOffsetMs(), a.report()));
            }
            s.append("  errors     ").append(r.errorCount() == 0 ? "none" : r.errorCounts().errors().toString()).append('\n');
            if (m.log() != null) s.append("  log        ").append(m.log().toString().replace("\n", "\n             ")).append('\n');
            System.out.print(s);
            System.out.flush();
        } else if (r.exitStatus() != ExitStatus.OK) {
            System.err.println("loadgen merge: exit status " + r.exitStatus() + (m.log() != null && !m.log().ok()
                    ? "; " + m.log().toString().lines().findFirst().orElse("") : ": an agent had errors"));
        }
        return r.exitStatus();
    }
}
