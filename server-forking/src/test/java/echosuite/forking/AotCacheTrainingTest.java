package echosuite.forking;

import echosuite.forking.aot.AotCacheTrainer;
import echosuite.procfs.ProcFs;
import echosuite.procfs.ProcStat;
import echosuite.runtime.BurstReporter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The AOT cache's training ({@link AotCacheTrainer}) runs in the server's parent while it
 * accepts clients and starts spares, so it must close only the descriptors it owns, each once: a
 * descriptor number closed twice may by then be another thread's (a client the parent has not
 * handed to a child yet, a spare's socket), and closing it ends that client's connection.
 *
 * <p>Here in the test JVM (in this package for the launcher and the reaper): the trainer starts
 * its training spare, closes its copy of the spare's end of their socket pair, and this test then
 * opens descriptors of its own, which the kernel numbers from the lowest free one, the number the
 * trainer gave up among them. When the training has ended (cancelled, as at a server's shutdown)
 * every one of them must still be this test's. The training child runs from class directories,
 * so it could not write a cache anyway; only the descriptors are checked.
 */
class AotCacheTrainingTest {

    static final Duration LIMIT = Duration.ofSeconds(60);
    private static final ProcFs PROC = new ProcFs();
    private static final long SELF = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    @Test
    void theTrainingClosesOnlyItsOwnDescriptorsSoNoneOpenedMeanwhileIsClosedUnderItsOwner() throws Exception {
        List<int[]> pipes = new ArrayList<>();
        BurstReporter reporter = BurstReporter.stderr("aot training test");
        try (Reaper reaper = new Reaper(reporter)) {
            // No free number below the highest open one: the trainer's descriptors come next, in order.
            int highest = openNumbers().stream().max(Integer::compare).orElseThrow();
            while (true) {
                int[] filler = Posix.pipe(Posix.O_CLOEXEC);
                pipes.add(filler);
                if (filler[0] > highest && filler[1] > highest) break;
            }
            ChildLauncher launcher = new ChildLauncher(null, 65536, 0, 100, 0, dir.resolve("log.txt"), 1 << 20, true,
                    ForkingOptions.SPARE_WARM_UP_MESSAGES);
            Path cache = dir.resolve("child.aot");
            AotCacheTrainer trainer = AotCacheTrainer.trainInBackground(cache, launcher, reaper, reporter);
            assertNotNull(trainer, "the training started");

            long child = awaitTrainingChild();
            // The child's fd 0 is its end of the socket pair; the parent's copy of that end is the
            // trainer's spare[1], closed as soon as the child holds it.
            String spareSocket = awaitLink(child, 0);
            Await.until("the trainer has closed its copy of the training spare's socket", LIMIT,
                    () -> !PROC.fdTargets(SELF).contains(spareSocket));

            Map<Integer, String> ours = new LinkedHashMap<>();
            for (int i = 0; i < 8; i++) {
                int[] pipe = Posix.pipe(Posix.O_CLOEXEC);
                pipes.add(pipe);
                for (int fd : pipe) ours.put(fd, link(SELF, fd));
            }
            trainer.cancel();
            Path claim = cache.resolveSibling(cache.getFileName() + ".training");
            Await.until("the training has ended and cleaned up", LIMIT, () -> !Files.exists(claim));

            for (Map.Entry<Integer, String> fd : ours.entrySet()) {
                assertEquals(fd.getValue(), link(SELF, fd.getKey()),
                        "fd " + fd.getKey() + ", opened by the test while the training ran, is still the test's");
            }
        } finally {
            for (int[] pipe : pipes) {
                Posix.closeQuietly(pipe[0]);
                Posix.closeQuietly(pipe[1]);
            }
        }
    }

    /** The training spare: this JVM's child started with {@code -XX:AOTCacheOutput} (so after its exec). */
    private static long awaitTrainingChild() throws Exception {
        long[] found = {-1};
        Await.until("the training spare has started", LIMIT, () -> {
            for (ProcStat c : PROC.children(SELF)) {
                if (ForkingProcess.cmdline(c.pid()).contains("-XX:AOTCacheOutput=")) {
                    found[0] = c.pid();
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private static String awaitLink(long pid, int fd) throws Exception {
        String[] target = {null};
        Await.until("fd " + fd + " of " + pid + " is a socket", LIMIT, () -> {
            target[0] = link(pid, fd);
            return target[0].startsWith("socket:");
        });
        return target[0];
    }

    /** What {@code /proc/PID/fd/FD} points at ("pipe:[123]", "socket:[45]"), or "closed". */
    private static String link(long pid, int fd) throws IOException {
        try {
            return Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/" + fd)).toString();
        } catch (NoSuchFileException closed) {
            return "closed";
        }
    }

    private static List<Integer> openNumbers() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(p -> Integer.parseInt(p.getFileName().toString())).toList();
        }
    }
}
