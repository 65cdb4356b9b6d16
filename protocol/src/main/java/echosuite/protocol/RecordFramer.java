package echosuite.protocol;

/**
 * Splits one connection's byte stream into log records, exactly as protocol.md says.
 *
 * <ul>
 *   <li>Each complete message, including its {@code \n}, is one record.</li>
 *   <li>A run of more than {@code maxLine} bytes without {@code \n} is cut into pieces of
 *       {@code maxLine} bytes, each followed by {@code \n}. The cut happens only when the
 *       body is full <em>and</em> the next byte is not {@code \n}, so a run of exactly
 *       {@code maxLine} bytes followed by {@code \n} stays one record.</li>
 *   <li>At EOF ({@link #finish}) the bytes after the last {@code \n} form a final record,
 *       with {@code \n} appended.</li>
 * </ul>
 *
 * <p>Invariant: the unfinished body held between calls is at most {@code maxLine} bytes, so
 * memory per connection is bounded. The body buffer is allocated only while a record spans
 * reads and is released when it empties (when larger than {@value #KEEP_BODY_BYTES} bytes),
 * so an idle connection holds no buffer. One instance per connection; not thread-safe.
 */
public final class RecordFramer {

    /** Body buffers up to this size are kept for reuse when a record completes. */
    static final int KEEP_BODY_BYTES = 256;
    private static final byte[] EMPTY = new byte[0];

    private final int maxLine;
    private byte[] body = EMPTY;
    private int bodyLength;

    /** @param maxLine the longest record body in bytes (the {@code --max-line} option), at least 1 */
    public RecordFramer(int maxLine) {
        if (maxLine < 1) throw new IllegalArgumentException("maxLine must be at least 1, got " + maxLine);
        this.maxLine = maxLine;
    }

    /**
     * Frames {@code len} received bytes of {@code src} starting at {@code off}: appends every
     * record they complete to {@code out} and keeps the unfinished rest.
     */
    public void frame(byte[] src, int off, int len, RecordBatch out) {
        final int end = off + len;
        int start = off;   // first byte of src not yet in a record or in the body
        while (start < end) {
            int room = maxLine - bodyLength;                   // body bytes allowed before a cut
            int limit = (int) Math.min(end, (long) start + room);
            int newline = indexOfNewline(src, start, limit);
            if (newline >= 0) {                                // a complete record
                out.appendRecord(body, bodyLength, src, start, newline + 1 - start, false);
                clearBody();
                start = newline + 1;
            } else if (limit == end) {                         // all of it fits in the body
                keep(src, start, end - start);
                return;
            } else if (src[limit] == '\n') {                   // body exactly full, then '\n'
                out.appendRecord(body, bodyLength, src, start, limit + 1 - start, false);
                clearBody();
                start = limit + 1;
            } else {                                           // body full, run goes on: cut
                out.appendRecord(body, bodyLength, src, start, limit - start, true);
                clearBody();
                start = limit;
            }
        }
    }

    /** At EOF: appends the unfinished body, if any, as a final record with {@code \n}. */
    public void finish(RecordBatch out) {
        if (bodyLength > 0) {
            out.appendRecord(body, bodyLength, body, 0, 0, true);
        }
        bodyLength = 0;
        body = EMPTY;
    }

    /** Bytes received but not yet part of a record (at most {@code maxLine}). */
    public int pendingBytes() {
        return bodyLength;
    }

    private static int indexOfNewline(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] == '\n') return i;
        }
        return -1;
    }

    private void keep(byte[] src, int off, int len) {
        int needed = bodyLength + len;
        if (needed > body.length) {
            int capacity = Math.min(maxLine, Math.max(needed, Math.max(64, body.length * 2)));
            body = java.util.Arrays.copyOf(body, capacity);
        }
        System.arraycopy(src, off, body, bodyLength, len);
        bodyLength = needed;
    }

    private void clearBody() {
        bodyLength = 0;
        if (body.length > KEEP_BODY_BYTES) body = EMPTY;
    }
}
