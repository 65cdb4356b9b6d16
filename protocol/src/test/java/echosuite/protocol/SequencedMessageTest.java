package echosuite.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SequencedMessageTest {

    @Test
    void aMessageIsOneReadableRecordNamingItsConnectionAndSequence() {
        byte[] m = new byte[64];
        SequencedMessage.fill(m, 64, 3, 42);
        String s = new String(m, StandardCharsets.US_ASCII);
        assertTrue(s.startsWith("c000000003 s0000000042 "), s);
        assertEquals(s.length() - 1, s.indexOf('\n'), "its only newline is the last byte");
        assertEquals(3, SequencedMessage.connectionOf(m, 0, 64));
        assertEquals(42, SequencedMessage.sequenceOf(m, 0, 64));
        assertTrue(SequencedMessage.matches(m, 0, 64, 64, 3, 42));
    }

    @Test
    void rewritingTheSequenceGivesTheSameBytesAsFillingAnew() {
        byte[] reused = new byte[100];
        SequencedMessage.fill(reused, 100, 7, 0);
        for (long seq : new long[] {1, 9, 10, 12_345, 9_999_999_999L}) {
            SequencedMessage.writeSequence(reused, seq);
            byte[] fresh = new byte[100];
            SequencedMessage.fill(fresh, 100, 7, seq);
            assertEquals(new String(fresh, StandardCharsets.US_ASCII), new String(reused, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void anyChangedByteIsNoLongerTheMessage() {
        byte[] m = new byte[SequencedMessage.MIN_BYTES + 10];
        SequencedMessage.fill(m, m.length, 5, 6);
        for (int i = 0; i < m.length; i++) {
            m[i] ^= 0x01;
            assertFalse(SequencedMessage.matches(m, 0, m.length, m.length, 5, 6), "byte " + i + " changed");
            m[i] ^= 0x01;
        }
        assertTrue(SequencedMessage.matches(m, 0, m.length, m.length, 5, 6));
        assertFalse(SequencedMessage.matches(m, 0, m.length, m.length, 5, 7), "another sequence number");
        assertFalse(SequencedMessage.matches(m, 0, m.length, m.length, 4, 6), "another connection");
    }

    @Test
    void notAHeaderIsMinusOneAndTooShortIsRefused() {
        byte[] junk = "hello world, this is no header\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(-1, SequencedMessage.connectionOf(junk, 0, junk.length));
        assertEquals(-1, SequencedMessage.sequenceOf(junk, 0, junk.length));
        assertThrows(IllegalArgumentException.class, () -> SequencedMessage.fill(new byte[23], 23, 0, 0));
    }
}
