package echosuite.loadgen;

import echosuite.report.Units;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Once a second, takes the interval histograms of every I/O thread's recorders, adds them up,
 * writes the sum to the {@code .hlog} (one interval per second and metric, warm-up intervals
 * tagged {@code warmup…}), adds it to the run's totals and prints the progress line. It runs on its
 * own thread, so the I/O threads never wait for it (the recorders swap buffers without locks).
 */
final class IntervalSampler implements Runnable {

    /**
     * Where the sampler's output goes.
     *
     * @param hlog      the interval log file, or null
     * @param progress  where to print a progress line each second, or null for none
     * @param countName what the main metric counts per second in the progress line ("msgs/s")
     * @param comment   a line describing the run, written at the top of the .hlog
     */
    record Output(Path hlog, PrintStream progress, String countName, String comment) {
        static Output none() {
            return new Output(null, null, "msgs/s", "");
        }
    }

    static final long INTERVAL_NS = 1_000_000_000L;

    private final Engine engine;
    private final List<ThreadRecorders> recorders;
    private final Output output;
    private final long startNs;
    private final long startEpochMs;
    private final CountDownLatch done = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Histogram[] measured = new Histogram[Metric.values().length];
    private final Histogram[] warmup = new Histogram[Metric.values().length];
    private final Histogram interval = ThreadRecorders.newHistogram();
    private HistogramLogWriter writer;
    private IOException writeFailure;
    private long intervalStartNs;

    IntervalSampler(Engine engine, List<ThreadRecorders> recorders, Output output, long startNs, long startEpochMs) {
        this.engine = engine;
        this.recorders = recorders;
        this.output = output;
        this.startNs = startNs;
        this.startEpochMs = startEpochMs;
        this.intervalStartNs = startNs;
        for (Metric m : Metric.values()) {
            measured[m.ordinal()] = ThreadRecorders.newHistogram();
            warmup[m.ordinal()] = ThreadRecorders.newHistogram();
        }
    }

    @Override
    public void run() {
        try {
            if (output.hlog() != null) {
                writer = new HistogramLogWriter(output.hlog().toFile());
                writer.outputComment("echosuite loadgen: " + output.comment());
                writer.outputComment("values in nanoseconds; untagged = " + Metric.LATENCY.name().toLowerCase()
                        + ", tags: warmup*, service, connect, firstEcho");
                writer.outputLogFormatVersion();
                writer.outputStartTime(startEpochMs);
                writer.setBaseTime(startEpochMs);
                writer.outputBaseTime(startEpochMs);
                writer.outputLegend();
            }
            long next = startNs + INTERVAL_NS;
            while (!done.await(Math.max(0, next - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                sample(next);
                next += INTERVAL_NS;
            }
            sample(System.nanoTime());
        } catch (IOException e) {
            writeFailure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (writer != null) writer.close();
            finished.countDown();
        }
    }

    /** Takes the last interval and returns when the sampler has written everything. */
    void finish() throws InterruptedException, IOException {
        done.countDown();
        finished.await();
        if (writeFailure != null) throw writeFailure;
    }

    Histogram[] measuredTotals() {
        return measured;
    }

    Histogram[] warmupTotals() {
        return warmup;
    }

    private void sample(long endNs) {
        double from = (intervalStartNs - startNs) / 1e9, to = (endNs - startNs) / 1e9;
        long count = 0;
        for (Metric m : Metric.values()) {
            for (boolean inWindow : new boolean[] {false, true}) {
                interval.reset();
                for (ThreadRecorders r : recorders) interval.add(r.takeInterval(m, inWindow));
                (inWindow ? measured : warmup)[m.ordinal()].add(interval);
                if (m == Metric.LATENCY) count += interval.getTotalCount();
                if (writer != null && (interval.getTotalCount() > 0 || (m == Metric.LATENCY && inWindow))) {
                    interval.setTag(inWindow ? m.tag : m.warmupTag());
                    writer.outputIntervalHistogram(from, to, interval, 1e6);
                }
            }
        }
        if (output.progress() != null) printProgress(to, count / Math.max(1e-9, to - from));
        intervalStartNs = endNs;
    }

    private void printProgress(double elapsed, double perSecond) {
        Engine.Window w = engine.window();
        long now = System.nanoTime();
        String phase = engine.startLine() == null ? "connecting" : w == null || now < w.opens() ? "warm-up"
                : now < w.closes() ? "measuring" : "draining";
        Histogram sofar = measured[Metric.LATENCY.ordinal()].getTotalCount() > 0
                ? measured[Metric.LATENCY.ordinal()] : warmup[Metric.LATENCY.ordinal()];
        String p99 = sofar.getTotalCount() == 0 ? "-" : Units.latency(sofar.getValueAtPercentile(99));
        output.progress().printf("%7.1f s  %-10s %,10.0f %s  p99 %s so far  open %,d  errors %,d%n",
                elapsed, phase, perSecond, output.countName(), p99, engine.openConnections(), engine.errorsSoFar());
        output.progress().flush();
    }
}
