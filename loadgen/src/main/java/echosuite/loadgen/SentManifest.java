package echosuite.loadgen;

import echosuite.logcheck.SequencedLogVerifier;

import java.util.Arrays;

/**
 * What each connection of a run sent: its id, the whole messages whose echo came back (the server
 * read them, so its log must hold them) and the whole messages written after those whose echo
 * never came back (the connection failed with them in flight: the server may or may not have
 * read them, so its log may hold them). This is what {@code --verify-log} checks the log against.
 * Three longs per connection; filled by one I/O thread, read after the run.
 */
final class SentManifest {
    private final int messageBytes;
    private long[] ids = new long[64];
    private long[] counts = new long[64];
    private long[] inFlight = new long[64];
    private int size;

    /** @param messageBytes the size of every message of the run */
    SentManifest(int messageBytes) {
        this.messageBytes = messageBytes;
    }

    /**
     * @param echoed        whole messages whose echo came back
     * @param wholeMessages whole messages written, {@code >= echoed}
     */
    void add(long connection, long echoed, long wholeMessages) {
        if (echoed > wholeMessages) throw new IllegalArgumentException(echoed + " echoed of " + wholeMessages + " written");
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
            inFlight = Arrays.copyOf(inFlight, size * 2);
        }
        ids[size] = connection;
        counts[size] = echoed;
        inFlight[size] = wholeMessages - echoed;
        size++;
    }

    /** Tells {@code verifier} what every connection here sent: what the log must hold, and what it may. */
    void expectIn(SequencedLogVerifier verifier) {
        for (int i = 0; i < size; i++) verifier.expect(ids[i], counts[i], inFlight[i], messageBytes);
    }
}
