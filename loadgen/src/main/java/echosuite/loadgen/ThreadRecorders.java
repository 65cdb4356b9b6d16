package echosuite.loadgen;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * The latency recorders of one I/O thread: for each {@link Metric}, one recorder for the warm-up
 * and one for the measured window. Each recorder has a single writer (its I/O thread), so the
 * cheaper {@link SingleWriterRecorder} variant of HdrHistogram's {@code Recorder} is used;
 * {@code recordValue} is wait-free. The range is fixed ({@value #HIGHEST_NS} ns, an hour; longer
 * values are recorded as an hour), so recording never resizes a histogram: nothing is allocated
 * per message. The {@link IntervalSampler} swaps the interval histograms out once a second from
 * its own thread.
 */
final class ThreadRecorders {

    /** HdrHistogram precision: 3 significant digits (values within 0.1 %). */
    static final int SIGNIFICANT_DIGITS = 3;
    /** The longest latency a histogram holds, ns (one hour). */
    static final long HIGHEST_NS = 3_600_000_000_000L;

    private final SingleWriterRecorder[] warmup = new SingleWriterRecorder[Metric.values().length];
    private final SingleWriterRecorder[] measured = new SingleWriterRecorder[Metric.values().length];
    private final Histogram[] warmupRecycle = new Histogram[Metric.values().length];
    private final Histogram[] measuredRecycle = new Histogram[Metric.values().length];

    ThreadRecorders() {
        for (Metric m : Metric.values()) {
            warmup[m.ordinal()] = new SingleWriterRecorder(1, HIGHEST_NS, SIGNIFICANT_DIGITS);
            measured[m.ordinal()] = new SingleWriterRecorder(1, HIGHEST_NS, SIGNIFICANT_DIGITS);
        }
    }

    /** Records {@code nanos} (clamped to 1 .. {@link #HIGHEST_NS}) for {@code metric}; called by the owning I/O thread only. */
    void record(Metric metric, boolean inMeasuredWindow, long nanos) {
        (inMeasuredWindow ? measured : warmup)[metric.ordinal()].recordValue(Math.clamp(nanos, 1, HIGHEST_NS));
    }

    /** An empty histogram of the recorders' range and precision. */
    static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_NS, SIGNIFICANT_DIGITS);
    }

    /** Swaps out and returns what was recorded since the last call; called by the sampler only. */
    Histogram takeInterval(Metric metric, boolean measuredWindow) {
        int i = metric.ordinal();
        if (measuredWindow) {
            Histogram h = measured[i].getIntervalHistogram(measuredRecycle[i]);
            measuredRecycle[i] = h;
            return h;
        }
        Histogram h = warmup[i].getIntervalHistogram(warmupRecycle[i]);
        warmupRecycle[i] = h;
        return h;
    }
}
