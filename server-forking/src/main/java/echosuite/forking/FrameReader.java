package echosuite.forking;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The logger's reader of the pipe: turns the byte stream back into {@link LogFrame}s. Reads in
 * large chunks (many frames per {@code read()}), so it keeps up with many children.
 *
 * <p>Normally every frame starts where the previous one ended. A logger started after its
 * predecessor was killed may begin in the middle of a frame; then bytes are skipped, one at a
 * time, until an intact frame (magic, type, length and checksum agree) begins: the skipped
 * bytes are counted ({@link #skippedBytes}). Not thread-safe.
 */
final class FrameReader {

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

    FrameReader(InputStream in) {
        this.in = in;
    }

    /**
     * The next frame, its bytes at index 0 of the returned buffer's array (valid until the next
     * call), or null at end of file.
     */
    ByteBuffer next() throws IOException {
        while (true) {
            int length = LogFrame.check(buffer, start, end - start, crc);
            if (length > 0) {
                System.arraycopy(buffer, start, frame, 0, length);
                start += length;
                return frameView.clear().limit(length);
            }
            if (length < 0) {                                   // not a frame boundary: resynchronise
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
    long skippedBytes() {
        return skipped;
    }

    /** Reads more bytes after the unread ones; false at end of file. */
    private boolean fill() throws IOException {
        if (eof) return false;
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        int n = in.read(buffer, end, buffer.length - end);
        if (n < 0) {
            eof = true;
            return false;
        }
        end += n;
        return true;
    }
}
