package echosuite.loadgen;

import echosuite.protocol.SequencedLogVerifier;

import java.util.Arrays;

/**
 * What each connection of a run sent: its id and the number of whole messages it wrote. This is
 * exactly what the server must have logged, so it is what {@code --verify-log} checks the log
 * against. Two longs per connection; filled by one I/O thread, read after the run.
 */
final class SentManifest {
    private final int messageBytes;
    private long[] ids = new long[64];
    private long[] counts = new long[64];
    private int size;

    /** @param messageBytes the size of every message of the run */
    SentManifest(int messageBytes) {
        this.messageBytes = messageBytes;
    }

    void add(long connection, long wholeMessages) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
        }
        ids[size] = connection;
        counts[size] = wholeMessages;
        size++;
    }

    /** Tells {@code verifier} what every connection here sent. */
    void expectIn(SequencedLogVerifier verifier) {
        for (int i = 0; i < size; i++) verifier.expect(ids[i], counts[i], messageBytes);
    }

    long messages() {
        long total = 0;
        for (int i = 0; i < size; i++) total += counts[i];
        return total;
    }

    int connections() {
        return size;
    }
}
