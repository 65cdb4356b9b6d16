package echosuite.runtime;

import echosuite.protocol.RecordBatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The log file ({@code echomsg.txt}) behind a bounded hand-off and one platform logger thread,
 * so that no echo path ever does file I/O.
 *
 * <p>Servers hand it {@linkplain RecordBatch batches of whole records}. The logger thread
 * writes each batch with whole-batch writes to a file opened for append, so records of
 * different connections may interleave but a record is never torn, and the batches of one
 * connection keep their order (each connection hands its batches over from one thread).
 *
 * <p>Bound: at most {@code maxPendingBytes} bytes wait for the logger. A producer that would
 * exceed it either blocks in {@link #append} (thread-per-client servers: the client's thread
 * stops reading, which is backpressure) or gets {@code false} from {@link #tryAppend}
 * (reactor servers, which then stop reading and retry when {@linkplain #onSpaceAvailable
 * space is available}). Nothing is ever dropped.
 *
 * <p>When the storage fails (docs/protocol.md, "When the log's storage fails"): a write that
 * fails (disk full, an I/O error) is retried every {@value #RETRY_MILLIS} ms and reported once
 * per burst; a write that does not return is reported once per burst by a watchdog thread.
 * Meanwhile the bound fills and echoing stops; it resumes when the storage takes the bytes.
 * Only {@link #giveUpAt} ends the waiting: at that instant (the server's shutdown deadline) every
 * record not yet written is given up and counted in {@link #recordsLost}, and no caller waits
 * for the log any more. So {@code recordsWritten() + recordsLost()} is every record handed over.
 *
 * <p>Latency: the logger writes whatever it took from the queue, then gathers for
 * {@value #GATHER_NANOS} ns before the next write, so a record reaches the page cache within a
 * few milliseconds of being handed over (protocol: 100 ms).
 */
public final class RecordLog implements AutoCloseable {

    /** The default bound on bytes waiting for the logger. */
    public static final int DEFAULT_MAX_PENDING_BYTES = 4 << 20;
    private static final int WRITE_BUFFER_BYTES = 256 << 10;
    /**
     * After each write the logger pauses this long before it looks at the queue again, so that
     * records handed over meanwhile are gathered into one write instead of waking an idle logger
     * once per record (a futex wake and, on a busy CPU, a preemption each). 1 ms keeps the
     * protocol's 100 ms to the file far away.
     */
    static final long GATHER_NANOS = 1_000_000;
    /** Pause before retrying a write that failed: the condition (a full disk) clears only from outside. */
    static final long RETRY_MILLIS = 100;
    /** A write still in progress after this long is reported as stalled. */
    static final Duration STALL_REPORTED_AFTER = Duration.ofSeconds(1);
    /** After giving up, how long the logger gets to leave a write on its own before the file is closed under it. */
    static final Duration WRITE_ABANDON_GRACE = Duration.ofMillis(250);
    /**
     * Past the give-up instant, a write in progress this long means the storage is stuck, not just
     * busy: the log gives up then. A log whose storage works never gives up, however late.
     */
    static final Duration STUCK_AFTER_DEADLINE = Duration.ofMillis(50);

    private record Batch(byte[] bytes, int records) { }
    private static final Batch END = new Batch(new byte[0], 0);

    private final FileChannel file;
    private final Path path;
    private final int maxPendingBytes;
    private final Semaphore budget;
    /**
     * Lock-free, because producers on a busy CPU get preempted: with a locked queue, a thread
     * preempted while holding the lock stalls every other client thread behind it (a lock convoy,
     * seen as 100 ms tails in the thread-per-client server pinned to one CPU).
     */
    private final ConcurrentLinkedQueue<Batch> queue = new ConcurrentLinkedQueue<>();
    /** True while the logger is about to park or parked; producers then unpark it. */
    private volatile boolean loggerWaiting;
    private final Thread logger;
    private final Thread watchdog;
    private final AtomicLong recordsWritten = new AtomicLong();
    private final AtomicLong recordsLost = new AtomicLong();
    private final BurstReporter reporter;
    private volatile Runnable spaceListener = () -> { };
    private volatile boolean closed;
    /** Set once, at the give-up instant: from then on every record not written is counted lost. */
    private volatile boolean givenUp;
    private volatile long giveUpAtNanos;
    private volatile boolean giveUpArmed;
    /** {@link System#nanoTime} when the write in progress began; 0 while none is. */
    private volatile long writeStartedNanos;
    /** The last write attempt failed (disk full, an I/O error); cleared by one that succeeds. */
    private volatile boolean failing;

    private RecordLog(FileChannel file, Path path, int maxPendingBytes, BurstReporter reporter) {
        this.file = file;
        this.path = path;
        this.maxPendingBytes = maxPendingBytes;
        this.budget = new Semaphore(maxPendingBytes);
        this.reporter = reporter;
        this.logger = Thread.ofPlatform().name("record-logger").daemon(false).unstarted(this::drainLoop);
        this.watchdog = Thread.ofPlatform().name("record-log-watchdog").daemon(true).unstarted(this::watch);
    }

    /**
     * Opens (creating it with permissions rw-r----- where the file system allows) {@code path}
     * for appending and starts the logger thread.
     *
     * @throws IOException if the file cannot be opened for appending
     */
    public static RecordLog open(Path path, int maxPendingBytes, BurstReporter reporter) throws IOException {
        if (maxPendingBytes < 1) throw new IllegalArgumentException("maxPendingBytes must be positive");
        FileChannel channel;
        try {
            channel = FileChannel.open(path, java.util.Set.of(StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE, StandardOpenOption.APPEND),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
        } catch (UnsupportedOperationException notPosix) {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        }
        RecordLog log = new RecordLog(channel, path, maxPendingBytes, reporter);
        log.logger.start();
        log.watchdog.start();
        return log;
    }

    /**
     * Hands the batch's records to the logger, blocking while the logger is more than the bound
     * behind (until the give-up instant, if one is set). Does nothing for an empty batch.
     */
    public void append(RecordBatch batch) throws InterruptedException {
        if (batch.isEmpty()) return;
        int records = batch.records();
        appendRecords(batch.take(), records);
    }

    /**
     * Hands the batch's records to the logger if the bound allows it now; returns {@code false}
     * (and leaves the batch untouched) if it does not. Never blocks. After the give-up instant it
     * takes every batch and counts its records as lost.
     */
    public boolean tryAppend(RecordBatch batch) {
        if (batch.isEmpty()) return true;
        if (givenUp) {
            int records = batch.records();
            batch.take();
            recordsLost.addAndGet(records);
            return true;
        }
        if (!budget.tryAcquire(permitsFor(batch.size()))) return false;
        int records = batch.records();
        enqueue(new Batch(batch.take(), records));
        return true;
    }

    /**
     * Hands over raw bytes that already consist of whole records (the forking server's logger
     * process receives them from the pipe this way), blocking while over the bound.
     */
    public void appendRecords(byte[] wholeRecords, int records) throws InterruptedException {
        if (givenUp) {
            recordsLost.addAndGet(records);
            return;
        }
        int permits = permitsFor(wholeRecords.length);
        budget.acquire(permits);
        if (givenUp) {
            budget.release(permits);          // pass the wake-up on to the next waiting producer
            recordsLost.addAndGet(records);
            return;
        }
        enqueue(new Batch(wholeRecords, records));
    }

    /** Called on the logger thread each time it has freed budget; must be quick (e.g. {@code selector.wakeup()}). */
    public void onSpaceAvailable(Runnable listener) {
        this.spaceListener = listener;
    }

    /** Records written to the file so far. */
    public long recordsWritten() {
        return recordsWritten.get();
    }

    /** Records handed over that the storage never took, given up at the give-up instant. */
    public long recordsLost() {
        return recordsLost.get();
    }

    /**
     * Sets the instant at which the log stops waiting for a storage that fails or stalls: from
     * then on, once a write is failing or has been in progress for {@link #STUCK_AFTER_DEADLINE},
     * records not written are counted in {@link #recordsLost} instead, producers blocked in
     * {@link #append} return, and {@link #close} returns. A storage that works is never given up.
     */
    public void giveUpAt(Instant deadline) {
        giveUpAtNanos = System.nanoTime() + Math.max(0, Duration.between(Instant.now(), deadline).toNanos());
        giveUpArmed = true;
        LockSupport.unpark(watchdog);
    }

    /**
     * Writes every record handed over so far, then closes the file. Idempotent. If the storage
     * does not take the records, returns at the {@linkplain #giveUpAt give-up instant} with them
     * counted as lost; without one set, it waits for the storage.
     */
    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        queue.add(END);
        LockSupport.unpark(logger);
        boolean interrupted = false;
        while (logger.isAlive()) {
            try {
                logger.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        LockSupport.unpark(watchdog);
        file.close();
        if (givenUp) {
            reporter.announce("gave up on log file " + path + " at the shutdown deadline: "
                    + recordsLost.get() + " record(s) it did not take are counted as lost");
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private int permitsFor(int bytes) {
        // A batch larger than the whole bound still passes, alone.
        return Math.min(bytes, maxPendingBytes);
    }

    /**
     * Queues the batch. If the log gave up meanwhile, exactly one side counts the batch as lost:
     * the producer if it takes the batch back out, or the logger's final sweep if it took it
     * first (the flag is set before that sweep, and read here after the batch is in the queue).
     */
    private void enqueue(Batch batch) {
        if (closed && !givenUp) throw new IllegalStateException("record log " + path + " is closed");
        queue.add(batch);
        if (givenUp) {
            if (queue.remove(batch)) recordsLost.addAndGet(batch.records);
            return;
        }
        if (loggerWaiting) LockSupport.unpark(logger);
    }

    /**
     * Waits until the queue holds something. The flag is raised before the emptiness check, so a
     * producer that adds after the check sees it and unparks: no wake-up is lost.
     */
    private Batch awaitBatch() {
        Batch b;
        while ((b = queue.poll()) == null) {
            if (givenUp) return END;
            loggerWaiting = true;
            if (queue.isEmpty()) LockSupport.park(this);
            loggerWaiting = false;
        }
        return b;
    }

    private void drainLoop() {
        ByteBuffer out = ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES);
        List<Batch> taken = new ArrayList<>();
        boolean end = false;
        while (!end && !givenUp) {
            taken.add(awaitBatch());   // only close() ends the logger, by queueing END last
            for (Batch b; (b = queue.poll()) != null; ) taken.add(b);
            int inBuffer = 0;          // records in `out`, counted written when its write completes
            int permits = 0;
            for (Batch b : taken) {
                if (b == END) { end = true; continue; }
                permits += permitsFor(b.bytes.length);
                if (givenUp) {
                    recordsLost.addAndGet(b.records);
                    continue;
                }
                if (b.bytes.length > out.remaining()) {
                    inBuffer = flush(out, inBuffer);
                }
                if (b.bytes.length > out.capacity()) {
                    write(ByteBuffer.wrap(b.bytes), b.records);
                } else {
                    out.put(b.bytes);
                    inBuffer += b.records;
                }
            }
            flush(out, inBuffer);
            taken.clear();
            budget.release(permits);
            spaceListener.run();
            if (!end && !closed && !givenUp) LockSupport.parkNanos(GATHER_NANOS);
        }
        if (givenUp) {
            for (Batch b; (b = queue.poll()) != null; ) recordsLost.addAndGet(b.records);
            spaceListener.run();       // reactors waiting for room retry, and find every batch taken
        }
    }

    /** Writes {@code out}'s bytes (holding {@code records} whole records); returns 0, the records now in it. */
    private int flush(ByteBuffer out, int records) {
        out.flip();
        write(out, records);
        out.clear();
        return 0;
    }

    /**
     * Writes all of {@code buffer}, which holds {@code records} whole records, and counts them
     * written. A failed write (disk full, an I/O error) is reported and retried, dropping nothing,
     * until the log gives up: then the records are counted lost, and the bytes of them already
     * written are cut off the file again, so that it ends with a whole record.
     */
    private void write(ByteBuffer buffer, int records) {
        long written = 0;
        writeStartedNanos = System.nanoTime() | 1;      // never 0, which means "no write"
        try {
            while (buffer.hasRemaining()) {
                if (givenUp) {
                    recordsLost.addAndGet(records);
                    cutPartialWrite(written);
                    return;
                }
                try {
                    written += file.write(buffer);
                    failing = false;
                } catch (IOException e) {
                    if (givenUp) continue;                  // closed under a stalled write: counted above
                    failing = true;
                    reporter.report("cannot write to log file " + path + ": " + e.getMessage()
                            + "; clients wait while it is retried");
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS));   // back-off, not synchronisation
                }
            }
            recordsWritten.addAndGet(records);
        } finally {
            writeStartedNanos = 0;
        }
    }

    /** Takes the bytes of a given-up write back off the end of the file, where the file allows it. */
    private void cutPartialWrite(long written) {
        if (written == 0) return;
        try {
            file.truncate(file.size() - written);
        } catch (IOException | UnsupportedOperationException e) {
            reporter.report("the log file " + path + " may end with a partly written record (" + written
                    + " bytes of a write given up): " + e.getMessage());
        }
    }

    /**
     * The watchdog: reports a write that has not returned for {@link #STALL_REPORTED_AFTER}
     * (once per burst, like any trouble), and gives up once the give-up instant has passed and the
     * storage is failing or stuck.
     */
    private void watch() {
        long checkNanos = STALL_REPORTED_AFTER.toNanos() / 2;
        long shutdownCheckNanos = STUCK_AFTER_DEADLINE.toNanos() / 5;
        while (logger.isAlive()) {
            long now = System.nanoTime();
            long started = writeStartedNanos;
            long inWrite = started == 0 ? 0 : now - started;
            boolean pastDeadline = giveUpArmed && now - giveUpAtNanos >= 0;
            if (pastDeadline && (failing || inWrite >= STUCK_AFTER_DEADLINE.toNanos())) {
                giveUp();
                return;
            }
            if (inWrite >= STALL_REPORTED_AFTER.toNanos()) {
                reporter.report("a write to log file " + path + " has not returned for "
                        + TimeUnit.NANOSECONDS.toSeconds(inWrite) + " s (the storage stalls); clients wait for it");
            }
            long wait = pastDeadline ? shutdownCheckNanos
                    : giveUpArmed ? Math.min(checkNanos, giveUpAtNanos - now) : checkNanos;
            LockSupport.parkNanos(this, Math.max(1, wait));
        }
    }

    /**
     * The give-up instant has come: producers stop waiting (each one woken passes the wake-up
     * on), the logger stops retrying, and a write the kernel still holds is ended by closing the
     * file under it.
     */
    private void giveUp() {
        if (!logger.isAlive()) return;
        givenUp = true;
        budget.release(maxPendingBytes);
        LockSupport.unpark(logger);
        try {
            logger.join(WRITE_ABANDON_GRACE);
            if (logger.isAlive()) {
                reporter.report("a write to log file " + path + " did not return by the shutdown deadline; closing the file under it");
                file.close();
            }
        } catch (InterruptedException | IOException e) {
            // the logger ends anyway: its write fails once the file is closed
        }
        spaceListener.run();
    }
}
