package echosuite.harness;

import java.io.InputStream;
import java.util.concurrent.CountDownLatch;

/**
 * The load generator's standard input: it gives no bytes, and ends (EOF) only when the harness
 * {@link #open opens} the gate. The harness opens it once the server has shut down, which tells a
 * load generator run with {@code --verify-log} that the server's log is now complete and can be
 * verified. A load generator that does not read its stdin is not affected.
 */
final class StdinGate extends InputStream {

    private final CountDownLatch open = new CountDownLatch(1);

    /** Ends the stream: a reader blocked in {@link #read()} gets EOF. */
    void open() {
        open.countDown();
    }

    @Override
    public int read() {
        try {
            open.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        return len == 0 ? 0 : read();
    }
}
