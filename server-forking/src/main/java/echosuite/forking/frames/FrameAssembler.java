package echosuite.forking.frames;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The logger's side of the pipe protocol ({@link LogFrame}): puts each child's batches back
 * together from their frames and hands on only whole batches, so a record is never torn.
 *
 * <p>State per child id: the frames of its current batch until the LAST one arrives. A batch
 * that can never be completed is counted as lost, never written in part:
 * <ul>
 *   <li>the parent says GONE (the child died mid-batch): the partial batch is dropped;</li>
 *   <li>a frame continues a batch whose start this logger never saw (the previous logger
 *       died after reading it): the rest of that batch is skipped up to its LAST frame.</li>
 * </ul>
 * Memory: one partial batch per child that is in the middle of writing one, at most one read's
 * records (about 64 KiB plus {@code --max-line}). Not thread-safe: the logger's reading thread
 * owns it.
 */
public final class FrameAssembler {

    /** What the assembler produces. */
    public interface Output {
        /** A batch of whole records of one child, ready to write. */
        void batch(byte[] records, int count);

        /** A child's REPORT for one connection. */
        void report(long bytesEchoed, long connections, long errors, long timedOut);

        /** {@code records} that can never be written (see the class comment); {@code why} in words. */
        void lost(int records, String why);
    }

    private final Output out;
    /** A batch being put together: its bytes so far and the records the whole batch holds. */
    private record Partial(ByteArrayOutputStream bytes, int records) { }

    private final Map<Integer, Partial> partial = new HashMap<>();
    private final Set<Integer> skipping = new HashSet<>();

    public FrameAssembler(Output out) {
        this.out = out;
    }

    /** Takes one frame, already checked by {@link FrameReader}; its bytes are in {@code frame}'s array. */
    public void accept(ByteBuffer frame) {
        int child = LogFrame.childId(frame);
        switch (LogFrame.type(frame)) {
            case LogFrame.DATA -> data(frame, child);
            case LogFrame.REPORT -> out.report(frame.getLong(LogFrame.HEADER_BYTES),
                    frame.getLong(LogFrame.HEADER_BYTES + 8), frame.getLong(LogFrame.HEADER_BYTES + 16),
                    frame.getLong(LogFrame.HEADER_BYTES + 24));
            case LogFrame.GONE -> gone(child);
            default -> throw new IllegalArgumentException("unchecked frame type " + LogFrame.type(frame));
        }
    }

    /** Children with a batch in progress (for tests and diagnostics). */
    public int childrenMidBatch() {
        return partial.size();
    }

    private void data(ByteBuffer frame, int child) {
        byte flags = LogFrame.flags(frame);
        boolean first = (flags & LogFrame.FIRST) != 0;
        boolean last = (flags & LogFrame.LAST) != 0;
        int records = LogFrame.batchRecords(frame);
        byte[] array = frame.array();
        int length = LogFrame.payloadLength(frame);

        if (first) {
            skipping.remove(child);
            Partial cut = partial.remove(child);
            if (cut != null) out.lost(cut.records, "child " + child + " started a new batch before finishing one");
            if (last) {                                      // the common case: a batch in one frame
                byte[] bytes = new byte[length];
                System.arraycopy(array, LogFrame.HEADER_BYTES, bytes, 0, length);
                out.batch(bytes, records);
                return;
            }
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(2 * LogFrame.MAX_PAYLOAD);
            buffer.write(array, LogFrame.HEADER_BYTES, length);
            partial.put(child, new Partial(buffer, records));
            return;
        }
        Partial batch = partial.get(child);
        if (batch == null) {                                // its start was read by a logger that died
            if (skipping.add(child)) out.lost(records, "a batch of child " + child + " was cut by the logger's restart");
            if (last) skipping.remove(child);
            return;
        }
        batch.bytes.write(array, LogFrame.HEADER_BYTES, length);
        if (last) {
            partial.remove(child);
            out.batch(batch.bytes.toByteArray(), batch.records);
        }
    }

    private void gone(int child) {
        skipping.remove(child);
        Partial cut = partial.remove(child);
        if (cut != null) out.lost(cut.records, "child " + child + " died in the middle of a batch");
    }
}
