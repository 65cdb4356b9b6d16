package echosuite.logcheck;

import echosuite.protocol.SequencedMessage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Checks a server's log against what a load generator sent, for runs too large for
 * {@link LogVerifier}'s in-memory set of expected records: here the expected records are not
 * stored but described ("connection 7 sent messages 0 to 41 999, of 64 bytes each"), because every
 * {@link SequencedMessage} names its connection and sequence number. The log is read once,
 * streaming, in chunks; memory is a few words per connection.
 *
 * <p>The verdict and its words are {@link LogVerifier}'s ({@link LogVerifier.Report}), and order is
 * judged by the same {@link RecordOrder} rule, so "missing", "out of order" and "unexpected (torn,
 * duplicated or foreign)" mean the same in both. A record is <em>matched</em> when its header
 * names a connection and sequence number that were sent and it equals that message byte for
 * byte; anything else is unexpected: a torn record (two messages' bytes interleaved), a
 * duplicate, or a record no connection of this run sent.
 *
 * <p>Use: {@link #expect} once per connection, then {@link #verify}. Not thread-safe.
 */
public final class SequencedLogVerifier {

    /** Bytes read from the log at a time. */
    private static final int READ_CHUNK = 1 << 20;

    private long[] connections = new long[1024];   // connection ids, in the order expect() was called
    private int[] counts = new int[1024];           // whole messages each sent that the log must hold
    private int[] optional = new int[1024];         // messages each sent after those, that the log may hold
    private int[] sizes = new int[1024];            // bytes of each of its messages
    private int size;
    private int longestMessage = SequencedMessage.MIN_BYTES;
    private long expected;

    /**
     * Records that {@code connection} sent the whole messages of {@code messageBytes} bytes with
     * sequence numbers {@code 0 .. messages-1} (and nothing else), so the log must hold each
     * exactly once, in order. Each connection id may be given once.
     */
    public void expect(long connection, long messages, int messageBytes) {
        expect(connection, messages, 0, messageBytes);
    }

    /**
     * Records that {@code connection} sent messages {@code 0 .. required-1}, which the log must
     * hold, and then {@code mayFollow} more, which it may hold: messages whose echo never came back
     * (the connection timed out or was reset with them in flight), so the sender cannot know
     * whether the server read them. Each that is logged must still be logged once, in order and
     * whole; each that is not is not missing. Each connection id may be given once.
     */
    public void expect(long connection, long required, long mayFollow, int messageBytes) {
        long messages = required;
        if (messages < 0 || messages > Integer.MAX_VALUE) throw new IllegalArgumentException("message count out of range: " + messages);
        if (mayFollow < 0 || required + mayFollow > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("optional message count out of range: " + mayFollow);
        }
        if (messageBytes < SequencedMessage.MIN_BYTES) {
            throw new IllegalArgumentException("messages have at least " + SequencedMessage.MIN_BYTES + " bytes, got " + messageBytes);
        }
        if (size == connections.length) {
            connections = Arrays.copyOf(connections, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
            sizes = Arrays.copyOf(sizes, size * 2);
            optional = Arrays.copyOf(optional, size * 2);
        }
        connections[size] = connection;
        counts[size] = (int) messages;
        optional[size] = (int) mayFollow;
        sizes[size] = messageBytes;
        longestMessage = Math.max(longestMessage, messageBytes);
        size++;
        expected += messages;
    }

    /** The number of records the log must hold. */
    public long expectedRecords() {
        return expected;
    }

    /** Reads {@code log} once and reports how it compares with what was sent. */
    public LogVerifier.Report verify(Path log) throws IOException {
        Check check = new Check();
        try (InputStream in = Files.newInputStream(log)) {
            byte[] chunk = new byte[READ_CHUNK];
            byte[] carry = new byte[longestMessage + 1];  // a record split over two chunks
            int carryLength = 0;
            long carryTotal = 0;                        // true length of the carried record (may exceed carry)
            int n;
            while ((n = in.read(chunk)) > 0) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (chunk[i] != '\n') continue;
                    if (carryTotal == 0) {
                        check.record(chunk, start, i + 1 - start, i + 1 - start);
                    } else {
                        int add = Math.min(i + 1 - start, carry.length - carryLength);
                        System.arraycopy(chunk, start, carry, carryLength, add);
                        check.record(carry, 0, carryLength + add, carryTotal + (i + 1 - start));
                        carryLength = 0;
                        carryTotal = 0;
                    }
                    start = i + 1;
                }
                int add = Math.min(n - start, carry.length - carryLength);
                System.arraycopy(chunk, start, carry, carryLength, add);
                carryLength += add;
                carryTotal += n - start;
            }
            if (carryTotal > 0) check.unterminated(Arrays.copyOf(carry, carryLength));
        }
        return check.report();
    }

    /** The state of one pass over the log. */
    private final class Check {
        private final long[] sortedIds;
        private final int[] slotOfSorted;            // sortedIds[i] is connections[slotOfSorted[i]]
        private final RecordOrder[] order = new RecordOrder[size];
        private final List<String> problems = new ArrayList<>();
        private long logged, matched, unexpected, outOfOrder;
        private long optionalLogged;                 // messages that may follow, found in the log

        Check() {
            Integer[] slots = new Integer[size];
            for (int i = 0; i < size; i++) slots[i] = i;
            Arrays.sort(slots, (a, b) -> Long.compare(connections[a], connections[b]));
            sortedIds = new long[size];
            slotOfSorted = new int[size];
            for (int i = 0; i < size; i++) {
                slotOfSorted[i] = slots[i];
                sortedIds[i] = connections[slots[i]];
                if (i > 0 && sortedIds[i] == sortedIds[i - 1]) {
                    throw new IllegalStateException("connection " + sortedIds[i] + " was expected twice");
                }
            }
        }

        /** One record of the log, {@code b[off, off+len)} ending in {@code \n}; {@code trueLength} ≥ len if it was cut. */
        void record(byte[] b, int off, int len, long trueLength) {
            logged++;
            long connection = SequencedMessage.connectionOf(b, off, len);
            long sequence = SequencedMessage.sequenceOf(b, off, len);
            int found = connection < 0 ? -1 : Arrays.binarySearch(sortedIds, connection);
            int slot = found < 0 ? -1 : slotOfSorted[found];
            if (slot < 0 || sequence >= (long) counts[slot] + optional[slot] || trueLength != len
                    || !SequencedMessage.matches(b, off, len, sizes[slot], connection, sequence)) {
                unexpected(b, off, len);
                return;
            }
            RecordOrder o = order[slot];
            if (o == null) o = order[slot] = new RecordOrder();
            int index = (int) sequence;
            if (o.isFound(index)) {                       // logged twice
                unexpected(b, off, len);
                return;
            }
            matched++;
            if (index >= counts[slot]) optionalLogged++;
            int firstMissing = o.nextMissing(0);
            if (!o.find(index)) {
                outOfOrder++;
                if (problems.size() < LogVerifier.MAX_DESCRIBED) {
                    LogVerifier.describe(problems, LogVerifier.outOfOrder(connection, index, logged, firstMissing,
                            Arrays.copyOfRange(b, off, off + len)));
                }
            }
        }

        void unterminated(byte[] start) {
            logged++;
            unexpected++;
            LogVerifier.describe(problems, "the log ends with an unterminated record (torn write?): " + LogVerifier.preview(start));
        }

        private void unexpected(byte[] b, int off, int len) {
            unexpected++;
            if (problems.size() < LogVerifier.MAX_DESCRIBED) {
                LogVerifier.describe(problems, LogVerifier.unexpected(logged, Arrays.copyOfRange(b, off, off + len)));
            }
        }

        LogVerifier.Report report() {
            long missing = 0;
            for (int slot = 0; slot < size; slot++) {
                RecordOrder o = order[slot] == null ? new RecordOrder() : order[slot];
                for (int i = o.nextMissing(0); i < counts[slot]; i = o.nextMissing(i + 1)) {
                    missing++;
                    if (problems.size() < LogVerifier.MAX_DESCRIBED) {
                        byte[] message = new byte[sizes[slot]];
                        SequencedMessage.fill(message, sizes[slot], connections[slot], i);
                        LogVerifier.describe(problems, LogVerifier.missing(connections[slot], i, message));
                    }
                }
            }
            // A message that may follow and was logged is expected from then on: the report's
            // "expected" is what the log must hold given what it holds.
            return new LogVerifier.Report(expected + optionalLogged, logged, matched, missing, unexpected, outOfOrder, List.copyOf(problems));
        }
    }
}
