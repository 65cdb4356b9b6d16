package echosuite.logcheck;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogVerifierTest {

    @TempDir
    Path dir;

    static final List<List<byte[]>> SENT = List.of(
            List.of(b("a1\n"), b("a2\n"), b("a3\n")),
            List.of(b("b1\n"), b("b2\n")));

    LogVerifier.Report verify(String log) throws Exception {
        Path file = dir.resolve("log.txt");
        Files.writeString(file, log, StandardCharsets.ISO_8859_1);
        return LogVerifier.verify(file, SENT);
    }

    @Test
    void acceptsInterleavedConnectionsInTheirOwnOrder() throws Exception {
        LogVerifier.Report r = verify("a1\nb1\na2\nb2\na3\n");
        assertTrue(r.ok(), r.toString());
        assertEquals(5, r.matched());
    }

    @Test
    void reportsAMissingRecord() throws Exception {
        LogVerifier.Report r = verify("a1\nb1\na3\nb2\n");
        assertFalse(r.ok());
        assertEquals(1, r.missing());
        assertTrue(r.toString().contains("connection 0: its record 1 is missing"), r.toString());
    }

    @Test
    void reportsADuplicatedRecord() throws Exception {
        LogVerifier.Report r = verify("a1\na2\na2\na3\nb1\nb2\n");
        assertFalse(r.ok());
        assertEquals(1, r.unexpected());
    }

    @Test
    void reportsRecordsOfOneConnectionOutOfOrder() throws Exception {
        LogVerifier.Report r = verify("a2\na1\na3\nb1\nb2\n");
        assertFalse(r.ok());
        assertEquals(1, r.outOfOrder());
    }

    @Test
    void reportsATornRecordAsForeignPiecesAndMissingRecords() throws Exception {
        LogVerifier.Report r = verify("a1\nb1a2\n\nb2\na3\n");   // a2's bytes split by b1's
        assertFalse(r.ok());
        assertEquals(2, r.missing(), r.toString());
        assertTrue(r.unexpected() >= 1, r.toString());
    }

    @Test
    void reportsAnUnterminatedLastRecord() throws Exception {
        LogVerifier.Report r = verify("a1\na2\na3\nb1\nb2");
        assertFalse(r.ok());
        assertTrue(r.toString().contains("unterminated"), r.toString());
    }

    @Test
    void identicalMessagesOnSeveralConnectionsAreStillCheckedForOrder() throws Exception {
        Path file = dir.resolve("same.txt");
        Files.writeString(file, "x\nx\ny\ny\n");
        List<List<byte[]>> same = List.of(List.of(b("x\n"), b("y\n")), List.of(b("x\n"), b("y\n")));
        assertTrue(LogVerifier.verify(file, same).ok());
        Files.writeString(file, "y\nx\nx\ny\n");
        assertFalse(LogVerifier.verify(file, same).ok());
    }

    @Test
    void recordsThatMayFollowAreAcceptedPresentOrAbsentButNotTwiceNorOutOfOrder() throws Exception {
        Path file = dir.resolve("tail.txt");
        List<List<byte[]>> required = List.of(List.of(b("a1\n")), List.of(b("b1\n")));
        List<List<byte[]>> mayFollow = List.of(List.of(b("a2\n")));
        Files.writeString(file, "a1\nb1\n");
        assertTrue(LogVerifier.verify(file, required, mayFollow).ok(), "absent");
        Files.writeString(file, "a1\nb1\na2\n");
        LogVerifier.Report present = LogVerifier.verify(file, required, mayFollow);
        assertTrue(present.ok(), present.toString());
        assertEquals(3, present.expected());
        Files.writeString(file, "a1\nb1\na2\na2\n");
        assertFalse(LogVerifier.verify(file, required, mayFollow).ok(), "twice");
        Files.writeString(file, "a2\na1\nb1\n");
        assertFalse(LogVerifier.verify(file, required, mayFollow).ok(), "before the required ones");
        Files.writeString(file, "b1\na2\n");
        assertFalse(LogVerifier.verify(file, required, mayFollow).ok(), "a required one missing");
    }

    @Test
    void previewsShowControlBytesEscaped() {
        assertEquals("\"a\\x00\\r\\n\"", LogVerifier.preview(new byte[] {'a', 0, '\r', '\n'}));
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
