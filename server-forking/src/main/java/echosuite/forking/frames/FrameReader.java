package echosuite.forking.frames;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.function.IntConsumer;
import java.util.zip.CRC32C;

/**
 * The logger's reader of the pipe: turns the byte stream back into {@link LogFrame}s. Reads in
 * large chunks (many frames per {@code read()}), so it keeps up with many children.
 *
 * <p>Normally every frame starts where the previous one ended. A logger started after its
 * predecessor was killed may begin in the middle of a frame; then bytes are skipped, one at a
 * time, until an intact frame (magic, type, length and checksum agree) begins: the skipped
 * bytes are counted ({@link #skippedBytes}). Not thread-safe.
 *
 * <p>Counting on read: the records of every batch whose first frame's header it has read are
 * announced ({@code batchRead}) as soon as {@code read()} returns them, before any frame of the
 * chunk is handed on. A logger killed while its chunk waits to be written therefore has every
 * batch of that chunk counted as received, which the parent turns into "possibly lost". Only a
 * header cut in two by the end of a read escapes, if the logger dies before the next read.
 */
public final class FrameReader {

    private static final int BUFFER_BYTES = 64 << 10;

    private final InputStream in;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private final byte[] frame = new byte[LogFrame.MAX_BYTES];
    private final ByteBuffer frameView = ByteBuffer.wrap(frame);
    private final CRC32C crc = new CRC32C();
    private int start;
    private int end;
    private long skipped;
    private boolean eof;
    private final IntConsumer batchRead;
    /**
     * Index in {@link #buffer} of the end of the last frame whose batch was announced: a frame
     * boundary, from which the headers read ahead can be walked; -1 while no boundary is known
     * (before the first intact frame, and while resynchronising).
     */
    private int counted = -1;

    public FrameReader(InputStream in) {
        this(in, records -> { });
    }

    /** @param batchRead told the records of each batch whose first frame's header was read */
    public FrameReader(InputStream in, IntConsumer batchRead) {
        this.in = in;
        this.batchRead = batchRead;
    }

    /**
     * The next frame, its bytes at index 0 of the returned buffer's array (valid until the next
     * call), or null at end of file.
     */
    public ByteBuffer next() throws IOException {
        while (true) {
            int length = LogFrame.check(buffer, start, end - start, crc);
            if (length > 0) {
                if (start >= counted) {                          // not read ahead: announce it, and what follows it
                    announce(start);
                    counted = start + length;
                    announceReadAhead();
                }
                System.arraycopy(buffer, start, frame, 0, length);
                start += length;
                return frameView.clear().limit(length);
            }
            if (length < 0) {                                   // not a frame boundary: resynchronise
                counted = -1;
                start++;
                skipped++;
                continue;
            }
            if (!fill()) {                                      // end of file
                skipped += end - start;
                start = end;
                return null;
            }
        }
    }

    /** Bytes skipped so far because no intact frame began there. */
    public long skippedBytes() {
        return skipped;
    }

    /** Reads more bytes after the unread ones; false at end of file. */
    private boolean fill() throws IOException {
        if (eof) return false;
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            if (counted >= 0) counted -= start;
            start = 0;
        }
        int n = in.read(buffer, end, buffer.length - end);
        if (n < 0) {
            eof = true;
            return false;
        }
        end += n;
        announceReadAhead();
        return true;
    }

    /**
     * Walks the frame headers that lie whole in the buffer from the last boundary announced on,
     * announcing each batch's records. A header is judged by its fields alone (its frame's
     * checksum needs the payload, which may not be here yet); the walk stops at the first one
     * that does not make sense, and {@link #next} then checks and resynchronises as usual.
     */
    private void announceReadAhead() {
        while (counted >= 0 && counted + LogFrame.HEADER_BYTES <= end) {
            int length = LogFrame.plausibleLength(buffer, counted);
            if (length < 0) return;
            announce(counted);
            counted += length;
        }
    }

    private void announce(int frameStart) {
        if (buffer[frameStart + 2] == LogFrame.DATA && (buffer[frameStart + 3] & LogFrame.FIRST) != 0) {
            batchRead.accept(ByteBuffer.wrap(buffer, frameStart, LogFrame.HEADER_BYTES).slice().getInt(8));
        }
    }
}
