package echosuite.harness;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples a server's process tree every {@link #PERIOD_MILLIS} ms for as long as the server runs,
 * keeping the whole time series (it is written to the run folder as CSV), and answers questions
 * about a window of it: peaks, and CPU time used between two moments.
 *
 * <p>Times are milliseconds since the monitor started. Besides the periodic samples, the harness
 * takes one at chosen moments ({@link #sampleNow}) such as just before and just after the load, so
 * that windows start and end on a real reading rather than up to 250 ms off.
 */
final class ResourceMonitor implements AutoCloseable {

    /** Sampling period, ms. */
    static final long PERIOD_MILLIS = 250;

    /** A sample and when it was taken, ms since the monitor started. */
    record Timed(long atMillis, ProcessTreeSample sample) { }

    private final ProcSampler sampler;
    private final long pid;
    private final long startNanos = System.nanoTime();
    /** The wall clock when the monitor started, to place another process's times on its clock. */
    private final long startEpochMillis = System.currentTimeMillis();
    private final List<Timed> samples = new ArrayList<>();
    private final ScheduledExecutorService timer;

    private ResourceMonitor(ProcSampler sampler, long pid) {
        this.sampler = sampler;
        this.pid = pid;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "proc-sampler-" + pid);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts sampling the tree rooted at {@code pid} now and every {@value #PERIOD_MILLIS} ms. */
    static ResourceMonitor start(ProcSampler sampler, long pid) {
        ResourceMonitor m = new ResourceMonitor(sampler, pid);
        m.timer.scheduleAtFixedRate(m::sampleNow, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        return m;
    }

    /** Takes a sample now, records it in the series and returns it. */
    Timed sampleNow() {
        ProcessTreeSample s = sampler.sample(pid);
        synchronized (samples) {
            Timed t = new Timed(nowMillis(), s);
            samples.add(t);
            return t;
        }
    }

    long nowMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** A wall-clock time (epoch ms, e.g. from the load generator's JSON) on the monitor's clock. */
    long millisAtEpoch(long epochMillis) {
        return epochMillis - startEpochMillis;
    }

    /** The samples so far, in time order. */
    List<Timed> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** Stops sampling; the series stays readable. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes the series as CSV: ms, processes, threads, fds, rss, pss (bytes), cpu (µs). */
    void writeCsv(Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write("ms,processes,threads,openFds,rssBytes,pssBytes,cpuMicros\n");
            for (Timed t : samples()) {
                ProcessTreeSample s = t.sample();
                w.write(t.atMillis() + "," + s.processes() + "," + s.threads() + "," + s.openFds() + ","
                        + s.rssBytes() + "," + s.pssBytes() + "," + s.cpuMicros() + "\n");
            }
        }
    }
}
