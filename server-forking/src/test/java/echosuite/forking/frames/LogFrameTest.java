package echosuite.forking.frames;

import echosuite.forking.Posix;
import echosuite.protocol.RecordBatch;
import echosuite.protocol.RecordFramer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pipe protocol in one JVM: frames written by {@link FrameWriter}, read by {@link FrameReader}, put together by {@link FrameAssembler}. */
class LogFrameTest {

    /** What the assembler handed on. */
    static final class Collected implements FrameAssembler.Output {
        final List<byte[]> batches = new ArrayList<>();
        long bytesEchoed;
        long connections;
        long errors;
        long timedOut;
        int lost;

        @Override
        public void batch(byte[] records, int count) {
            batches.add(records);
        }

        @Override
        public void report(long bytesEchoed, long connections, long errors, long timedOut) {
            this.bytesEchoed += bytesEchoed;
            this.connections += connections;
            this.errors += errors;
            this.timedOut += timedOut;
        }

        @Override
        public void lost(int records, String why) {
            lost += records;
        }
    }

    /** Frames {@code text} as one read of a connection and writes them with {@code writer}. */
    static void send(FrameWriter writer, String text) throws IOException {
        RecordBatch batch = new RecordBatch();
        byte[] b = text.getBytes();
        new RecordFramer(65536).frame(b, 0, b.length, batch);
        writer.accept(batch);
    }

    /** What a stream sees of each {@code write(b, off, len)}. */
    interface Write {
        void write(byte[] b, int off, int len);
    }

    /** A stream that passes each write to {@code each} and fails a test that writes less than a frame at once. */
    static java.io.OutputStream frameByFrame(Write each) {
        return new java.io.OutputStream() {
            @Override
            public void write(int b) {
                throw new AssertionError("frames are written whole");
            }

            @Override
            public void write(byte[] b, int off, int len) {
                each.write(b, off, len);
            }
        };
    }

    static Collected readAll(byte[] stream) throws IOException {
        Collected out = new Collected();
        FrameAssembler assembler = new FrameAssembler(out);
        FrameReader reader = new FrameReader(new ByteArrayInputStream(stream));
        for (ByteBuffer f = reader.next(); f != null; f = reader.next()) assembler.accept(f);
        return out;
    }

    @Test
    void aBatchLongerThanAFrameIsCutIntoFramesOfAtMostPipeBufAndPutBackTogether() throws IOException {
        ByteArrayOutputStream pipe = new ByteArrayOutputStream();
        List<Integer> writes = new ArrayList<>();
        FrameWriter writer = new FrameWriter(frameByFrame((b, off, len) -> {
            writes.add(len);
            pipe.write(b, off, len);
        }), 7, LoggerCounters.unshared());
        String big = "x".repeat(20_000) + "\n" + "y".repeat(100) + "\n";
        send(writer, big);
        writer.report(big.length(), 0, 0);

        assertTrue(writes.stream().allMatch(n -> n <= Posix.PIPE_BUF), "every write fits PIPE_BUF: " + writes);
        assertEquals(5 + 1, writes.size(), "20,102 bytes make 5 frames (4 full ones of 4,076 bytes and one more), then the report");
        Collected out = readAll(pipe.toByteArray());
        assertEquals(1, out.batches.size());
        assertArrayEquals(big.getBytes(), out.batches.getFirst());
        assertEquals(big.length(), out.bytesEchoed);
        assertEquals(1, out.connections);
    }

    @Test
    void theWriterCountsABatchsRecordsAsSentBeforeItWritesTheBatchsFirstFrame() throws IOException {
        LoggerCounters counters = LoggerCounters.unshared();
        List<Long> sentAtEachWrite = new ArrayList<>();
        FrameWriter writer = new FrameWriter(frameByFrame((b, off, len) -> sentAtEachWrite.add(counters.get(LoggerCounters.SENT))),
                7, counters);
        send(writer, "a\n" + "x".repeat(9000) + "\n");           // 2 records in 3 frames
        send(writer, "b\nc\nd\n");                               // 3 records in 1 frame
        assertEquals(List.of(2L, 2L, 2L, 5L), sentAtEachWrite, "each batch counted once, before its first frame");
    }

    @Test
    void theRecordsOfEveryBatchInAReadAreCountedBeforeItsFirstFrameIsHandedOn() throws IOException {
        ByteArrayOutputStream pipe = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(pipe, 7, LoggerCounters.unshared());
        send(writer, "d\n".repeat(3000));                          // 3,000 records over several frames
        send(writer, "a\nb\n");                                   // 2 records
        send(writer, "c\n");                                       // 1, in the frame the read cuts
        byte[] stream = pipe.toByteArray();
        // The read ends inside the last frame's payload: a header read whole is counted all the same.
        int cut = stream.length - 1;
        java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
        FrameReader reader = new FrameReader(new ByteArrayInputStream(Arrays.copyOf(stream, cut)), received::addAndGet);
        assertTrue(reader.next() != null);
        assertEquals(3003, received.get(), "every batch whose first header was read is counted on the first read");
        while (reader.next() != null) {
            // the rest of the frames, the cut one skipped at end of file
        }
        assertEquals(3003, received.get(), "and never counted twice");
        assertTrue(reader.skippedBytes() > 0, "the frame cut by the end of the read was never handed on");
    }

