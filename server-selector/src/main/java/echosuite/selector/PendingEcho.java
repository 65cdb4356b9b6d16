package echosuite.selector;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;

/**
 * Echo bytes a connection owes its client but could not write yet (the client reads slower
 * than it sends). Created only when a write was incomplete and dropped when drained, so idle
 * connections hold none. Bounded by its owner: a {@link Connection} stops reading while this
 * holds {@link Connection#MAX_PENDING_ECHO} bytes or more, so it never exceeds that plus one read
 * ({@value Reactor#READ_BUFFER_BYTES} bytes).
 *
 * <p>Layout: the unsent bytes are {@code bytes[start, end)}; appends go at {@code end}, writes
 * take from {@code start}, and the array is compacted or grown only when an append does not fit.
 */
final class PendingEcho {

    private static final int MIN_CAPACITY = 4 << 10;

    private byte[] bytes;
    private int start;
    private int end;

    /** @param firstBytes the size of the first append, to size the array once in the common case */
    PendingEcho(int firstBytes) {
        bytes = new byte[Math.max(MIN_CAPACITY, firstBytes)];
    }

    /** Unsent bytes held. */
    int size() {
        return end - start;
    }

    boolean isEmpty() {
        return end == start;
    }

    /** Appends all remaining bytes of {@code src} behind the unsent ones. */
    void append(ByteBuffer src) {
        int n = src.remaining();
        if (end + n > bytes.length) makeRoom(n);
        src.get(bytes, end, n);
        end += n;
    }

    /** Writes as much as the socket takes now; returns the number of bytes written. */
    int writeTo(WritableByteChannel channel) throws IOException {
        int written = channel.write(ByteBuffer.wrap(bytes, start, end - start));
        start += written;
        if (start == end) start = end = 0;
        return written;
    }

    private void makeRoom(int n) {
        int size = size();
        if (size + n <= bytes.length) {                  // enough room once the sent bytes are dropped
            System.arraycopy(bytes, start, bytes, 0, size);
        } else {
            bytes = Arrays.copyOfRange(bytes, start, start + Math.max(size + n, bytes.length * 2));
        }
        start = 0;
        end = size;
    }
}
