package echosuite.logcheck;

import echosuite.protocol.RecordBatch;
import echosuite.protocol.RecordFramer;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a server's log file against what was sent: every expected record exactly once, the
 * records of each connection in the order they were sent, nothing torn or foreign. Problems
 * are reported in plain words.
 *
 * <p>Expected records are derived from the bytes each connection sent, with the same
 * {@link RecordFramer} rules the servers must follow ({@link #expectedRecords}). Records are
 * matched by content; where several connections sent identical records, a record is credited
 * to a connection whose next expected record it is, so identical traffic on many connections
 * is still checked for order. A torn record shows as an unexpected record plus missing ones.
 */
public final class LogVerifier {

    /** At most this many problems are described one by one; the rest are counted. */
    static final int MAX_DESCRIBED = 20;

    private LogVerifier() { }

    /** The outcome: counts, and up to {@value #MAX_DESCRIBED} problems in words. */
    public record Report(long expected, long logged, long matched, long missing, long unexpected,
                         long outOfOrder, List<String> problems) {
        public boolean ok() {
            return missing == 0 && unexpected == 0 && outOfOrder == 0 && matched == expected && logged == expected;
        }

        /** One paragraph a person can read. */
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(ok() ? "log verified: " : "log NOT verified: ")
                    .append(expected).append(" records expected, ").append(logged).append(" logged, ")
                    .append(missing).append(" missing, ").append(unexpected).append(" unexpected (torn, duplicated or foreign), ")
                    .append(outOfOrder).append(" out of order");
            for (String p : problems) s.append("\n  - ").append(p);
            long described = problems.size();
            long total = missing + unexpected + outOfOrder;
            if (total > described) s.append("\n  - ... and ").append(total - described).append(" more");
            return s.toString();
        }
    }

    /** The records a server must log for a connection that sent {@code sent} and then EOF. */
    public static List<byte[]> expectedRecords(byte[] sent, int maxLine) {
        RecordFramer framer = new RecordFramer(maxLine);
        RecordBatch batch = new RecordBatch();
        framer.frame(sent, 0, sent.length, batch);
        framer.finish(batch);
        return split(batch.take());
    }

    /**
     * Verifies {@code log} against the expected records of each connection (index = connection).
     */
    public static Report verify(Path log, List<List<byte[]>> expectedPerConnection) throws IOException {
        return verify(log, expectedPerConnection, List.of());
    }

    /**
     * As {@link #verify(Path, List)}, for logs where some records may or may not have reached the
     * server (sent just before a reset or a SIGTERM): {@code mayFollow.get(c)} are records that
     * may appear after all of connection {@code c}'s required records, in order, at most once
     * each; their absence is not a problem. {@code mayFollow} may be shorter than the list of
     * connections.
     */
    public static Report verify(Path log, List<List<byte[]>> required, List<List<byte[]>> mayFollow) throws IOException {
        int[] requiredCount = new int[required.size()];
        List<List<byte[]>> expectedPerConnection = new ArrayList<>();
        for (int c = 0; c < required.size(); c++) {
            requiredCount[c] = required.get(c).size();
            List<byte[]> all = new ArrayList<>(required.get(c));
            if (c < mayFollow.size()) all.addAll(mayFollow.get(c));
            expectedPerConnection.add(all);
        }
        int connections = expectedPerConnection.size();
        Map<Key, ArrayDeque<int[]>> pending = new HashMap<>();
        long expected = 0;
        for (int c = 0; c < connections; c++) {
            List<byte[]> records = expectedPerConnection.get(c);
            for (int i = 0; i < records.size(); i++) {
                pending.computeIfAbsent(new Key(records.get(i)), k -> new ArrayDeque<>()).add(new int[] {c, i});
            }
            expected += requiredCount[c];
        }
        RecordOrder[] order = new RecordOrder[connections];
        for (int c = 0; c < connections; c++) order[c] = new RecordOrder();

        List<String> problems = new ArrayList<>();
        long logged = 0, matched = 0, unexpected = 0, outOfOrder = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(log), 1 << 16)) {
            ByteArrayOutputStream record = new ByteArrayOutputStream();
            int b;
            long lineNumber = 0;
            while (true) {
                b = in.read();
                if (b >= 0) record.write(b);
                if (b != '\n' && b >= 0) continue;
                if (record.size() == 0) break;          // clean end of file
                lineNumber++;
                logged++;
                byte[] r = record.toByteArray();
                record.reset();
                if (b < 0) {
                    unexpected++;
                    describe(problems, "the log ends with an unterminated record (torn write?): " + preview(r));
                    break;
                }
                ArrayDeque<int[]> candidates = pending.get(new Key(r));
                if (candidates == null || candidates.isEmpty()) {
                    unexpected++;
                    describe(problems, unexpected(lineNumber, r));
                    continue;
                }
                int[] pick = null;
                for (int[] cand : candidates) {
                    if (order[cand[0]].nextMissing(0) == cand[1]) { pick = cand; break; }
                }
                if (pick == null) pick = candidates.peekFirst();
                candidates.remove(pick);
                matched++;
                int before = order[pick[0]].nextMissing(0);
                if (!order[pick[0]].find(pick[1])) {
                    outOfOrder++;
                    describe(problems, outOfOrder(pick[0], pick[1], lineNumber, before, r));
                }
            }
        }
        long missing = 0;
        for (int c = 0; c < connections; c++) {
            List<byte[]> records = expectedPerConnection.get(c);
            for (int i = requiredCount[c]; i < records.size(); i++) {
                if (order[c].isFound(i)) expected++;          // an optional record that did arrive
            }
            for (int i = order[c].nextMissing(0); i < requiredCount[c]; i = order[c].nextMissing(i + 1)) {
                missing++;
                describe(problems, missing(c, i, records.get(i)));
            }
        }
        return new Report(expected, logged, matched, missing, unexpected, outOfOrder, List.copyOf(problems));
    }

    /** Splits whole records (each ending in {@code \n}) into one array per record. */
    static List<byte[]> split(byte[] records) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < records.length; i++) {
            if (records[i] == '\n') {
                out.add(Arrays.copyOfRange(records, start, i + 1));
                start = i + 1;
            }
        }
        return out;
    }

    // The words for each kind of problem, shared with SequencedLogVerifier.

    static String unexpected(long lineNumber, byte[] record) {
        return "log record " + lineNumber + " was not sent, or was logged once too often (torn or duplicated): " + preview(record);
    }

    static String outOfOrder(long connection, long index, long lineNumber, long firstMissing, byte[] record) {
        return "connection " + connection + ": its record " + index + " was logged (log record "
                + lineNumber + ") before its record " + firstMissing + ": " + preview(record);
    }

    static String missing(long connection, long index, byte[] record) {
        return "connection " + connection + ": its record " + index + " is missing from the log: " + preview(record);
    }

    static void describe(List<String> problems, String problem) {
        if (problems.size() < MAX_DESCRIBED) problems.add(problem);
    }

    /** The first bytes of a record, printable: non-ASCII and control bytes as \xNN. */
    static String preview(byte[] r) {
        StringBuilder s = new StringBuilder("\"");
        int shown = Math.min(r.length, 40);
        for (int i = 0; i < shown; i++) {
            int b = r[i] & 0xff;
            if (b == '\n') s.append("\\n");
            else if (b == '\r') s.append("\\r");
            else if (b == '\t') s.append("\\t");
            else if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\') s.append((char) b);
            else s.append(String.format("\\x%02x", b));
        }
        s.append('"');
        if (r.length > shown) s.append(" ... (").append(r.length).append(" bytes)");
        return s.toString();
    }

    /** A record as a hash map key (content equality). */
    private record Key(byte[] bytes, int hash) {
        Key(byte[] bytes) {
            this(bytes, Arrays.hashCode(bytes));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && Arrays.equals(k.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
