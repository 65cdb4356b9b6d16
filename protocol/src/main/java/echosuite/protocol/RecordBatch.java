package echosuite.protocol;

import java.util.Arrays;

/**
 * The whole records that one read completed, laid end to end, ready to hand to the logger
 * as one unit. Because a batch only ever holds whole records and the logger writes a batch
 * with one write, a record can never be torn by another connection's records.
 *
 * <p>The buffer is reused between reads and shrinks back after a large batch, so a
 * connection that is idle holds at most {@value #KEEP_BYTES} bytes here. One instance per
 * connection; not thread-safe.
 */
public final class RecordBatch {

    static final int KEEP_BYTES = 256;
    private static final byte[] EMPTY = new byte[0];

    private byte[] buffer = EMPTY;
    private int size;
    private int records;

    /**
     * Appends one record: {@code prefixLen} bytes of {@code prefix}, then {@code len} bytes of
     * {@code src} from {@code off}, then a {@code \n} if {@code addNewline}.
     */
    void appendRecord(byte[] prefix, int prefixLen, byte[] src, int off, int len, boolean addNewline) {
        int total = prefixLen + len + (addNewline ? 1 : 0);
        ensure(size + total);
        System.arraycopy(prefix, 0, buffer, size, prefixLen);
        System.arraycopy(src, off, buffer, size + prefixLen, len);
        size += prefixLen + len;
        if (addNewline) buffer[size++] = '\n';
        records++;
    }

    /** Number of whole records in the batch. */
    public int records() {
        return records;
    }

    /** Number of bytes in the batch. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return records == 0;
    }

    /** Returns the batch's bytes as a new array of exactly {@link #size()} bytes and empties it. */
    public byte[] take() {
        byte[] out = Arrays.copyOf(buffer, size);
        size = 0;
        records = 0;
        if (buffer.length > KEEP_BYTES) buffer = EMPTY;
        return out;
    }

    private void ensure(int capacity) {
        if (capacity > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(capacity, Math.max(64, buffer.length * 2)));
        }
    }
}
