package echosuite.loadgen;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The HdrHistogram files: {@code .hgrm} percentile distributions (values in microseconds) and the
 * reading side of {@code .hlog} interval logs (written by {@link IntervalSampler}).
 */
final class HistogramFiles {

    /** .hlog values are nanoseconds; .hgrm values are microseconds. */
    static final double NANOS_PER_MICRO = 1000.0;

    private HistogramFiles() { }

    /** Writes {@code h}'s percentile distribution to {@code file}, values in µs. */
    static void writeHgrm(Histogram h, Path file) throws IOException {
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, java.nio.charset.StandardCharsets.UTF_8)) {
            h.outputPercentileDistribution(out, 5, NANOS_PER_MICRO);
        }
    }

    /**
     * Adds up every interval with tag {@code tag} (null: the untagged main latency) of every log:
     * histogram addition, so the result is exactly the histogram of all values recorded.
     */
    static Histogram merge(List<Path> logs, String tag) throws IOException {
        Histogram sum = new Histogram(ThreadRecorders.SIGNIFICANT_DIGITS);
        for (Path log : logs) {
            if (!Files.isReadable(log)) throw new IOException("cannot read " + log);
            HistogramLogReader reader = new HistogramLogReader(log.toFile());
            try {
                EncodableHistogram interval;
                while ((interval = reader.nextIntervalHistogram()) != null) {
                    if (!Objects.equals(interval.getTag(), tag)) continue;
                    if (!(interval instanceof Histogram h)) throw new IOException(log + " holds a histogram of doubles; loadgen logs hold integers");
                    sum.add(h);
                }
            } finally {
                reader.close();
            }
        }
        return sum;
    }
}
