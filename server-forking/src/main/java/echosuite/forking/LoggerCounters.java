package echosuite.forking;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * The logger's counts, kept in one page of memory shared by the logger process and the parent
 * (a {@code memfd} both map). The logger stores each count the moment it changes, with a plain
 * memory write and no system call; the parent reads them whenever it wants, and still can
 * after the logger was killed, which is how it knows how many records may have been lost.
 *
 * <p>Invariant: {@link #RECEIVED} (the records of every batch whose start was read from the pipe,
 * stored as soon as the read returned) is never less than {@link #WRITTEN} (stored <em>after</em>
 * the write returned). So when a logger ends, {@code received - written} is every record it took
 * from the pipe and did not write: batches cut by a dead child, records given up with a failing
 * log file, or, if it was killed, an upper bound of what it lost; never an underestimate.
 *
 * <p>Counts are cumulative over every logger incarnation of one server run. Each slot has one
 * writer thread at a time; the parent writes only while no logger runs.
 */
final class LoggerCounters {

    /** Records of the batches whose start was read from the pipe. */
    static final int RECEIVED = 0;
    /** Records written to the log file. */
    static final int WRITTEN = 1;
    /** From handler children's REPORT frames: bytes echoed. */
    static final int BYTES_ECHOED = 2;
    /** From REPORT frames: connections served to their end. */
    static final int CONNECTIONS = 3;
    /** From REPORT frames plus the logger's own: I/O errors. */
    static final int ERRORS = 4;
    /** Bytes of the pipe skipped because they were not part of a whole frame (after a logger restart). */
    static final int SKIPPED_BYTES = 5;
    /** From REPORT frames: connections ended by {@code --idle-timeout}. */
    static final int TIMED_OUT = 6;

    static final long BYTES = SharedPage.BYTES;

    private final MappedByteBuffer page;

    private LoggerCounters(MappedByteBuffer page) {
        this.page = page;
    }

    /**
     * Maps the shared page: {@code file} is a path that opens the memfd, such as
     * {@code /proc/self/fd/3} in the logger or {@code /proc/self/fd/N} in the parent.
     */
    static LoggerCounters map(Path file) throws IOException {
        return new LoggerCounters(SharedPage.map(file));
    }

    long get(int slot) {
        return page.getLong(slot * Long.BYTES);
    }

    void set(int slot, long value) {
        page.putLong(slot * Long.BYTES, value);
    }

    void add(int slot, long delta) {
        set(slot, get(slot) + delta);
    }
}
