package echosuite.loadgen;


import echosuite.protocol.SequencedMessage;
import echosuite.report.Units;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One I/O thread of the load generator: a {@link Selector} over its share of the connections,
 * doing all their I/O without blocking, checking every echo byte for byte, and recording
 * latencies in its own {@link ThreadRecorders}. What to send and when is its {@link Workload}'s
 * decision.
 *
 * <p>Life: (1) <b>connect</b>: open the thread's share of the initial connections, at most as fast
 * as the shared {@link ConnectPacer} allows, until each is established (and idle) or failed;
 * (2) wait at the engine's start line for the other threads; (3) <b>run</b> the workload until
 * the end of the measured window, which the engine may fix only during the run (when the warm-up
 * waits for every connection's first echo); (4) <b>drain</b>: send nothing new, wait for the echoes in
 * flight, end each connection politely (our end of stream, then the server's), at most
 * {@code --timeout} long.
 *
 * <p>Honest timing: every timestamp is {@link System#nanoTime} taken when the event is handled,
 * so a pause of this thread (GC, scheduling) lands inside the latencies measured across it. The
 * hot path (read, compare, record, write the next message) allocates nothing: the messages are
 * reused buffers and {@link Selector#select(Consumer, long)} hands keys over without a set.
 */
final class IoThread implements Runnable {

    /** How often connections are checked for timeouts. */
    static final long SCAN_INTERVAL_NS = 50_000_000L;
    /** How often the connect phase checks whether it is complete. */
    static final long READY_CHECK_NS = 10_000_000L;
    /** A wait shorter than this is spent polling ({@code selectNow}): shorter than a thread's wake-up. */
    static final long POLL_BELOW_NS = 20_000L;
    /**
     * A wait shorter than this ends with the {@link SelectorAlarm} rather than select's own
     * millisecond timeout, which would make a timed send (rate) up to a millisecond late.
     */
    static final long ALARM_BELOW_NS = 2_000_000L;
    /** After failing to create a socket locally (e.g. no file descriptors), wait this long before the next try. */
    static final long LOCAL_FAILURE_BACKOFF_NS = 10_000_000L;
    /** Bytes read at a time. */
    static final int READ_BYTES = 256 * 1024;

    final int index;
    private final Engine engine;
    private final RunConfig config;
    final ThreadRecorders recorders = new ThreadRecorders();
    final ErrorCounts errors = new ErrorCounts();
    final SentManifest manifest;
    /** Connections open or opening, for the progress line. */
    final AtomicInteger openConnections = new AtomicInteger();

    private final Selector selector;
    private final List<Connection> connections = new ArrayList<>();
    private final byte[] readBytes = new byte[READ_BYTES];
    private final ByteBuffer readBuffer = ByteBuffer.wrap(readBytes);
    private final Consumer<SelectionKey> onReady = this::onReady;
    private Workload workload;
    private SelectorAlarm alarm;

    /** The time of the event being handled (nanoTime). */
    private long now;
    private int pendingOpens;
    private long nextOpenAt = Long.MAX_VALUE;
    private boolean started, draining;
    private Engine.Start start;
    /** The measured window once this thread knows it; until then everything is warm-up. */
    private Engine.Window window;
    private long warmupEnd = Long.MAX_VALUE, endTime = Long.MAX_VALUE;

    // Counters: written by this thread only, read by the engine after the thread has ended.
    long messagesSent, bytesSent, bytesReceived, echoesInWindow;
    /** Whole messages written on connections that ended before their echo came back. */
    long messagesUnanswered;
    /** Measured {@link Metric#LATENCY} values that are waits of given-up messages ({@link #recordUnanswered}). */
    long unansweredInWindow;
    long bytesSentInWindow, bytesReceivedInWindow;
    /** When this thread's part of the measured window ended (endTime, or earlier if its work was done). */
    long windowClosedAt = Long.MIN_VALUE;
    private boolean windowOpen, windowClosed;
    private long sentAtWindowStart, receivedAtWindowStart;

    IoThread(int index, Engine engine, RunConfig config) throws IOException {
        this.index = index;
        this.engine = engine;
        this.config = config;
        this.manifest = new SentManifest(config.messageBytes());
        this.selector = Selector.open();
    }

    void setWorkload(Workload workload) {
        this.workload = workload;
    }

    // ---- what workloads use -------------------------------------------------------------

    /** The connections of this thread that are open or opening (live view; do not modify). */
    List<Connection> connections() {
        return connections;
    }

    /** The run's start line: t0, the measured window, this thread's place among all connections. */
    Engine.Start start() {
        return start;
    }

    boolean draining() {
        return draining;
    }

    /** True when {@code at} lies in the measured window (false while it is not fixed yet). */
    boolean inWindow(long at) {
        return at >= warmupEnd && at < endTime;
    }

    /** The end of the measured window (nanoTime), Long.MAX_VALUE while it is not fixed yet. */
    long endTime() {
        return endTime;
    }

    /** The workload is ready to be measured: the engine opens the window ({@link Workload.Factory#windowWaitsForWorkload}). */
    void readyToMeasure() {
        engine.workloadReady();
    }

    /** Wakes the thread from its select (the engine has fixed the window). */
    void wakeUp() {
        selector.wakeup();
    }

    /** The time of the event being handled (nanoTime). */
    long now() {
        return now;
    }

    /** Asks for {@code n} more connections, opened as the connect pacer allows (ignored while draining). */
    void requestOpen(int n) {
        if (!draining) {
            pendingOpens += n;
            nextOpenAt = Math.min(nextOpenAt, now);
        }
    }

    /**
     * Records {@code nanos} for {@code metric} as belonging to time {@code at}: warm-up before the
     * measured window, measured inside it, dropped after it.
     */
    void record(Metric metric, long at, long nanos) {
        if (at >= endTime) return;
        recorders.record(metric, at >= warmupEnd, nanos);
    }

    /**
     * Records a message whose echo will never come (its connection timed out or failed) in the
     * {@link Metric#LATENCY} histogram, with the wait {@code nanos} it had reached when it was
     * given up, as belonging to time {@code at}. Leaving it out would cut an overloaded server's
     * tail at {@code --timeout}; with it, the tail is a lower bound, and the count says so.
     */
    void recordUnanswered(long at, long nanos) {
        if (inWindow(at)) unansweredInWindow++;
        record(Metric.LATENCY, at, nanos);
    }

    /** Records {@code nanos} as measured, whatever the time (hold's ramp). */
    void recordMeasured(Metric metric, long nanos) {
        recorders.record(metric, true, nanos);
    }

    /** Writes what {@code c} may send now: the rest of a partly written message, then new messages up to the workload's limit. */
    void flush(Connection c) {
        if (c.state != Connection.State.OPEN) return;
        try {
            while (true) {
                if (!c.writing) {
                    if (c.sent >= workload.sendLimit(c)) break;
                    SequencedMessage.writeSequence(c.sendMessage, c.sent);
                    c.sendBuffer.clear();
                    c.sendTimes.add(now);
                    c.sent++;
                    c.writing = true;
                }
                bytesSent += c.channel.write(c.sendBuffer);
                if (c.sendBuffer.hasRemaining()) {
                    wantWrite(c, true);
                    return;
                }
                c.writing = false;
                messagesSent++;
            }
            wantWrite(c, false);
        } catch (IOException e) {
            fail(c, ErrorKind.of(e), ErrorKind.reason(e));
        }
    }

    // ---- the thread's life -------------------------------------------------------------------

    @Override
    public void run() {
        try {
            now = System.nanoTime();
            requestOpen(engine.initialShare(index));
            connectPhase();
            start = engine.awaitStart(index, countOpen());
            started = true;
            boolean awaitFirstEchoes = engine.awaitsFirstEchoes();
            if (awaitFirstEchoes) for (Connection c : connections) c.awaitingFirstEcho = c.state == Connection.State.OPEN;
            now = System.nanoTime();
            refreshWindow();
            workload.start(now);
            if (awaitFirstEchoes) awaitOnlySenders();
            runAndDrain();
        } catch (Throwable t) {
            engine.threadFailed(t);
        } finally {
            now = System.nanoTime();
            closeWindow(Math.min(now, endTime));
            for (int i = connections.size() - 1; i >= 0; i--) closeChannel(connections.get(i));
            if (alarm != null) alarm.close();
            try {
                selector.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }

    private void connectPhase() throws IOException {
        long nextScan = now + SCAN_INTERVAL_NS;
        long nextReadyCheck = now;
        while (!engine.stopRequested()) {
            now = System.nanoTime();
            openDue();
            if (now >= nextReadyCheck) {
                if (pendingOpens == 0 && allOpenAndIdle()) return;
                nextReadyCheck = now + READY_CHECK_NS;
            }
            if (now >= nextScan) {
                scanTimeouts();
                nextScan = now + SCAN_INTERVAL_NS;
            }
            waitForEvents(Math.min(Math.min(nextScan, nextReadyCheck), nextOpenAt));
        }
    }

    private void runAndDrain() throws IOException {
        long nextScan = now + SCAN_INTERVAL_NS;
        long drainDeadline = Long.MAX_VALUE;
        while (true) {
            now = System.nanoTime();
            refreshWindow();
            if (window == null && now >= start.warmupLimit()) {
                engine.warmupLimitReached();
                refreshWindow();
            }
            if (!windowOpen && now >= warmupEnd) openWindow();
            // Timed work first: what came due before the end of the window is still sent in the drain.
            long tickWake = workload.tick(now);
            if (!draining && (now >= endTime || engine.stopRequested())) {
                closeWindow(Math.min(now, endTime));
                beginDrain();
                drainDeadline = now + config.timeoutNs();
            }
            if (connections.isEmpty() && pendingOpens == 0) break;   // all done (or all failed)
            if (now >= drainDeadline) {
                for (int i = connections.size() - 1; i >= 0; i--) {
                    fail(connections.get(i), ErrorKind.TIMEOUT, "still busy when the drain time (--timeout) ran out");
                }
                break;
            }
            openDue();
            long wake = Math.min(tickWake, nextOpenAt);
            wake = Math.min(wake, draining ? drainDeadline : endTime);
            if (!windowOpen) wake = Math.min(wake, window == null ? start.warmupLimit() : warmupEnd);
            if (now >= nextScan) {
                scanTimeouts();
                nextScan = now + SCAN_INTERVAL_NS;
            }
            waitForEvents(Math.min(wake, nextScan));
        }
    }

    /** Waits for I/O until {@code wake} (nanoTime) and handles what is ready. */
    private void waitForEvents(long wake) throws IOException {
        long gap = wake - System.nanoTime();
        if (gap < POLL_BELOW_NS) {
            selector.selectNow(onReady);
        } else if (gap < ALARM_BELOW_NS) {
            if (alarm == null) alarm = new SelectorAlarm(selector, "loadgen-alarm-" + index);
            alarm.set(wake);
            selector.select(onReady, gap / 1_000_000L + 2);   // the alarm wakes it; this timeout is a fallback
            alarm.clear();
        } else {
            // Wake a millisecond early and let the alarm time the rest.
            selector.select(onReady, Math.max(1, (gap - 1_000_000L) / 1_000_000L));
        }
    }

    /** Takes the window from the engine once it is fixed (one volatile read per event until then). */
    private void refreshWindow() {
        if (window != null) return;
        window = engine.window();
        if (window != null) {
            warmupEnd = window.opens();
            endTime = window.closes();
        }
    }

    /** A connection the workload sent nothing on at the start (a share of -n that is 0) will not echo: not awaited. */
    private void awaitOnlySenders() {
        for (Connection c : connections) {
            if (c.awaitingFirstEcho && c.sent == 0) {
                c.awaitingFirstEcho = false;
                engine.noFirstEcho(false);
            }
        }
    }

    private void openWindow() {
        windowOpen = true;
        sentAtWindowStart = bytesSent;
        receivedAtWindowStart = bytesReceived;
    }

    private void closeWindow(long at) {
        if (windowClosed || !started) return;
        if (!windowOpen) openWindow();
        windowClosed = true;
        windowClosedAt = at;
        bytesSentInWindow = bytesSent - sentAtWindowStart;
        bytesReceivedInWindow = bytesReceived - receivedAtWindowStart;
    }

    private void beginDrain() {
        draining = true;
        pendingOpens = 0;
        nextOpenAt = Long.MAX_VALUE;
        for (int i = connections.size() - 1; i >= 0; i--) {
            Connection c = connections.get(i);
            if (c.state == Connection.State.CONNECTING) {
                closeChannel(c);                 // the run is over; not an error
                workload.onClosed(c, now, true);
            } else if (c.state == Connection.State.OPEN) {
                flush(c);
                maybeClose(c);
            }
        }
    }

    private int countOpen() {
        int n = 0;
        for (Connection c : connections) if (c.state == Connection.State.OPEN) n++;
        return n;
    }

    private boolean allOpenAndIdle() {
        for (Connection c : connections) {
            if (c.state != Connection.State.OPEN || !c.idle()) return false;
        }
        return true;
    }

    // ---- connecting ------------------------------------------------------------------------

    private void openDue() {
        while (pendingOpens > 0 && now >= nextOpenAt) {
            long later = engine.pacer().tryAcquire(now);
            if (later != 0) {
                nextOpenAt = later;
                return;
            }
            pendingOpens--;
            open();
        }
        if (pendingOpens == 0) nextOpenAt = Long.MAX_VALUE;
    }

    private void open() {
        SocketChannel channel;
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
            errors.count(ErrorKind.of(e), "cannot create a socket: " + ErrorKind.reason(e));
            if (started) {                         // a loop (churn) tries again after a back-off;
                pendingOpens++;                    // an initial connection just failed
                nextOpenAt = now + LOCAL_FAILURE_BACKOFF_NS;
            }
            return;
        }
        Connection c = new Connection(engine.nextConnectionId(), channel, config.messageBytes());
        c.connectStartNs = now;
        engine.connecting(now);
        c.listIndex = connections.size();
        connections.add(c);
        openConnections.incrementAndGet();
        try {
            InetAddress source = engine.sourceAddress(c.id);
            if (source != null) channel.bind(new InetSocketAddress(source, 0));
            boolean established = channel.connect(config.target());
            c.key = channel.register(selector, established ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, c);
            if (established) connected(c);
        } catch (IOException e) {
            fail(c, ErrorKind.of(e), ErrorKind.reason(e));
        }
    }

    private void connected(Connection c) {
        c.state = Connection.State.OPEN;
        c.key.interestOps(SelectionKey.OP_READ);
        workload.onConnected(c, now);
        flush(c);
    }

    // ---- I/O events -------------------------------------------------------------------------

    private void onReady(SelectionKey key) {
        Connection c = (Connection) key.attachment();
        if (!key.isValid()) return;
        now = System.nanoTime();
        refreshWindow();
        int ready = key.readyOps();
        try {
            if ((ready & SelectionKey.OP_CONNECT) != 0) {
                if (!c.channel.finishConnect()) return;
                connected(c);
            }
            if ((ready & SelectionKey.OP_READ) != 0 && c.state != Connection.State.CLOSED) read(c);
            if ((ready & SelectionKey.OP_WRITE) != 0 && c.state == Connection.State.OPEN) {
                flush(c);
                maybeClose(c);
            }
        } catch (IOException e) {
            fail(c, ErrorKind.of(e), ErrorKind.reason(e));
        }
    }

    private void read(Connection c) throws IOException {
        readBuffer.clear();
        int n = c.channel.read(readBuffer);
        if (n < 0) {
            endOfStream(c);
            return;
        }
        if (n == 0) return;
        bytesReceived += n;
        int size = c.messageBytes;
        if (c.received * size + c.receivedBytes + n > c.bytesWritten()) {
            fail(c, ErrorKind.MISMATCH, "the server sent bytes that were never sent to it");
            return;
        }
        int pos = 0;
        while (pos < n) {
            if (c.receivedBytes == 0) SequencedMessage.writeSequence(c.expectedMessage, c.received);
            int take = Math.min(n - pos, size - c.receivedBytes);
            if (Arrays.mismatch(readBytes, pos, pos + take, c.expectedMessage, c.receivedBytes, c.receivedBytes + take) >= 0) {
                c.corrupt = true;
            }
            pos += take;
            c.receivedBytes += take;
            if (c.receivedBytes == size) echoComplete(c);
        }
        if (c.state == Connection.State.OPEN) {
            flush(c);
            maybeClose(c);
        }
    }

    private void echoComplete(Connection c) {
        long sequence = c.received++;
        c.receivedBytes = 0;
        long sentAt = c.sendTimes.poll();
        if (c.corrupt) {
            c.corrupt = false;
            errors.count(ErrorKind.MISMATCH, "an echo differed from the message sent");
        }
        if (inWindow(workload.countedAt(c, sequence, now))) echoesInWindow++;
        if (c.awaitingFirstEcho) {
            c.awaitingFirstEcho = false;
            engine.firstEcho(now);
        }
        workload.onEcho(c, sequence, sentAt, now);
    }

    private void endOfStream(Connection c) {
        if (c.state == Connection.State.CLOSING) {
            closeChannel(c);
            workload.onClosed(c, now, false);
        } else {
            fail(c, ErrorKind.CLOSED_EARLY, c.idle() ? "the server closed an idle connection"
                    : "the server closed the connection with echoes outstanding");
        }
    }

    private void wantWrite(Connection c, boolean on) {
        if (c.writeInterest == on || !c.key.isValid()) return;
        c.writeInterest = on;
        c.key.interestOps(on ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    // ---- ending connections ----------------------------------------------------------------

    /** Ends an idle connection whose work is done: our end of stream first; the server then closes. */
    private void maybeClose(Connection c) {
        if (c.state != Connection.State.OPEN || !c.idle() || c.sent < workload.sendLimit(c)) return;
        if (!draining && !workload.finished(c)) return;
        try {
            c.channel.shutdownOutput();
            c.state = Connection.State.CLOSING;
            c.closeStartNs = now;
        } catch (IOException e) {
            fail(c, ErrorKind.of(e), ErrorKind.reason(e));
        }
    }

    private void fail(Connection c, ErrorKind kind, String reason) {
        if (c.state == Connection.State.CLOSED) return;
        errors.count(kind, reason);
        closeChannel(c);
        workload.onClosed(c, now, true);
    }

    private void closeChannel(Connection c) {
        if (c.state == Connection.State.CLOSED) return;
        c.state = Connection.State.CLOSED;
        if (c.key != null) c.key.cancel();
        try {
            c.channel.close();
        } catch (IOException ignored) {
            // closing a socket that failed; nothing more to learn
        }
        int i = c.listIndex;                       // swap-remove keeps removal O(1)
        Connection last = connections.removeLast();
        if (last != c) {
            connections.set(i, last);
            last.listIndex = i;
        }
        openConnections.decrementAndGet();
        if (c.awaitingFirstEcho) {
            c.awaitingFirstEcho = false;
            engine.noFirstEcho(true);
        }
        manifest.add(c.id, c.received, c.wholeMessagesWritten());
        messagesUnanswered += c.wholeMessagesWritten() - c.received;
    }

    private void scanTimeouts() {
        for (int i = connections.size() - 1; i >= 0; i--) {
            if (i >= connections.size()) continue;
            Connection c = connections.get(i);
            switch (c.state) {
                case CONNECTING -> {
                    if (now - c.connectStartNs > config.connectTimeoutNs()) {
                        fail(c, ErrorKind.TIMEOUT, "connect not established within " + Units.duration(config.connectTimeoutNs()));
                    }
                }
                case OPEN -> {
                    if (c.sendTimes.isEmpty()) continue;
                    long since = c.sendTimes.peek();
                    // A connection the server has not served yet is given until the window opens (at the
                    // latest the warm-up limit), then --timeout from there: a slow accept is not an echo timeout.
                    if (c.awaitingFirstEcho) {
                        if (window == null) continue;
                        since = Math.max(since, warmupEnd);
                    }
                    if (now - since > config.timeoutNs()) {
                        fail(c, ErrorKind.TIMEOUT, c.awaitingFirstEcho
                                ? "no first echo within " + Units.duration(config.timeoutNs()) + " of the measured window's opening"
                                : "no complete echo within " + Units.duration(config.timeoutNs()));
                    }
                }
                case CLOSING -> {
                    if (now - c.closeStartNs > config.timeoutNs()) {
                        fail(c, ErrorKind.TIMEOUT, "the server did not close within " + Units.duration(config.timeoutNs())
                                + " of our end of stream");
                    }
                }
                case CLOSED -> { }
            }
        }
    }
}
