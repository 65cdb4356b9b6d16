package echosuite.loadgen;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * The latency recorders of one I/O thread: for each {@link Metric}, one recorder for the warm-up
 * and one for the measured window. Each recorder has a single writer (its I/O thread), so the
 * cheaper {@link SingleWriterRecorder} variant of HdrHistogram's {@code Recorder} is used;
 * {@code recordValue} is wait-free and does not allocate (the histogram resizes, rarely, when a
 * value beyond its range first appears). The {@link IntervalSampler} swaps the interval
 * histograms out once a second from its own thread.
 */
final class ThreadRecorders {

    /** HdrHistogram precision: 3 significant digits (values within 0.1 %). */
    static final int SIGNIFICANT_DIGITS = 3;

    private final SingleWriterRecorder[] warmup = new SingleWriterRecorder[Metric.values().length];
    private final SingleWriterRecorder[] measured = new SingleWriterRecorder[Metric.values().length];
    private final Histogram[] warmupRecycle = new Histogram[Metric.values().length];
    private final Histogram[] measuredRecycle = new Histogram[Metric.values().length];

    ThreadRecorders() {
        for (Metric m : Metric.values()) {
            warmup[m.ordinal()] = new SingleWriterRecorder(SIGNIFICANT_DIGITS);
            measured[m.ordinal()] = new SingleWriterRecorder(SIGNIFICANT_DIGITS);
        }
    }

    /** Records {@code nanos} (clamped to at least 1) for {@code metric}; called by the owning I/O thread only. */
    void record(Metric metric, boolean inMeasuredWindow, long nanos) {
        (inMeasuredWindow ? measured : warmup)[metric.ordinal()].recordValue(Math.max(1, nanos));
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
