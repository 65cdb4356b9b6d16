package echosuite.forking.frames;

import echosuite.forking.Posix;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The unit that travels through the logger pipe. Every write into the pipe is exactly one frame
 * of at most {@link #MAX_BYTES} = {@code PIPE_BUF} bytes, which the kernel writes atomically
 * (and not at all if the writer is killed while it waits for room). So the pipe carries whole
 * frames back to back; frames of different children interleave but never mix, and the logger
 * reassembles each child's records, however long, from its frames.
 *
 * <pre>
 * offset size
 *   0     2   magic 0xEC01
 *   2     1   type: DATA, REPORT or GONE
 *   3     1   flags (DATA): FIRST = first frame of a batch, LAST = last frame of a batch
 *   4     4   child id: the writer's pid
 *   8     4   DATA: records in the whole batch (so a batch cut short can be counted as lost)
 *  12     4   payload length in bytes, at most MAX_PAYLOAD
 *  16     4   CRC-32C of bytes 0..15 and the payload
 *  20     ..  payload
 * </pre>
 * The checksum lets a logger that starts in the middle of the stream (its predecessor was
 * killed after reading part of a frame) find the next frame boundary: it skips bytes until a
 * header's magic, type, length and checksum all agree ({@link FrameReader}).
 * <ul>
 *   <li>{@code DATA}: a piece of a batch of whole records (one read's worth of a connection);
 *       the logger writes a batch only once its LAST frame is in, so a record never tears.</li>
 *   <li>{@code REPORT}: a handler child's counts for one connection at its end:
 *       bytes echoed, connections (1), errors, connections timed out ({@code --idle-timeout}:
 *       0 or 1): four longs.</li>
 *   <li>{@code GONE}: written by the parent after it reaped a child that did not end cleanly:
 *       any unfinished batch of that child will never be completed.</li>
 * </ul>
 * Byte order: big-endian (Java's default), the same in every process of one machine.
 */
public final class LogFrame {

    static final int MAX_BYTES = Posix.PIPE_BUF;
    public static final int HEADER_BYTES = 20;
    static final int MAX_PAYLOAD = MAX_BYTES - HEADER_BYTES;
    private static final int CHECKED_HEADER_BYTES = 16;
    private static final int CRC_OFFSET = 16;

    static final short MAGIC = (short) 0xEC01;
    static final byte DATA = 1;
    static final byte REPORT = 2;
    public static final byte GONE = 3;
    static final byte FIRST = 1;
    static final byte LAST = 2;

    static final int REPORT_PAYLOAD = 4 * Long.BYTES;

    private LogFrame() { }

    /**
     * Starts a frame in {@code frame}: writes the header (checksum still empty) and leaves the
     * position where the payload goes. Finish with {@link #seal}.
     */
    public static void putHeader(ByteBuffer frame, byte type, byte flags, int childId, int batchRecords, int payloadLength) {
        frame.clear();
        frame.putShort(MAGIC).put(type).put(flags).putInt(childId).putInt(batchRecords).putInt(payloadLength).putInt(0);
    }

    /** Computes the checksum of the frame written into {@code frame} (header and payload up to its position); returns its length. */
    public static int seal(ByteBuffer frame, CRC32C crc) {
        int length = frame.position();
        frame.putInt(CRC_OFFSET, checksum(frame.array(), frame.arrayOffset(), length, crc));
        return length;
    }

    /**
     * Is there a whole, intact frame at {@code off} in {@code bytes} (of which {@code available}
     * are valid)? Returns its length, 0 if more bytes are needed to tell, or -1 if not a frame here.
     */
    static int check(byte[] bytes, int off, int available, CRC32C crc) {
        if (available < HEADER_BYTES) return available >= 2 && !magicAt(bytes, off) ? -1 : 0;
        int length = plausibleLength(bytes, off);
        if (length < 0) return -1;
        if (available < length) return 0;
        return checksum(bytes, off, length, crc) == ByteBuffer.wrap(bytes, off, HEADER_BYTES).slice().getInt(CRC_OFFSET) ? length : -1;
    }

    /**
     * The length of the frame whose header (all {@link #HEADER_BYTES} of it) is at {@code off},
     * judged by the header's fields alone, or -1 if they do not make a frame header. Its checksum
     * is not checked: that needs the whole frame ({@link #check}).
     */
    static int plausibleLength(byte[] bytes, int off) {
        ByteBuffer header = ByteBuffer.wrap(bytes, off, HEADER_BYTES).slice();
        byte type = header.get(2);
        int payload = header.getInt(12);
        if (header.getShort(0) != MAGIC || type < DATA || type > GONE || payload < 0 || payload > MAX_PAYLOAD) return -1;
        return HEADER_BYTES + payload;
    }

    private static boolean magicAt(byte[] bytes, int off) {
        return bytes[off] == (byte) (MAGIC >> 8) && bytes[off + 1] == (byte) MAGIC;
    }

    private static int checksum(byte[] bytes, int off, int length, CRC32C crc) {
        crc.reset();
        crc.update(bytes, off, CHECKED_HEADER_BYTES);
        crc.update(bytes, off + HEADER_BYTES, length - HEADER_BYTES);
        return (int) crc.getValue();
    }

    static byte type(ByteBuffer frame) {
        return frame.get(2);
    }

    static byte flags(ByteBuffer frame) {
        return frame.get(3);
    }

    static int childId(ByteBuffer frame) {
        return frame.getInt(4);
    }

    static int batchRecords(ByteBuffer frame) {
        return frame.getInt(8);
    }

    static int payloadLength(ByteBuffer frame) {
        return frame.getInt(12);
    }
}
