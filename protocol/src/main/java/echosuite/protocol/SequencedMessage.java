package echosuite.protocol;

/**
 * The load generator's message format: every message says which connection sent it and its
 * place in that connection's sequence, so that an echo and a log record can each be checked
 * byte for byte and traced back to their sender. One definition, used by the load generator
 * (to write and check messages) and by {@code echosuite.logcheck.SequencedLogVerifier} (to check a server's log).
 *
 * <p>A message of {@code size} bytes is ASCII and ends with its only {@code \n}, so it is one log
 * record and reads well in a log:
 * <pre>
 * c000000003 s0000000042 wxyzabcdefghijklmnopqrstuvwxyzabcdefghijk\n
 * ^ connection id (9 digits)  ^ filler: letters that depend on the connection and the position
 *            ^ sequence number within the connection (10 digits)
 * </pre>
 * Header: {@value #HEADER_BYTES} bytes ({@code c}, 9 digits, space, {@code s}, 10 digits, space);
 * the shortest message is {@value #MIN_BYTES} bytes (header and {@code \n}). The filler byte at
 * position {@code p} is {@code 'a' + (p + connection) % 26}; it does not depend on the sequence
 * number, so a sender fills a buffer once per connection and rewrites only the sequence digits
 * per message ({@link #writeSequence}), with no allocation.
 *
 * <p>Invariants: {@code 0 <= connection < 10^9}; the sequence number is written modulo
 * {@code 10^10} (a connection would need 10 billion messages to wrap).
 */
public final class SequencedMessage {

    /** Bytes of the header that precedes the filler. */
    public static final int HEADER_BYTES = 23;
    /** The shortest message: header plus {@code \n}. */
    public static final int MIN_BYTES = HEADER_BYTES + 1;
    /** Connection ids are below this (9 decimal digits). */
    public static final long MAX_CONNECTIONS = 1_000_000_000L;
    /** Sequence numbers are written modulo this (10 decimal digits). */
    public static final long SEQUENCE_MODULUS = 10_000_000_000L;

    private static final int CONNECTION_AT = 1, CONNECTION_DIGITS = 9;
    private static final int SEQUENCE_AT = 12, SEQUENCE_DIGITS = 10;

    private SequencedMessage() { }

    /**
     * Writes the whole message ({@code size} bytes) of {@code connection} with sequence number
     * {@code sequence} into {@code dst[0, size)}.
     *
     * @throws IllegalArgumentException if {@code size < MIN_BYTES} or the connection id is out of range
     */
    public static void fill(byte[] dst, int size, long connection, long sequence) {
        if (size < MIN_BYTES) throw new IllegalArgumentException("a message needs at least " + MIN_BYTES + " bytes, got " + size);
        if (connection < 0 || connection >= MAX_CONNECTIONS) {
            throw new IllegalArgumentException("connection id out of range: " + connection);
        }
        dst[0] = 'c';
        writeDigits(dst, CONNECTION_AT, CONNECTION_DIGITS, connection);
        dst[10] = ' ';
        dst[11] = 's';
        writeSequence(dst, sequence);
        dst[22] = ' ';
        for (int p = HEADER_BYTES; p < size - 1; p++) dst[p] = filler(connection, p);
        dst[size - 1] = '\n';
    }

    /** Rewrites only the sequence digits of a message previously made by {@link #fill}. */
    public static void writeSequence(byte[] dst, long sequence) {
        writeDigits(dst, SEQUENCE_AT, SEQUENCE_DIGITS, Math.floorMod(sequence, SEQUENCE_MODULUS));
    }

    /** The filler byte at position {@code p} (≥ {@value #HEADER_BYTES}) of a message of {@code connection}. */
    public static byte filler(long connection, int p) {
        return (byte) ('a' + (int) ((p + connection) % 26));
    }

    /** The connection id in the header of {@code b[off, off+len)}, or -1 if it does not start with a header. */
    public static long connectionOf(byte[] b, int off, int len) {
        if (!isHeader(b, off, len)) return -1;
        return readDigits(b, off + CONNECTION_AT, CONNECTION_DIGITS);
    }

    /** The sequence number in the header of {@code b[off, off+len)}, or -1 if it does not start with a header. */
    public static long sequenceOf(byte[] b, int off, int len) {
        if (!isHeader(b, off, len)) return -1;
        return readDigits(b, off + SEQUENCE_AT, SEQUENCE_DIGITS);
    }

    /**
     * True if {@code b[off, off+len)} is exactly the message of {@code size} bytes of
     * {@code connection} with {@code sequence}, byte for byte.
     */
    public static boolean matches(byte[] b, int off, int len, int size, long connection, long sequence) {
        if (len != size || connectionOf(b, off, len) != connection
                || sequenceOf(b, off, len) != Math.floorMod(sequence, SEQUENCE_MODULUS)) {
            return false;
        }
        for (int p = HEADER_BYTES; p < size - 1; p++) {
            if (b[off + p] != filler(connection, p)) return false;
        }
        return b[off + size - 1] == '\n';
    }

    private static boolean isHeader(byte[] b, int off, int len) {
        if (len < HEADER_BYTES || b[off] != 'c' || b[off + 10] != ' ' || b[off + 11] != 's' || b[off + 22] != ' ') {
            return false;
        }
        for (int i = 0; i < CONNECTION_DIGITS; i++) if (!isDigit(b[off + CONNECTION_AT + i])) return false;
        for (int i = 0; i < SEQUENCE_DIGITS; i++) if (!isDigit(b[off + SEQUENCE_AT + i])) return false;
        return true;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static void writeDigits(byte[] dst, int at, int digits, long value) {
        for (int i = at + digits - 1; i >= at; i--) {
            dst[i] = (byte) ('0' + (int) (value % 10));
            value /= 10;
        }
    }

    private static long readDigits(byte[] b, int at, int digits) {
        long v = 0;
        for (int i = at; i < at + digits; i++) v = v * 10 + (b[i] - '0');
        return v;
    }
}
