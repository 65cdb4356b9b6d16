package echosuite.loadgen;

import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code loadgen merge}: one distribution from the {@code .hlog} files of several load generator
 * processes (several machines), by adding their histograms. Percentiles are never averaged: the
 * p99 of two runs is not the mean of their p99s.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = echosuite.cli.Version.class,
        name = "merge", sortOptions = false,
        description = "Adds up the interval histograms of several .hlog files (e.g. one per load generator process driving one server) and writes the percentile distribution of the sum: histogram addition, never averaged percentiles.",
        footerHeading = "%nExamples:%n",
        footer = {"  loadgen merge a.hlog b.hlog --out all.hgrm",
                "  loadgen merge a.hlog b.hlog --tag service --out service.hgrm"})
final class MergeCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE.hlog", description = "Interval logs written with --hlog.")
    List<Path> logs;

    @Option(names = "--out", paramLabel = "FILE.hgrm", required = true, description = "The merged percentile distribution (values in µs).")
    Path out;

    @Option(names = "--tag", paramLabel = "TAG",
            description = "Merge the intervals with this tag (service, connect, firstEcho; warmup...) instead of the untagged main latency.")
    String tag;

    @Override
    public Integer call() throws Exception {
        Histogram sum;
        try {
            sum = HistogramFiles.merge(logs, tag);
        } catch (java.io.IOException e) {
            throw new echosuite.cli.UsageError(e.getMessage() + ".");
        }
        HistogramFiles.writeHgrm(sum, out);
        System.out.println("merged " + logs.size() + " log" + (logs.size() == 1 ? "" : "s") + " into " + out + ": "
                + RunReport.latencyLine(sum));
        return ExitStatus.OK;
    }
}
