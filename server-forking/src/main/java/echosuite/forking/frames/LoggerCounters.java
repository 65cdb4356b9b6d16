package echosuite.forking.frames;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * The logger's counts, kept in one page of memory shared by the logger process, the parent and
 * every handler child (a {@code memfd} all of them map). The logger stores each count the moment
 * it changes, with a plain memory write and no system call; the parent reads them whenever it
 * wants, and still can after the logger was killed, which is how it knows how many records may
 * have been lost.
 *
 * <p>{@link #SENT} is the handler children's: each adds a batch's records before it writes the
 * batch's first frame ({@link FrameWriter}), so it counts every record that entered the pipe, and
 * those of a child killed between the add and the write. {@code SENT - WRITTEN}, once every child
 * and the last logger have ended, is therefore every record received and not written, whatever
 * happened to the logger in between; that is the summary's {@code recordsLost}. It may count
 * too many, never too few: a logger killed after a write to the log file and before it stored
 * {@link #WRITTEN} leaves those records counted lost although they are in the file.
 *
 * <p>Invariant: {@link #RECEIVED} (the records of every batch whose start was read from the pipe,
 * stored as soon as the read returned) is never less than {@link #WRITTEN} (stored <em>after</em>
 * the write returned). So when a logger ends, {@code received - written} is every record it took
 * from the pipe and did not write: batches cut by a dead child, records given up with a failing
 * log file, or, if it was killed, an upper bound of what it lost; never an underestimate.
 *
 * <p>Counts are cumulative over every logger incarnation of one server run. Each slot but
 * {@link #SENT} has one writer thread at a time; the parent writes only while no logger runs.
 * {@link #SENT} has many writers in many processes at once, so it is only ever added to
 * atomically ({@link #addShared}).
 */
public final class LoggerCounters {

    /** Records of the batches whose start was read from the pipe. */
    public static final int RECEIVED = 0;
    /** Records written to the log file. */
    public static final int WRITTEN = 1;
    /** From handler children's REPORT frames: bytes echoed. */
    public static final int BYTES_ECHOED = 2;
    /** From REPORT frames: connections served to their end. */
    public static final int CONNECTIONS = 3;
    /** From REPORT frames plus the logger's own: I/O errors. */
    public static final int ERRORS = 4;
    /** Bytes of the pipe skipped because they were not part of a whole frame (after a logger restart). */
    public static final int SKIPPED_BYTES = 5;
    /** From REPORT frames: connections ended by {@code --idle-timeout}. */
    public static final int TIMED_OUT = 6;
    /** Records the handler children are about to write to the pipe (see the class comment). */
    public static final int SENT = 7;

    public static final long BYTES = SharedPage.BYTES;

    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final ByteBuffer page;

    private LoggerCounters(ByteBuffer page) {
        this.page = page.order(ByteOrder.nativeOrder());     // the order of LONGS, for the plain reads and writes too
    }

    /**
     * Maps the shared page: {@code file} is a path that opens the memfd, such as
     * {@code /proc/self/fd/3} in the logger or {@code /proc/self/fd/N} in the parent.
     */
    public static LoggerCounters map(Path file) throws IOException {
        return new LoggerCounters(SharedPage.map(file));
    }

    /**
     * A page of this process alone, for frames no logger reads (a spare's warm-up, whose records
     * are not a client's): the same code path, counting nowhere that matters.
     */
    public static LoggerCounters unshared() {
        return new LoggerCounters(ByteBuffer.allocateDirect((int) BYTES + Long.BYTES).alignedSlice(Long.BYTES));
    }

    public long get(int slot) {
        return page.getLong(slot * Long.BYTES);
    }

    public void set(int slot, long value) {
        page.putLong(slot * Long.BYTES, value);
    }

    public void add(int slot, long delta) {
        set(slot, get(slot) + delta);
    }

    /** Adds atomically: for a slot that several processes add to at once ({@link #SENT}). */
    void addShared(int slot, long delta) {
        LONGS.getAndAdd(page, slot * Long.BYTES, delta);
    }
}
