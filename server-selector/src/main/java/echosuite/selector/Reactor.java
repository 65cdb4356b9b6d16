package echosuite.selector;

import echosuite.protocol.RecordBatch;
import echosuite.runtime.EchoServer;
import echosuite.runtime.RecordLog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One event loop: a thread that waits in {@link Selector#select} for whichever of its sockets is
 * ready and runs that socket's {@link Handler}, forever; the Java form of seed 001's
 * {@code while(1) { cpy_reads = reads; select(fd_max + 1, &cpy_reads, ...); for (i...) if (FD_ISSET(i, &cpy_reads)) ... }}.
 *
 * <p>Nothing here blocks except {@code select} itself, which is why one thread can serve
 * thousands of connections: a connection costs the loop only when it has bytes to move. The
 * flip side: a handler that blocked or computed for long would stall every connection of this
 * reactor.
 *
 * <p>What the reactor shares among its connections, so that an idle connection holds no buffer:
 * <ul>
 *   <li>one direct read buffer of {@value #READ_BUFFER_BYTES} bytes (a connection's bytes pass
 *       through it and are echoed at once; only echo the client does not take yet is copied into
 *       that connection's {@link PendingEcho});</li>
 *   <li>one {@link RecordBatch} collecting the whole records of every read in one pass of the
 *       loop, handed to the {@link RecordLog} once per pass (like the C select anchor, which
 *       writes its queued records to the logger pipe once per loop). A hand-off per pass rather
 *       than per read keeps the logger thread, which shares the CPU, from being woken once per
 *       message. Records stay whole and each connection's records stay in order because one
 *       thread appends them, in arrival order, to one batch.</li>
 * </ul>
 *
 * <p>Logger backpressure: {@link RecordLog#tryAppend} never blocks. When it refuses the batch
 * (more than {@code --max-log-backlog} bytes wait for the logger), the reactor keeps the batch and
 * stops reading: each connection that becomes readable is parked (its {@code OP_READ} cleared)
 * instead of read, while pending echo keeps flowing out. When the logger frees room it calls
 * {@link #logSpaceFreed}, which wakes the selector; the batch is retried and the parked
 * connections resume. Nothing is dropped and memory stays bounded. Why not a
 * {@link java.nio.channels.Pipe} to the logger, as the design notes allow: a pipe would add a
 * kernel copy and a system call per hand-off, a 64 KiB pipe buffer that tears records across
 * partial non-blocking writes (so the logger would have to reassemble them), and a second logger
 * implementation; the {@code RecordLog} hands over a {@code byte[]} reference and is the one all
 * servers share.
 *
 * <p>Idle timeout ({@code --idle-timeout}): only when it is set, a recurring timer sweeps this
 * reactor's connections every {@link #sweepInterval} (half the timeout, at most a second),
 * {@link Connection#timeOutIfIdle} on each: a walk over the selector's keys, one comparison each.
 * Without the option there is no timer and the loop is unchanged.
 *
 * <p>Thread confinement: every field except {@link #tasks} and {@link #awaitingLogSpace} is used
 * only by this reactor's thread. Other threads talk to it through {@link #execute} (a task queue
 * plus {@link Selector#wakeup}).
 */
final class Reactor {

    /** The shared read buffer: one socket read moves at most this many bytes. */
    static final int READ_BUFFER_BYTES = 64 << 10;
    /** A pass's batch is handed to the logger early once it holds this many bytes, bounding it. */
    static final int HANDOFF_BYTES = 256 << 10;

    private final String name;
    private final Thread thread;
    private final Selector selector;
    private final EchoServer.Context context;
    private final AtomicInteger openConnections;
    /** {@code --idle-timeout} in nanoseconds; 0: off (no sweep). */
    final long idleTimeoutNanos;

    /** Scratch space shared by this reactor's connections; see the class comment. */
    final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    /** The framer works on {@code byte[]}; a read's bytes are copied here once to be framed. */
    final byte[] readCopy = new byte[READ_BUFFER_BYTES];
    /** Whole records received in this pass, not yet handed to the log. */
    final RecordBatch records = new RecordBatch();

    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    /** Connections parked because the logger refused {@link #records}; resumed when it takes them. */
    private final List<Connection> parked = new ArrayList<>();
    /** True while the log refused the batch: readers park instead of reading. */
    private boolean logRefused;
    /** Set before retrying a refused batch, so the logger knows to wake this reactor. */
    private volatile boolean awaitingLogSpace;
    /** Times the log refused this reactor's batch (read by tests once the thread has ended). */
    private volatile long logRefusals;   // written by this reactor only; read by tests
    private int connections;
    private boolean stopping;
    private long stopDeadlineNanos;

    private record Timer(long dueNanos, Runnable task) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer o) {
            return Long.compare(dueNanos, o.dueNanos);
        }
    }

    Reactor(String name, EchoServer.Context context, AtomicInteger openConnections) throws IOException {
        this.name = name;
        this.context = context;
        this.openConnections = openConnections;
        this.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(context.options().idleTimeoutMillis());
        this.selector = Selector.open();
        this.thread = Thread.ofPlatform().name(name).unstarted(this::run);
    }

    Selector selector() {
        return selector;
    }

    EchoServer.Context context() {
        return context;
    }

    void start() {
        thread.start();
    }

    void join() throws InterruptedException {
        thread.join();
    }

    /** Runs {@code task} on this reactor's thread soon. Callable from any thread. */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** Runs {@code task} on this reactor's thread after {@code delay} (reactor thread only). */
    void schedule(Duration delay, Runnable task) {
        timers.add(new Timer(System.nanoTime() + delay.toNanos(), task));
    }

    /**
     * Gives this reactor a newly accepted connection (non-blocking, options set). Callable from
     * any thread; from this reactor's own thread (a single reactor that also accepts) it registers
     * at once, saving the queue and the wakeup.
     */
    void adopt(SocketChannel channel) {
        if (Thread.currentThread() == thread) {
            register(channel);
        } else {
            execute(() -> register(channel));
        }
    }

    /**
     * Graceful stop, callable from any thread: every handler is told to stop (the acceptor closes
     * the listener; each connection is treated as if the client had sent EOF), then the loop runs
     * until every connection has flushed what it owes or {@code deadline} passes, closes what is
     * left and hands its last records to the log (blocking is fine then: the loop is over).
     */
    void stop(Instant deadline) {
        long nanos = Math.max(0, Duration.between(Instant.now(), deadline).toNanos());
        long deadlineNanos = System.nanoTime() + nanos;
        execute(() -> {
            stopping = true;
            stopDeadlineNanos = deadlineNanos;
            for (SelectionKey key : List.copyOf(selector.keys())) {
                if (key.isValid()) ((Handler) key.attachment()).stop();
            }
        });
    }

    /** Called by the logger thread after it freed room; wakes this reactor only if it waits for room. */
    void logSpaceFreed() {
        if (awaitingLogSpace) selector.wakeup();
    }

    long logRefusals() {
        return logRefusals;
    }

    /** True while the log refuses records: a readable connection must {@link #park} instead of reading. */
    boolean logRefused() {
        return logRefused;
    }

    /** Remembers a connection that did not read because the log is full; it resumes when the log takes the batch. */
    void park(Connection connection) {
        parked.add(connection);
    }

    /** A connection of this reactor's added records; hands a large batch over early. */
    void recordsAdded() {
        if (records.size() >= HANDOFF_BYTES) handOffRecords();
    }

    /** A connection of this reactor has closed. */
    void connectionClosed() {
        connections--;
        openConnections.decrementAndGet();
    }

    private void register(SocketChannel channel) {
        try {
            Connection connection = Connection.open(this, channel);
            connections++;
            if (stopping) connection.stop();
        } catch (IOException e) {
            // The channel was accepted and counted as open; it just could not be registered.
            context.counters().errors.increment();
            context.reporter().report("cannot register a new connection with " + name + ": " + e.getMessage());
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to do for it
            }
            openConnections.decrementAndGet();
        }
    }

    private void run() {
        if (idleTimeoutNanos > 0) schedule(sweepInterval(idleTimeoutNanos), this::sweepIdle);
        try {
            while (true) {
                runTasks();
                runDueTimers();
                if (stopping && (connections == 0 || System.nanoTime() - stopDeadlineNanos >= 0)) break;
                selector.select(this::dispatch, selectTimeoutMillis());
                handOffRecords();
            }
        } catch (IOException | RuntimeException | Error e) {
            // A bug or a broken selector: report it; the finally block still saves every record.
            context.counters().errors.increment();
            context.reporter().report(name + " stopped on an unexpected error: " + e);
        } finally {
            try {
                abortAll();
            } catch (RuntimeException e) {   // a broken selector: the records below matter more
                context.reporter().report(name + " could not close every connection: " + e);
            }
            appendRemainingRecords();
            try {
                selector.close();
            } catch (IOException ignored) {
                // the process is ending
            }
        }
    }

    private void dispatch(SelectionKey key) {
        Handler handler = (Handler) key.attachment();
        try {
            handler.ready(key);
        } catch (RuntimeException bug) {
            // One connection's bug must not stop the loop for all the others.
            context.counters().errors.increment();
            context.reporter().report(name + ": unexpected error in " + handler.getClass().getSimpleName() + ": " + bug);
            handler.abort();
        }
    }

    /**
     * How often the idle sweep runs: half the timeout, at most a second. A silent connection is
     * closed between one timeout and one timeout plus an interval after its last byte.
     */
    static Duration sweepInterval(long idleTimeoutNanos) {
        return Duration.ofNanos(Math.min(idleTimeoutNanos / 2, TimeUnit.SECONDS.toNanos(1)));
    }

    /** The idle timer: ends every connection that has waited to read for the timeout, then comes again. */
    private void sweepIdle() {
        long now = System.nanoTime();
        // Closing a channel only cancels its key; the key set changes at the next select, not during this walk.
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof Connection c) c.timeOutIfIdle(now);
        }
        schedule(sweepInterval(idleTimeoutNanos), this::sweepIdle);
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) task.run();
    }

    private void runDueTimers() {
        long now = System.nanoTime();
        while (!timers.isEmpty() && timers.peek().dueNanos - now <= 0) timers.poll().task().run();
    }

    /** Milliseconds until the next timer or the stop deadline; 0 (wait indefinitely) if none. */
    private long selectTimeoutMillis() {
        long due = Long.MAX_VALUE;
        long now = System.nanoTime();
        if (!timers.isEmpty()) due = timers.peek().dueNanos - now;
        if (stopping) due = Math.min(due, stopDeadlineNanos - now);
        if (due == Long.MAX_VALUE) return 0;
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(due + 999_999));
    }

    /**
     * Offers the pass's records to the log. If it refuses, reading pauses until it accepts: the
     * flag is set before the retry, so a logger that frees room after a failed retry sees the flag
     * and wakes us; one that freed room before it lets the retry succeed. No wakeup is lost.
     */
    private void handOffRecords() {
        if (records.isEmpty() || context.log().tryAppend(records)) {
            if (logRefused) resumeParked();
            return;
        }
        if (!logRefused) logRefusals++;
        logRefused = true;
        awaitingLogSpace = true;
        if (context.log().tryAppend(records)) resumeParked();
    }

    private void resumeParked() {
        logRefused = false;
        awaitingLogSpace = false;
        for (Connection c : parked) c.resume();
        parked.clear();
    }

    private void abortAll() {
        stopping = true;
        runTasks();   // a connection handed over at the very end is registered, then ended like the rest
        for (SelectionKey key : List.copyOf(selector.keys())) {
            if (key.isValid()) ((Handler) key.attachment()).abort();
        }
    }

    /** After the loop: waiting for the logger is allowed now, and every record must reach it. */
    private void appendRemainingRecords() {
        boolean interrupted = false;
        while (!records.isEmpty()) {
            try {
                context.log().append(records);
            } catch (InterruptedException e) {
                interrupted = true;   // keep going: losing records is worse than a late exit
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
