package echosuite.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordFramerTest {

    /** The protocol's rule, written the slow and obvious way, one byte at a time. */
    static List<String> reference(byte[] stream, int maxLine) {
        List<String> out = new ArrayList<>();
        ByteArrayOutputStream part = new ByteArrayOutputStream();
        for (byte b : stream) {
            if (b == '\n') {
                part.write('\n');
                out.add(part.toString(StandardCharsets.ISO_8859_1));
                part.reset();
                continue;
            }
            if (part.size() == maxLine) {
                part.write('\n');
                out.add(part.toString(StandardCharsets.ISO_8859_1));
                part.reset();
            }
            part.write(b);
        }
        if (part.size() > 0) {
            part.write('\n');
            out.add(part.toString(StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    /** Frames {@code stream} fed in random chunks, as reads would deliver it. */
    static List<String> framed(byte[] stream, int maxLine, Random random) {
        RecordFramer framer = new RecordFramer(maxLine);
        RecordBatch batch = new RecordBatch();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        int records = 0;
        for (int off = 0; off < stream.length; ) {
            int len = Math.min(stream.length - off, 1 + random.nextInt(3 * maxLine));
            framer.frame(stream, off, len, batch);
            records += batch.records();
            all.writeBytes(batch.take());
            assertTrue(framer.pendingBytes() <= maxLine, "the unfinished body stays within max-line");
            off += len;
        }
        framer.finish(batch);
        records += batch.records();
        all.writeBytes(batch.take());
        // every record ends in '\n': split after each one, keeping it
        List<String> out = new ArrayList<>(List.of(all.toString(StandardCharsets.ISO_8859_1).split("(?<=\n)")));
        if (out.size() == 1 && out.get(0).isEmpty()) out.clear();
        assertEquals(out.size(), records, "the batch counts every record it holds");
        return out;
    }

    @ParameterizedTest(name = "max-line {0}")
    @ValueSource(ints = {1, 2, 7, 16, 100, 65536})
    void splitsExactlyAsTheProtocolSaysWhateverTheReadBoundaries(int maxLine) {
        Random random = new Random(maxLine);
        for (int round = 0; round < 200; round++) {
            byte[] stream = new byte[random.nextInt(4 * maxLine + 50)];
            for (int i = 0; i < stream.length; i++) {
                // few newlines, sometimes runs longer than max-line, sometimes '\n' right at the limit
                stream[i] = random.nextInt(maxLine + 3) == 0 ? (byte) '\n' : (byte) ('a' + random.nextInt(26));
            }
            assertEquals(reference(stream, maxLine), framed(stream, maxLine, random), "round " + round);
        }
    }

    @Test
    void aRunOfExactlyMaxLineThenNewlineIsOneRecordAndOneByteMoreIsTwo() {
        byte[] exact = ("x".repeat(8) + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] over = ("y".repeat(9) + "\n").getBytes(StandardCharsets.US_ASCII);
        assertEquals(List.of("x".repeat(8) + "\n"), framed(exact, 8, new Random(1)));
        assertEquals(List.of("y".repeat(8) + "\n", "y\n"), framed(over, 8, new Random(1)));
    }

    @Test
    void anEmptyStreamAndALoneNewlineGiveNoneAndOneEmptyRecord() {
        assertEquals(List.of(), framed(new byte[0], 16, new Random(1)));
        assertEquals(List.of("\n"), framed(new byte[] {'\n'}, 16, new Random(1)));
    }

    @Test
    void anIdleFramerHoldsNoLargeBuffer() throws Exception {
        RecordFramer framer = new RecordFramer(65536);
        RecordBatch batch = new RecordBatch();
        byte[] big = new byte[40_000];
        framer.frame(big, 0, big.length, batch);            // a 40 KB body is held...
        framer.frame(new byte[] {'\n'}, 0, 1, batch);        // ...until its newline arrives
        var body = RecordFramer.class.getDeclaredField("body");
        body.setAccessible(true);
        assertTrue(((byte[]) body.get(framer)).length <= RecordFramer.KEEP_BODY_BYTES, "body released");
        batch.take();
        var buffer = RecordBatch.class.getDeclaredField("buffer");
        buffer.setAccessible(true);
        assertTrue(((byte[]) buffer.get(batch)).length <= RecordBatch.KEEP_BYTES, "batch buffer released");
    }
}
