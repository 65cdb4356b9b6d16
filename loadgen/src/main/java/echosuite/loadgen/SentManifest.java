package echosuite.loadgen;

import echosuite.logcheck.SequencedLogVerifier;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

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

    /** Messages the log must hold: those whose echo came back. */
    long echoed() {
        long n = 0;
        for (int i = 0; i < size; i++) n += counts[i];
        return n;
    }

    int connections() {
        return size;
    }

    int messageBytes() {
        return messageBytes;
    }

    private static final String HEADER = "# echosuite loadgen --sent: one line per connection: its id, the messages whose echo came back"
            + " (the server's log must hold them), the messages written after those (in flight when it failed: the log may hold them)";

    /**
     * {@code --sent FILE}: writes the manifests of {@code runs} as text, so that another process
     * ({@code loadgen merge --log}) can check a log against them and other agents' together.
     */
    static void write(List<RunResult> runs, Path file, int messageBytes) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            out.write(HEADER);
            out.write("\nmessageBytes " + messageBytes + "\n");
            for (RunResult r : runs) {
                for (SentManifest m : r.manifests) {
                    for (int i = 0; i < m.size; i++) {
                        out.write(m.ids[i] + " " + m.counts[i] + " " + m.inFlight[i] + "\n");
                    }
                }
            }
        }
    }

    /** Reads a file written by {@link #write}; IOException with a sentence if it is not one. */
    static SentManifest read(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            String header = in.readLine(), bytes = in.readLine();
            if (header == null || !header.equals(HEADER) || bytes == null || !bytes.startsWith("messageBytes ")) {
                throw new IOException(file + " is not a file written by loadgen --sent");
            }
            SentManifest m = new SentManifest(Integer.parseInt(bytes.substring("messageBytes ".length()).strip()));
            String line;
            int n = 2;
            while ((line = in.readLine()) != null) {
                n++;
                String[] f = line.strip().split(" ");
                try {
                    if (f.length != 3) throw new NumberFormatException();
                    long echoed = Long.parseLong(f[1]);
                    m.add(Long.parseLong(f[0]), echoed, echoed + Long.parseLong(f[2]));
                } catch (RuntimeException e) {
                    throw new IOException(file + " line " + n + " is not 'id echoed inFlight': " + line);
                }
            }
            return m;
        } catch (NumberFormatException e) {
            throw new IOException(file + " is not a file written by loadgen --sent");
        }
    }
}
