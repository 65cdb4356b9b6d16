package echosuite.forking.aot;

import echosuite.forking.ChildLauncher;
import echosuite.forking.HandlerChildren;
import echosuite.forking.ListeningSocket;
import echosuite.forking.Posix;
import echosuite.forking.Reaper;
import echosuite.forking.frames.LoggerCounters;
import echosuite.forking.spares.SpareChildren;
import echosuite.runtime.BurstReporter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Makes the handler children's AOT cache (JDK 25, JEPs 483, 514 and 515) on the server's first start,
 * in the background: one training run of a real handler child (a spare, so that the hand-off is
 * trained too), on a real loopback connection
 * that this class drives like a client (short lines, a record longer than a pipe frame, an
 * unfinished record at EOF), with a private logger pipe whose frames are thrown away and a
 * private counters page, so that its records count nowhere in the server's summary. The child
 * JVM, started with {@code -XX:AOTCacheOutput}, writes the cache when it exits; it is then moved
 * into place atomically and every later child starts with it (see {@link ChildLauncher#useAotCache}).
 * Children started before it is ready start without it.
 *
 * <p>The cache lives beside the server's jar as {@value echosuite.forking.ForkingOptions#AOT_CACHE_NAME}; it is
 * made again when the jar is newer than it (the JVM would refuse a cache made for another jar).
 * Only one server trains at a time: the first to create the claim file {@code NAME.training}
 * does; others started meanwhile run without the cache (a claim older than the training limit
 * is from a server that was killed, and is taken over). Training costs a few seconds of CPU once;
 * if it fails, the server says so once and goes on without a cache. If the server stops while
 * training, the training processes are killed and their files removed.
 */
public final class AotCacheTrainer {

    /**
     * Rounds of the training conversation: enough for the echo loop to be hot in the training
     * run, so that the cache carries its method profiles (JEP 515) and every child's JIT compiles
     * it soon after start (docs/models.md has the measurement). A few seconds of CPU, once per build.
     */
    static final int TRAINING_ROUNDS = 5000;

    /** The training run may take this long (the JVM assembles the cache in a second process at its exit). */
    static final long TRAINING_LIMIT_SECONDS = 120;

    private final Path cache;
    private final Path claim;
    private final Path output;
    private volatile int trainingPid = -1;
    /** The training JVM's wait status, once the reaper has collected it (its pid is then free for reuse). */
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private volatile boolean cancelled;
    private Thread thread;

    private AotCacheTrainer(Path cache) {
        this.cache = cache;
        this.claim = cache.resolveSibling(cache.getFileName() + ".training");
        this.output = cache.resolveSibling(cache.getFileName() + ".training-" + ProcessHandle.current().pid());
    }

    /** True if {@code cache} exists and was made after {@code jar} was built. */
    public static boolean isFresh(Path cache, Path jar) {
        try {
            return Files.isRegularFile(cache)
                    && Files.getLastModifiedTime(cache).compareTo(Files.getLastModifiedTime(jar)) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Starts training {@code cache} in a background thread, unless another server is already
     * training it or its directory is not writable. Returns at once; null if no training started.
     */
    public static AotCacheTrainer trainInBackground(Path cache, ChildLauncher launcher, Reaper reaper, BurstReporter reporter) {
        if (!Files.isWritable(cache.getParent())) return null;
        AotCacheTrainer trainer = new AotCacheTrainer(cache);
        if (!trainer.claim()) return null;
        trainer.removeLeftovers();
        trainer.thread = Thread.ofPlatform().name("aot-training").daemon(true).start(() -> {
            try {
                String problem = trainer.train(launcher, reaper);
                if (trainer.cancelled) return;
                if (problem == null && Files.isRegularFile(trainer.output)) {
                    Files.move(trainer.output, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    launcher.useAotCache(cache);
                } else {
                    reporter.report("could not make the handler children's AOT cache (" + problem
                            + "); children start without it");
                }
            } catch (IOException | RuntimeException e) {
                if (!trainer.cancelled) {
                    reporter.report("could not make the handler children's AOT cache (" + e + "); children start without it");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                trainer.cleanUp();
            }
        });
        return trainer;
    }

    /** Creates the claim file; false if another server holds a live claim. */
    private boolean claim() {
        try {
            Files.createFile(claim);
            return true;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            try {
                long age = System.currentTimeMillis() - Files.getLastModifiedTime(claim).toMillis();
                if (age < TRAINING_LIMIT_SECONDS * 1000) return false;    // another server is training
                Files.delete(claim);                                        // left by a killed server
                Files.createFile(claim);
                return true;
            } catch (IOException lost) {
                return false;                                               // another server took it over first
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** Holding the claim, no other training runs: files of trainings whose server was killed can go. */
    private void removeLeftovers() {
        String prefix = cache.getFileName() + ".training-";
        try (var siblings = Files.list(cache.getParent())) {
            for (Path p : siblings.filter(f -> f.getFileName().toString().startsWith(prefix)).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // leftovers stay; they do no harm
        }
    }

    /**
     * The server is stopping: kills the training JVM and the one assembling the cache (its own
     * process group) and removes their files. Waits at most until the training thread ended.
     */
    public void cancel() throws InterruptedException {
        cancelled = true;
        int pid = trainingPid;
        // Not once it was reaped: by then its number may be another process group's, a handler child's.
        if (pid > 0 && !exit.isDone()) {
            try {
                Posix.kill(-pid, Posix.SIGKILL);       // the process group: the training JVM and its assembler
            } catch (Posix.PosixException e) {
                // already gone
            }
        }
        if (thread != null) thread.join(5000);
    }

    private void cleanUp() {
        try {
            Files.deleteIfExists(output);
            Files.deleteIfExists(output.resolveSibling(output.getFileName() + ".config"));
            Files.deleteIfExists(claim);
        } catch (IOException ignored) {
            // stray files beside the jar; a later training replaces them
        }
    }

    /** One training run; returns null on success, else what went wrong in words. */
    private String train(ChildLauncher launcher, Reaper reaper) throws IOException, InterruptedException {
        int[] pipe = Posix.pipe(Posix.O_CLOEXEC);
        int[] lifeline = Posix.pipe(Posix.O_CLOEXEC);
        int[] childOutput = Posix.pipe(Posix.O_CLOEXEC);
        int counters = Posix.memfdCreate("echosuite-training-counters", LoggerCounters.BYTES);
        Thread drainFrames = drain(pipe[0], null);
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        Thread drainOutput = drain(childOutput[0], said);
        try (ListeningSocket listener = ListeningSocket.open("127.0.0.1", 0);
             SocketChannel client = SocketChannel.open(listener.address())) {
            int fd = listener.accept();
            int[] spare = Posix.socketPair();
            try {
                HandlerChildren.Shared fds = new HandlerChildren.Shared(childOutput[1], pipe[1], lifeline[0], counters);
                try {
                    trainingPid = reaper.spawn(() -> launcher.spawnTrainingSpare(output, spare[1], fds),
                            (pid, status) -> exit.complete(status));
                } finally {
                    // The child's end is the child's alone, closed here and only here: once closed, its
                    // number is free for the parent's other threads (a client just accepted, a spare's
                    // socket), and a second close would close theirs.
                    Posix.closeQuietly(spare[1]);
                }
                // The parent's side of a hand-off, as the pool of spares does it.
                if (!SpareChildren.awaitWarm(spare[0])
                        || SpareChildren.pass(spare[0], fd, (int) TimeUnit.SECONDS.toMillis(TRAINING_LIMIT_SECONDS)) != SpareChildren.Passed.TAKEN) {
                    throw new IOException("the training spare ended before it took its client");
                }
            } finally {
                Posix.closeQuietly(fd);
                Posix.closeQuietly(spare[0]);
                Posix.closeQuietly(childOutput[1]);
                Posix.closeQuietly(pipe[1]);
                Posix.closeQuietly(lifeline[0]);
                Posix.closeQuietly(counters);
            }
            exercise(client);
        } finally {
            Posix.closeQuietly(lifeline[1]);
        }
        Integer status = null;
        try {
            status = exit.get(TRAINING_LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return "the training run did not end within " + TRAINING_LIMIT_SECONDS + " s";
        } finally {
            drainFrames.join(1000);
            drainOutput.join(1000);
            Posix.closeQuietly(pipe[0]);
            Posix.closeQuietly(childOutput[0]);
        }
        if (status != 0) {
            return "the training run ended with " + Posix.describeStatus(status) + ": "
                    + said.toString(StandardCharsets.UTF_8).strip().lines().limit(3).toList();
        }
        return null;
    }

    /** What a client of the suite does: short lines, a 20 KiB record, binary bytes, an unfinished record, EOF. */
    private static void exercise(SocketChannel client) throws IOException {
        List<byte[]> messages = List.of(
                "hello\n".getBytes(StandardCharsets.US_ASCII),
                ("x".repeat(20_000) + "\n").getBytes(StandardCharsets.US_ASCII),
                new byte[] {0, 1, 2, (byte) 0xff, '\r', '\n'},
                "a 64-byte message of the closed-loop benchmark ...............\n".getBytes(StandardCharsets.US_ASCII));
        for (int round = 0; round < TRAINING_ROUNDS; round++) {
            for (byte[] m : messages) roundTrip(client, m);
        }
        roundTrip(client, "unfinished".getBytes(StandardCharsets.US_ASCII));
        client.shutdownOutput();
        ByteBuffer rest = ByteBuffer.allocate(1024);
        while (client.read(rest.clear()) >= 0) {
            // read to EOF: the child ended the connection
        }
    }

    private static void roundTrip(SocketChannel client, byte[] message) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(message);
        while (out.hasRemaining()) client.write(out);
        ByteBuffer in = ByteBuffer.allocate(message.length);
        while (in.hasRemaining()) {
            if (client.read(in) < 0) throw new IOException("the training child closed the connection early");
        }
    }

    /** A thread reading {@code fd} to end of file, keeping at most 4 KiB of it in {@code keep} (or nothing). */
    private static Thread drain(int fd, ByteArrayOutputStream keep) {
        return Thread.ofPlatform().daemon(true).start(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buffer = arena.allocate(64 << 10);
                long n;
                while ((n = Posix.read(fd, buffer)) > 0) {
                    if (keep != null && keep.size() < 4096) {
                        keep.write(buffer.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), 0, (int) n);
                    }
                }
            } catch (Posix.PosixException e) {
                // the training run is judged by its exit status
            }
        });
    }
}
