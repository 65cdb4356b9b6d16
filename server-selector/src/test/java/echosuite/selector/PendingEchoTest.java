package echosuite.selector;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PendingEcho} keeps owed bytes in order however appends and partial writes interleave,
 * through compaction and growth: against a channel that takes a few bytes per write, as a slow
 * client's socket does.
 */
class PendingEchoTest {

    /** A channel that takes at most {@code perWrite} bytes per call and remembers them. */
    private static final class SlowChannel implements WritableByteChannel {
        final ByteArrayOutputStream taken = new ByteArrayOutputStream();
        int perWrite;

        @Override
        public int write(ByteBuffer src) {
            int n = Math.min(perWrite, src.remaining());
            byte[] b = new byte[n];
            src.get(b);
            taken.writeBytes(b);
            return n;
        }

        @Override public boolean isOpen() { return true; }
        @Override public void close() { }
    }

    @Test
    void bytesLeaveInTheOrderTheyCameThroughCompactionAndGrowth() throws Exception {
        Random random = new Random(3);
        ByteArrayOutputStream appended = new ByteArrayOutputStream();
        SlowChannel client = new SlowChannel();
        PendingEcho pending = new PendingEcho(100);
        int maxSize = 0;
        for (int round = 0; round < 2000; round++) {
            byte[] chunk = new byte[random.nextInt(9000)];
            random.nextBytes(chunk);
            pending.append(ByteBuffer.wrap(chunk));
            appended.writeBytes(chunk);
            maxSize = Math.max(maxSize, pending.size());
            client.perWrite = random.nextInt(9000);
            int written = pending.writeTo(client);
            assertEquals(Math.min(client.perWrite, written + pending.size()), written, "a write takes what the channel takes");
        }
        client.perWrite = Integer.MAX_VALUE;
        pending.writeTo(client);
        assertTrue(pending.isEmpty());
        assertTrue(maxSize > 64 << 10, "the test made the buffer grow (max " + maxSize + " bytes owed)");
        assertArrayEquals(appended.toByteArray(), client.taken.toByteArray());
    }
}
