package echosuite.protocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
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
     * records handed over meanwhile are gathered into one write. Without the pause, every hand-off
     * to an idle logger wakes it (a futex wake and, on a busy CPU, a preemption) to write one
     * record: on one CPU the pause took the thread-per-client server from 19.8k to 24.2k msgs/s
     * (commit a69aeae; the lock-free queue then took it to 41.0k). 1 ms keeps the protocol's
     * 100 ms to the file far away.
     */
    static final long GATHER_NANOS = 1_000_000;

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
    private final AtomicLong recordsWritten = new AtomicLong();
    private final BurstReporter reporter;
    private volatile Runnable spaceListener = () -> { };
    private volatile boolean closed;

    private RecordLog(FileChannel file, Path path, int maxPendingBytes, BurstReporter reporter) {
        this.file = file;
        this.path = path;
        this.maxPendingBytes = maxPendingBytes;
        this.budget = new Semaphore(maxPendingBytes);
        this.reporter = reporter;
        this.logger = Thread.ofPlatform().name("record-logger").daemon(false).unstarted(this::drainLoop);
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
        return log;
    }

    /**
     * Hands the batch's records to the logger, blocking while the logger is more than the bound
     * behind. Does nothing for an empty batch.
     */
    public void append(RecordBatch batch) throws InterruptedException {
        if (batch.isEmpty()) return;
        int records = batch.records();
        byte[] bytes = batch.take();
        budget.acquire(permitsFor(bytes.length));
        enqueue(new Batch(bytes, records));
    }

    /**
     * Hands the batch's records to the logger if the bound allows it now; returns {@code false}
     * (and leaves the batch untouched) if it does not. Never blocks.
     */
    public boolean tryAppend(RecordBatch batch) {
        if (batch.isEmpty()) return true;
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
        budget.acquire(permitsFor(wholeRecords.length));
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

    /** Writes every record handed over so far, then closes the file. Idempotent. */
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
        file.close();
        if (interrupted) Thread.currentThread().interrupt();
    }

    private int permitsFor(int bytes) {
        // A batch larger than the whole bound still passes, alone.
        return Math.min(bytes, maxPendingBytes);
    }

    private void enqueue(Batch batch) {
        if (closed) throw new IllegalStateException("record log " + path + " is closed");
        queue.add(batch);
        if (loggerWaiting) LockSupport.unpark(logger);
    }

    /**
     * Waits until the queue holds something. The flag is raised before the emptiness check, so a
     * producer that adds after the check sees it and unparks: no wake-up is lost.
     */
    private Batch awaitBatch() {
        Batch b;
        while ((b = queue.poll()) == null) {
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
        while (!end) {
            taken.add(awaitBatch());   // only close() ends the logger, by queueing END last
            for (Batch b; (b = queue.poll()) != null; ) taken.add(b);
            for (Batch b : taken) {
                if (b == END) { end = true; continue; }
                if (b.bytes.length > out.remaining()) flush(out);
                if (b.bytes.length > out.capacity()) {
                    writeFully(ByteBuffer.wrap(b.bytes));
                } else {
                    out.put(b.bytes);
                }
            }
            flush(out);
            long records = 0;
            int permits = 0;
            for (Batch b : taken) {
                records += b.records;
                permits += permitsFor(b.bytes.length);
            }
            recordsWritten.addAndGet(records);
            taken.clear();
            budget.release(permits);
            spaceListener.run();
            if (!end && !closed) LockSupport.parkNanos(GATHER_NANOS);
        }
    }

    private void flush(ByteBuffer out) {
        out.flip();
        writeFully(out);
        out.clear();
    }

    /** Writes all of {@code buffer}; on an I/O error (disk full) it reports and retries, dropping nothing. */
    private void writeFully(ByteBuffer buffer) {
        while (buffer.hasRemaining()) {
            try {
                file.write(buffer);
            } catch (IOException e) {
                reporter.report("cannot write to log file " + path + ": " + e.getMessage() + "; retrying");
                try {
                    TimeUnit.MILLISECONDS.sleep(100);   // back-off before the retry, not synchronisation
                } catch (InterruptedException ignored) {
                    // keep trying: the records must not be lost
                }
            }
        }
    }
}
