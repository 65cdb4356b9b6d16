package echosuite.forking.frames;

import echosuite.protocol.RecordBatch;
import echosuite.runtime.RecordSink;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * A handler child's end of the logger pipe: cuts each batch of records into {@link LogFrame}s
 * and writes each frame with one {@code write()} (atomic, since a frame is at most PIPE_BUF).
 * In C this is the child's {@code write(fds[1], buf, str_len)}, made safe for records longer
 * than PIPE_BUF and for many children writing at once.
 *
 * <p>Backpressure: when the pipe is full (the logger is behind) the write blocks, so the child
 * stops reading its client, which is what protocol.md asks for. One instance per process,
 * used by one thread at a time.
 *
 * <p>Before the first frame of a batch goes into the pipe, the batch's records are added to
 * {@link LoggerCounters#SENT}: a count kept by the writer, so that records a killed logger had
 * already taken out of the pipe, but not yet counted, are still known to have been sent.
 */
public final class FrameWriter implements RecordSink {

    private final OutputStream pipe;
    private final int childId;
    private final LoggerCounters counters;
    private final byte[] frameBytes = new byte[LogFrame.MAX_BYTES];
    private final ByteBuffer frame = ByteBuffer.wrap(frameBytes);
    private final CRC32C crc = new CRC32C();

    /**
     * @param pipe    an unbuffered stream whose every {@code write(b, off, len)} is one
     *                {@code write()} system call on the pipe (a {@code FileOutputStream})
     * @param childId the writer's id in every frame: its pid
     * @param counters where the records are counted as {@link LoggerCounters#SENT}: the page the
     *                 logger shares, or {@link LoggerCounters#unshared()} when no logger reads {@code pipe}
     */
    public FrameWriter(OutputStream pipe, int childId, LoggerCounters counters) {
        this.pipe = pipe;
        this.childId = childId;
        this.counters = counters;
    }

    /** Sends the batch's records as DATA frames: FIRST on the first, LAST on the last. */
    @Override
    public void accept(RecordBatch batch) throws IOException {
        if (batch.isEmpty()) return;
        int records = batch.records();
        byte[] bytes = batch.take();
        counters.addShared(LoggerCounters.SENT, records);   // before the write: killed in between, they count as lost
        for (int off = 0; off < bytes.length; off += LogFrame.MAX_PAYLOAD) {
            int len = Math.min(LogFrame.MAX_PAYLOAD, bytes.length - off);
            byte flags = (byte) ((off == 0 ? LogFrame.FIRST : 0) | (off + len == bytes.length ? LogFrame.LAST : 0));
            LogFrame.putHeader(frame, LogFrame.DATA, flags, childId, records, len);
            frame.put(bytes, off, len);
            pipe.write(frameBytes, 0, LogFrame.seal(frame, crc));
        }
    }

    /**
     * Sends the REPORT frame for a connection that ended: what it echoed, how many errors it had,
     * and whether it ended by {@code --idle-timeout} ({@code timedOut} 0 or 1).
     */
    public void report(long bytesEchoed, long errors, long timedOut) throws IOException {
        LogFrame.putHeader(frame, LogFrame.REPORT, (byte) 0, childId, 0, LogFrame.REPORT_PAYLOAD);
        frame.putLong(bytesEchoed).putLong(1).putLong(errors).putLong(timedOut);
        pipe.write(frameBytes, 0, LogFrame.seal(frame, crc));
    }
}
