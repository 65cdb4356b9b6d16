package echosuite.loadgen;

import echosuite.logcheck.LogVerifier;
import echosuite.logcheck.SequencedLogVerifier;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code --verify-log}: checks a server's log against what the run sent (its {@link SentManifest}s)
 * with the protocol module's {@link SequencedLogVerifier}. A running server writes records within
 * 100 ms of receiving them (protocol.md), so first it waits, on file-change events, until the log
 * holds as many records as were sent or until the wait limit; then it reads the log once.
 */
final class LogCheck {

    private LogCheck() { }

    static LogVerifier.Report verify(List<RunResult> runs, Path log, long maxWaitNs) throws IOException, InterruptedException {
        return verifyManifests(runs.stream().flatMap(r -> r.manifests.stream()).toList(), log, maxWaitNs);
    }

    /**
     * The same against {@code manifests} (several agents' together, {@code loadgen merge --log});
     * IllegalStateException if two name the same connection.
     */
    static LogVerifier.Report verifyManifests(List<SentManifest> manifests, Path log, long maxWaitNs) throws IOException, InterruptedException {
        SequencedLogVerifier verifier = new SequencedLogVerifier();
        for (SentManifest m : manifests) m.expectIn(verifier);
        awaitRecords(log, verifier.expectedRecords(), maxWaitNs);
        return verifier.verify(log);
    }

    /** Waits until {@code log} holds at least {@code records} newlines, or {@code maxWaitNs} has passed. */
    static void awaitRecords(Path log, long records, long maxWaitNs) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + maxWaitNs;
        Path dir = log.toAbsolutePath().getParent();
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            NewlineCounter counter = new NewlineCounter(log);
            while (counter.count() < records) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return;               // the verifier will say what is missing
                var key = watch.poll(left, TimeUnit.NANOSECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
        } catch (ClosedWatchServiceException e) {
            // closed under us: verify what is there
        }
    }

    /** Counts the newlines of a growing file, reading only what was added since the last count. */
    private static final class NewlineCounter {
        private final Path file;
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        private long position, newlines;

        NewlineCounter(Path file) {
            this.file = file;
        }

        long count() throws IOException {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                ch.position(position);
                int n;
                while ((n = ch.read(buffer.clear())) > 0) {
                    for (int i = 0; i < n; i++) if (buffer.get(i) == '\n') newlines++;
                    position += n;
                }
            } catch (NoSuchFileException e) {
                return 0;
            }
            return newlines;
        }
    }
}
