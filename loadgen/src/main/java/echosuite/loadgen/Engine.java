package echosuite.loadgen;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one scenario run: starts the {@link IoThread}s, lines them up once their connections are
 * open, fixes the time line (t0, then the measured window), samples their recorders each second
 * ({@link IntervalSampler}) and gathers everything into a {@link RunResult}. One engine per run.
 *
 * <p>The measured window of a scenario that {@linkplain Workload.Factory#warmsUpToFirstEchoes
 * warms up to first echoes} opens only when every connection open at t0 has had its first echo
 * (and {@code --warmup} has passed), or when {@code --warmup-limit} is reached, whichever comes
 * first: a server slow to accept is then measured in its steady state, not while it is still
 * taking its connections in. Hold with two levels opens it once it has held both
 * ({@link Workload.Factory#windowWaitsForWorkload}); other scenarios at t0 + {@code --warmup}.
 */
final class Engine {

    /**
     * The start line every I/O thread receives, all times nanoTime.
     *
     * @param t0               the run starts (connections are open)
     * @param warmupLimit      the measured window opens at the latest (when it waits for first echoes)
     * @param rankOffset       how many connections open at t0 belong to threads before this one
     * @param connectionsOpen  connections open at t0, all threads
     * @param openHere         connections open at t0 on this thread
     */
    record Start(long t0, long warmupLimit, long rankOffset, long connectionsOpen, int openHere) { }

    /**
     * The measured window, once fixed; nanoTime.
     *
     * @param opens            the measured window opens (the warm-up ends)
     * @param closes           the measured window closes; drain follows
     * @param awaitingAtOpen   connections open at t0 still without their first echo when it opened
     *                         (more than 0 only when the warm-up limit was reached)
     */
    record Window(long opens, long closes, long awaitingAtOpen) {
        boolean contains(long at) {
            return at >= opens && at < closes;
        }
    }

    /**
     * A window fixed by an I/O thread opens this long after the decision, so that another thread
     * that took its event time just before learning of it still counts that event as warm-up.
     */
    static final long WINDOW_NOTICE_NS = 1_000_000L;

    private final RunConfig config;
    private final Workload.Factory factory;
    private final ConnectPacer pacer;
    private final AtomicLong nextId;
    private final InetAddress[] sources;
    private final IoThread[] threads;
    private final Workload[] workloads;
    private final int[] openAtStart;
    private final Start[] starts;
    private final CyclicBarrier startLine;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicReference<Window> window = new AtomicReference<>();
    /** Connections open at t0 whose first echo has not come yet (nor have they closed). */
    private final AtomicLong awaitingFirstEcho = new AtomicLong();
    /** Of those, the ones that closed without a first echo. */
    private final AtomicLong closedWithoutFirstEcho = new AtomicLong();
    private final AtomicLong firstConnectAt = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastFirstEchoAt = new AtomicLong(Long.MIN_VALUE);
    private volatile boolean stop;
    private volatile Start firstStart;
    /** The wall clock at t0, ns since the epoch (0 until the start line). */
    private volatile long startedAtEpochNs;
    /** How long the start line waited for --start-at, ns: not part of the time to all first echoes. */
    private volatile long startAtWaitNs;

    Engine(RunConfig config, Workload.Factory factory) throws IOException {
        this.config = config;
        this.factory = factory;
        this.pacer = new ConnectPacer(config.connectRate());
        this.nextId = new AtomicLong();
        this.sources = sourceAddresses(config.sourceAddresses());
        int n = Math.max(1, Math.min(config.threads(), Math.max(1, Math.max(factory.initialConnections(), config.connections()))));
        this.threads = new IoThread[n];
        this.workloads = new Workload[n];
        this.openAtStart = new int[n];
        this.starts = new Start[n];
        this.startLine = new CyclicBarrier(n, this::fixTimeLine);
        for (int i = 0; i < n; i++) {
            threads[i] = new IoThread(i, this, config);
            workloads[i] = factory.create(threads[i], n);
            threads[i].setWorkload(workloads[i]);
        }
    }

    /** Runs to the end and returns the figures; {@code output} says where intervals and progress go. */
    RunResult run(IntervalSampler.Output output) throws IOException, InterruptedException {
        long startNs = System.nanoTime();
        long startEpochMs = System.currentTimeMillis();
        List<ThreadRecorders> recorders = new ArrayList<>();
        for (IoThread t : threads) recorders.add(t.recorders);
        IntervalSampler sampler = new IntervalSampler(this, recorders, output, startNs, startEpochMs);
        Thread samplerThread = Thread.ofPlatform().name("loadgen-sampler").daemon(true).start(sampler);
        Thread[] running = new Thread[threads.length];
        for (int i = 0; i < threads.length; i++) {
            running[i] = Thread.ofPlatform().name("loadgen-io-" + i).start(threads[i]);
        }
        for (Thread t : running) t.join();
        sampler.finish();
        samplerThread.join();
        return gather(sampler);
    }

    // ---- what I/O threads use ------------------------------------------------------------------

    ConnectPacer pacer() {
        return pacer;
    }

    long nextConnectionId() {
        return config.connectionId(nextId.getAndIncrement());
    }

    /** A connection attempt starts at {@code now}: the first one starts the time to all first echoes. */
    void connecting(long now) {
        if (firstConnectAt.get() == Long.MAX_VALUE) firstConnectAt.accumulateAndGet(now, Math::min);
    }

    /** Whether the window waits for the first echo of every connection open at the start. */
    boolean awaitsFirstEchoes() {
        return factory.warmsUpToFirstEchoes() && firstStart.connectionsOpen() > 0;
    }

    /** The measured window once fixed, else null (then the warm-up goes on). */
    Window window() {
        return window.get();
    }

    /** A connection awaited at t0 has had its first echo at {@code now}. */
    void firstEcho(long now) {
        lastFirstEchoAt.accumulateAndGet(now, Math::max);
        if (awaitingFirstEcho.decrementAndGet() == 0) openWindow();
    }

    /** A connection awaited at t0 will not have a first echo: it closed, or it has nothing to send. */
    void noFirstEcho(boolean closed) {
        if (closed) closedWithoutFirstEcho.incrementAndGet();
        if (awaitingFirstEcho.decrementAndGet() == 0) openWindow();
    }

    /** A workload is ready to be measured ({@link Workload.Factory#windowWaitsForWorkload}): the window opens. */
    void workloadReady() {
        openWindow();
    }

    /** The warm-up limit has passed (an I/O thread noticed): the window opens now, whoever still waits. */
    void warmupLimitReached() {
        openWindow();
    }

    /** The source address for connection {@code id}, or null to let the OS choose. */
    InetAddress sourceAddress(long id) {
        return sources == null ? null : sources[(int) (id % sources.length)];
    }

    /** Initial connections that thread {@code index} opens. */
    int initialShare(int index) {
        int n = factory.initialConnections();
        return n / threads.length + (index < n % threads.length ? 1 : 0);
    }

    /** Called by each I/O thread when its initial connections are open; returns when all are. */
    Start awaitStart(int index, int open) throws InterruptedException, BrokenBarrierException {
        openAtStart[index] = open;
        startLine.await();
        return starts[index];
    }

    boolean stopRequested() {
        return stop;
    }

    /** Ends the run early (Ctrl-C): the measured window closes now and the threads drain. */
    void requestStop() {
        stop = true;
    }

    void threadFailed(Throwable t) {
        failure.compareAndSet(null, t);
        stop = true;
        startLine.reset();
    }

    /** The start line once fixed, else null (for the progress line). */
    Start startLine() {
        return firstStart;
    }

    long openConnections() {
        long n = 0;
        for (IoThread t : threads) n += t.openConnections.get();
        return n;
    }

    long errorsSoFar() {
        long n = 0;
        for (IoThread t : threads) n += t.errors.total();
        return n;
    }

    // ---- internals -------------------------------------------------------------------------------

    /** Runs once, in the last thread to reach the start line. */
    private void fixTimeLine() {
        long waitFrom = System.nanoTime();
        awaitStartAt();
        long t0 = System.nanoTime();
        startAtWaitNs = t0 - waitFrom;
        startedAtEpochNs = epochNanos();
        long total = 0;
        for (int open : openAtStart) total += open;
        long offset = 0;
        for (int i = 0; i < threads.length; i++) {
            starts[i] = new Start(t0, t0 + config.warmupLimitNs(), offset, total, openAtStart[i]);
            offset += openAtStart[i];
        }
        firstStart = starts[0];
        if (total == 0 && factory.initialConnections() > 0) {
            window.set(new Window(t0, t0, 0));                          // nothing to run
        } else if (awaitsFirstEchoes()) {
            awaitingFirstEcho.set(total);                               // the threads open it
        } else if (!factory.windowWaitsForWorkload()) {                 // else a workload opens it
            long opens = t0 + config.warmupNs();
            window.set(new Window(opens, opens + config.durationNs(), 0));
        }
    }

    /**
     * {@code --start-at}: holds the start line (every connection is open and idle) until the wall
     * clock reads the common start time, so that agents on several hosts start their schedules
     * together; returns at once if it has passed, or when the run is stopped (Ctrl-C).
     */
    private void awaitStartAt() {
        if (config.startAtEpochMs() <= 0) return;
        long startAt = config.startAtEpochMs() * 1_000_000L;
        while (!stop) {
            long left = startAt - epochNanos();
            if (left <= 0) return;
            if (left > SPIN_BELOW_NS) LockSupport.parkNanos(Math.min(left - SPIN_BELOW_NS, 100_000_000L));
            else Thread.onSpinWait();
        }
    }

    /** The last this long of the wait for {@code --start-at} is spun: a parked thread wakes up to ~100 µs late. */
    private static final long SPIN_BELOW_NS = 200_000L;

    /** The wall clock, ns since the epoch (microsecond resolution on Linux). */
    static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** Fixes the window (once): at t0 + warm-up, or a moment from now if that has passed. */
    private void openWindow() {
        long opens = Math.max(firstStart.t0() + config.warmupNs(), System.nanoTime() + WINDOW_NOTICE_NS);
        Window w = new Window(opens, opens + config.durationNs(), Math.max(0, awaitingFirstEcho.get()));
        if (window.compareAndSet(null, w)) {
            for (IoThread t : threads) t.wakeUp();
        }
    }

    private RunResult gather(IntervalSampler sampler) {
        EnumMap<ErrorKind, Long> errors = new EnumMap<>(ErrorKind.class);
        Map<String, Long> reasons = new LinkedHashMap<>();
        Map<String, Long> counts = new LinkedHashMap<>();
        RunResult r = new RunResult(config);
        r.threads = threads.length;
        Start s = firstStart;
        Window w = window.get();
        long windowEnd = Long.MIN_VALUE;
        for (int i = 0; i < threads.length; i++) {
            IoThread t = threads[i];
            t.errors.addTo(errors, reasons);
            workloads[i].addCounts(counts);
            r.messages += t.echoesInWindow;
            r.messagesSent += t.messagesSent;
            r.messagesUnanswered += t.messagesUnanswered;
            r.unansweredInLatency += t.unansweredInWindow;
            r.bytesSent += t.bytesSent;
            r.bytesReceived += t.bytesReceived;
            r.bytesSentInWindow += t.bytesSentInWindow;
            r.bytesReceivedInWindow += t.bytesReceivedInWindow;
            windowEnd = Math.max(windowEnd, t.windowClosedAt);
            r.manifests.add(t.manifest);
        }
        if (s != null) r.connectionsAtStart = s.connectionsOpen();
        if (w != null) {
            r.windowSeconds = Math.max(0, Math.min(windowEnd, w.closes()) - w.opens()) / 1e9;
            r.warmupRunSeconds = (w.opens() - s.t0()) / 1e9;
            r.awaitingFirstEchoAtWindow = w.awaitingAtOpen();
        }
        if (s != null && factory.warmsUpToFirstEchoes()) {
            r.warmsUpToFirstEchoes = true;
            boolean allEchoed = awaitingFirstEcho.get() == 0 && closedWithoutFirstEcho.get() == 0
                    && lastFirstEchoAt.get() != Long.MIN_VALUE;
            r.allFirstEchoNs = allEchoed ? lastFirstEchoAt.get() - firstConnectAt.get() - startAtWaitNs : -1;
        }
        r.errors = errors;
        r.errorReasons = reasons;
        r.counts = counts;
        r.measured = sampler.measuredTotals();
        r.warmup = sampler.warmupTotals();
        r.connectionsOpened = nextId.get();
        r.stoppedEarly = stop;
        r.startedAtEpochNs = startedAtEpochNs;
        r.failure = failure.get();
        long[] rss = ProcessMemory.rssKiB();
        r.rssKiB = rss[0];
        r.peakRssKiB = rss[1];
        return r;
    }

    private static InetAddress[] sourceAddresses(int n) throws UnknownHostException {
        if (n <= 0) return null;
        InetAddress[] a = new InetAddress[n];
        for (int i = 0; i < n; i++) {
            int host = 2 + i;   // 127.0.0.2, 127.0.0.3, ... (all of 127/8 is loopback on Linux)
            a[i] = InetAddress.getByAddress(new byte[] {127, (byte) (host >> 16), (byte) (host >> 8), (byte) host});
        }
        return a;
    }
}