    @Test
    void aReportCarriesItsFourCountsToTheLogger() throws IOException {
        ByteArrayOutputStream pipe = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(pipe, 3, LoggerCounters.unshared());
        writer.report(12, 0, 1);                                  // a connection ended by --idle-timeout
        writer.report(5, 1, 0);                                   // one that ended on an error
        Collected out = readAll(pipe.toByteArray());
        assertEquals(17, out.bytesEchoed);
        assertEquals(2, out.connections);
        assertEquals(1, out.errors);
        assertEquals(1, out.timedOut);
    }

    @Test
    void framesOfTwoChildrenInterleavedAreReassembledPerChild() throws IOException {
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        send(new FrameWriter(a, 1, LoggerCounters.unshared()), "A".repeat(9000) + "\n");
        send(new FrameWriter(b, 2, LoggerCounters.unshared()), "B".repeat(9000) + "\n");
        List<byte[]> framesA = split(a.toByteArray());
        List<byte[]> framesB = split(b.toByteArray());
        ByteArrayOutputStream pipe = new ByteArrayOutputStream();
        for (int i = 0; i < framesA.size(); i++) {                // A1 B1 A2 B2 A3 B3
            pipe.writeBytes(framesA.get(i));
            pipe.writeBytes(framesB.get(i));
        }
        Collected out = readAll(pipe.toByteArray());
        assertEquals(2, out.batches.size());
        assertArrayEquals(("A".repeat(9000) + "\n").getBytes(), out.batches.get(0));
        assertArrayEquals(("B".repeat(9000) + "\n").getBytes(), out.batches.get(1));
    }

    /**
     * A logger started after its predecessor died mid-frame begins in the middle of the stream:
     * it skips to the next intact frame, drops the rest of the batch whose start it never saw
     * (counting its records as lost), and carries on.
     */
    @Test
    void aLoggerStartingMidStreamResynchronisesAndCountsTheCutBatchAsLost() throws IOException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        FrameWriter one = new FrameWriter(stream, 1, LoggerCounters.unshared());
        send(one, "lost 1\n" + "z".repeat(6000) + "\nlost 3\n");   // 3 records in 2 frames
        send(one, "kept\n");
        byte[] all = stream.toByteArray();
        byte[] midFrame = Arrays.copyOfRange(all, 100, all.length);  // the dead logger read the first 100 bytes

        Collected out = new Collected();
        FrameAssembler assembler = new FrameAssembler(out);
        FrameReader reader = new FrameReader(new ByteArrayInputStream(midFrame));
        for (ByteBuffer f = reader.next(); f != null; f = reader.next()) assembler.accept(f);

        assertEquals(1, out.batches.size(), "only the batch that started after the cut is written");
        assertArrayEquals("kept\n".getBytes(), out.batches.getFirst());
        assertEquals(3, out.lost, "the cut batch's 3 records are counted");
        assertEquals(LogFrame.MAX_BYTES - 100, reader.skippedBytes(), "the rest of the first frame was skipped");
    }

    @Test
    void aChildThatDiesMidBatchHasItsPartialBatchDroppedAndCountedWhenTheParentSaysGone() throws IOException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        send(new FrameWriter(stream, 5, LoggerCounters.unshared()), "r1\nr2\n" + "q".repeat(5000) + "\n");
        List<byte[]> frames = split(stream.toByteArray());
        ByteArrayOutputStream pipe = new ByteArrayOutputStream();
        pipe.writeBytes(frames.getFirst());                          // killed after the first frame
        ByteBuffer gone = ByteBuffer.allocate(LogFrame.HEADER_BYTES);
        LogFrame.putHeader(gone, LogFrame.GONE, (byte) 0, 5, 0, 0);
        LogFrame.seal(gone, new java.util.zip.CRC32C());
        pipe.writeBytes(gone.array());
        Collected out = readAll(pipe.toByteArray());
        assertEquals(0, out.batches.size(), "nothing of the unfinished batch is written");
        assertEquals(3, out.lost);
    }

    /** Splits a stream of frames into frames (by their length fields). */
    static List<byte[]> split(byte[] stream) {
        List<byte[]> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(stream);
        while (b.hasRemaining()) {
            int len = LogFrame.HEADER_BYTES + b.getInt(b.position() + 12);
            byte[] f = new byte[len];
            b.get(f);
            out.add(f);
        }
        return out;
    }
}
