package echosuite.harness;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the load generator's {@code .hlog} interval logs back into one histogram, by histogram
 * addition (never by averaging percentiles). Only untagged intervals are the message latency; the
 * load generator tags its other histograms (connect time, service time, warm-up) and those are
 * left out.
 */
final class LatencyHistograms {

    private LatencyHistograms() { }

    /**
     * Adds every untagged interval of {@code hlog} into {@code into}.
     *
     * @return false if the file is missing
     */
    static boolean addLog(Path hlog, Histogram into) {
        if (!Files.isRegularFile(hlog)) return false;
        try (HistogramLogReader reader = new HistogramLogReader(hlog.toFile())) {
            EncodableHistogram h;
            while ((h = reader.nextIntervalHistogram()) != null) {
                if (h.getTag() != null) continue;
                if (h instanceof Histogram histogram) into.add(histogram);
                else throw new IOException(hlog + " holds double histograms; expected integer latencies");
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * How many histogram units make one µs, judged by comparing the histogram's median with the
     * median µs the load generator reported in its JSON: 1 if the log is in µs, 1000 if in ns.
     * Without a reported median, ns is assumed (HdrHistogram's own tools default to it).
     */
    static double unitsPerMicro(Histogram h, Double reportedP50Us) {
        if (reportedP50Us == null || reportedP50Us <= 0 || h.getTotalCount() == 0) return 1000;
        double ratio = h.getValueAtPercentile(50) / reportedP50Us;
        return ratio > 31.6 ? 1000 : 1;      // 31.6 = sqrt(1000), halfway between the two on a log scale
    }
}
