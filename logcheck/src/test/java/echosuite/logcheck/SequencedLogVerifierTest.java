package echosuite.logcheck;

import echosuite.protocol.SequencedMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The streaming verifier: same verdicts and words as {@link LogVerifier}, without holding the records. */
class SequencedLogVerifierTest {

    static final int SIZE = 40;

    @TempDir
    Path dir;

    /** Connection 10 sent 3 messages, connection 11 sent 2. */
    static SequencedLogVerifier sent() {
        SequencedLogVerifier v = new SequencedLogVerifier();
        v.expect(10, 3, SIZE);
        v.expect(11, 2, SIZE);
        return v;
    }

    static byte[] m(long connection, long sequence) {
        byte[] b = new byte[SIZE];
        SequencedMessage.fill(b, SIZE, connection, sequence);
        return b;
    }

    Path log(byte[]... records) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] r : records) out.write(r);
        Path file = dir.resolve("log-" + System.nanoTime() + ".txt");
        Files.write(file, out.toByteArray());
        return file;
    }

    @Test
    void acceptsInterleavedConnectionsInTheirOwnOrder() throws Exception {
        LogVerifier.Report r = sent().verify(log(m(10, 0), m(11, 0), m(10, 1), m(11, 1), m(10, 2)));
        assertTrue(r.ok(), r.toString());
        assertEquals(5, r.matched());
    }

    @Test
    void reportsMissingDuplicatedAndOutOfOrderRecords() throws Exception {
        LogVerifier.Report missing = sent().verify(log(m(10, 0), m(11, 0), m(10, 2), m(11, 1)));
        assertEquals(1, missing.missing());
        assertTrue(missing.toString().contains("connection 10: its record 1 is missing"), missing.toString());

        LogVerifier.Report duplicated = sent().verify(log(m(10, 0), m(10, 1), m(10, 1), m(10, 2), m(11, 0), m(11, 1)));
        assertEquals(1, duplicated.unexpected());
        assertFalse(duplicated.ok());

        LogVerifier.Report swapped = sent().verify(log(m(10, 1), m(10, 0), m(10, 2), m(11, 0), m(11, 1)));
        assertEquals(1, swapped.outOfOrder());
        assertEquals(0, swapped.missing());
        assertFalse(swapped.ok());
    }

    /** Connection 10's echoes of messages 0 and 1 came back; 2 and 3 were in flight when it failed. */
    static SequencedLogVerifier sentWithTwoInFlight() {
        SequencedLogVerifier v = new SequencedLogVerifier();
        v.expect(10, 2, 2, SIZE);
        return v;
    }

    @Test
    void messagesInFlightWhenAConnectionFailedMayBeLoggedOrNotButOnlyOnceAndInOrder() throws Exception {
        LogVerifier.Report none = sentWithTwoInFlight().verify(log(m(10, 0), m(10, 1)));
        assertTrue(none.ok(), none.toString());
        assertEquals(2, none.expected());

        LogVerifier.Report both = sentWithTwoInFlight().verify(log(m(10, 0), m(10, 1), m(10, 2), m(10, 3)));
        assertTrue(both.ok(), both.toString());
        assertEquals(4, both.matched());

        LogVerifier.Report requiredMissing = sentWithTwoInFlight().verify(log(m(10, 0), m(10, 2)));
        assertEquals(1, requiredMissing.missing(), requiredMissing.toString());
        assertFalse(requiredMissing.ok());

        LogVerifier.Report twice = sentWithTwoInFlight().verify(log(m(10, 0), m(10, 1), m(10, 2), m(10, 2)));
        assertEquals(1, twice.unexpected(), twice.toString());

        LogVerifier.Report beyond = sentWithTwoInFlight().verify(log(m(10, 0), m(10, 1), m(10, 4)));
        assertEquals(1, beyond.unexpected(), "sequence 4 was never sent: " + beyond);

        LogVerifier.Report swapped = sentWithTwoInFlight().verify(log(m(10, 0), m(10, 1), m(10, 3), m(10, 2)));
        assertEquals(1, swapped.outOfOrder(), swapped.toString());
    }

    @Test
    void reportsTornForeignAndUnterminatedRecords() throws Exception {
        byte[] a = m(10, 1), b = m(11, 0);
        byte[] tornA = new byte[SIZE / 2];
        System.arraycopy(a, 0, tornA, 0, SIZE / 2);              // half of a, then all of b, then a's rest
        byte[] restA = new byte[SIZE - SIZE / 2];
        System.arraycopy(a, SIZE / 2, restA, 0, restA.length);
        LogVerifier.Report torn = sent().verify(log(m(10, 0), tornA, b, restA, m(10, 2), m(11, 1)));
        assertFalse(torn.ok());
        assertEquals(2, torn.missing(), torn.toString());        // a and b
        assertTrue(torn.unexpected() >= 1, torn.toString());

        LogVerifier.Report foreign = sent().verify(log(m(10, 0), m(10, 1), m(10, 2), m(11, 0), m(11, 1), m(12, 0),
                "not a message\n".getBytes()));
        assertEquals(2, foreign.unexpected());

        LogVerifier.Report unterminated = sent().verify(log(m(10, 0), m(10, 1), m(10, 2), m(11, 0), m(11, 1),
                "c000000011 s00".getBytes()));
        assertEquals(1, unterminated.unexpected());
        assertTrue(unterminated.toString().contains("unterminated"), unterminated.toString());
    }

    @Test
    void agreesWithTheInMemoryVerifierOnTheSameLogs() throws Exception {
        List<List<byte[]>> sentRecords = List.of(
                List.of(m(0, 0), m(0, 1), m(0, 2)),
                List.of(m(1, 0), m(1, 1)));
        SequencedLogVerifier streaming = new SequencedLogVerifier();
        streaming.expect(0, 3, SIZE);
        streaming.expect(1, 2, SIZE);
        List<byte[][]> logs = new ArrayList<>();
        logs.add(new byte[][] {m(0, 0), m(1, 0), m(0, 1), m(1, 1), m(0, 2)});   // fine
        logs.add(new byte[][] {m(0, 0), m(0, 2), m(1, 0), m(1, 1)});            // one missing
        logs.add(new byte[][] {m(0, 1), m(0, 0), m(0, 2), m(1, 0), m(1, 1)});   // out of order
        logs.add(new byte[][] {m(0, 0), m(0, 1), m(0, 1), m(0, 2), m(1, 0), m(1, 1)});   // duplicate
        for (byte[][] records : logs) {
            Path file = log(records);
            assertEquals(LogVerifier.verify(file, sentRecords), streaming.verify(file));
        }
    }

    @Test
    void readsALogLargerThanItsReadChunk() throws Exception {
        int connections = 50, perConnection = 1_000;             // 50,000 records of 40 bytes: 2 MB
        SequencedLogVerifier v = new SequencedLogVerifier();
        for (int c = 0; c < connections; c++) v.expect(c, perConnection, SIZE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int s = 0; s < perConnection; s++) for (int c = 0; c < connections; c++) out.write(m(c, s));
        Path file = dir.resolve("big.txt");
        Files.write(file, out.toByteArray());
        LogVerifier.Report r = v.verify(file);
        assertTrue(r.ok(), r.toString());
        assertEquals(50_000, r.matched());
    }
}
