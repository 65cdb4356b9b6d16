package echosuite.forking;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * A child JVM started the way the forking server starts its handler children, to the first byte
 * it writes to a pipe: FFM {@code posix_spawn} through the server's {@link Posix}, the JVM options
 * of a one-connection handler child ({@link ChildLauncher#jvmOptions}: serial GC, small heap, no
 * perf data, ...; plus C1 only with raised compile thresholds, as {@code ChildLauncher} adds for
 * such children), the server's fixed environment, a clean signal state and a process group of its own, the
 * pipe's write end {@code dup2}'ed onto the child's fd 1 and every fd from 3 up closed. The
 * child is {@link FirstByteChild}, as in the {@code ProcessBuilder} baseline
 * {@link ChildJvmFirstByte}, so the two differ only in how the JVM is started and with which
 * options.
 *
 * <p>Two variants: {@code CDS}, the server's options as they are (the JDK's default CDS archive),
 * and {@code AOT_CACHE}, plus an AOT cache trained for this child with the same options, as the
 * server trains one for its handler (with {@code -XX:AOTMode=on} added, so that a refused cache
 * fails the benchmark instead of silently measuring a start without it).
 *
 * <p>Measured: single-shot milliseconds from {@code posix_spawn} (the pipe and file actions
 * included: the server's own {@link ChildLauncher#spawn}, as it makes them per connection) to the first byte read; reaping is in a
 * per-invocation tear-down, outside the shot. Expect the same order as the baseline, lower by what
 * the lean options save.
 *
 * <p>Pitfalls avoided: as in {@link ChildJvmFirstByte} (single shot, many forks, a one-class jar,
 * the byte checked and returned). It lives in the forking server's own JMH source set and
 * package, because it measures that module's package-private spawn; the forks get {@code --enable-native-access}, since JMH starts them
 * with {@code -cp}, where the jar manifest's {@code Enable-Native-Access} does not apply.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 20)
@Fork(value = 5, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class PosixSpawnFirstByte {

    /** How the child JVM gets its classes (see the class comment). */
    public enum Sharing { CDS, AOT_CACHE }

    @Param({"CDS", "AOT_CACHE"})
    public Sharing sharing;

    private Path workDir;
    private Arena arena;
    private MemorySegment javaPath;
    private MemorySegment argv;
    private MemorySegment environment;
    private MemorySegment attributes;
    private MemorySegment firstByte;
    private int pid;
    private int readFd = -1;

    @Setup(Level.Trial)
    public void prepareSpawn() throws IOException, InterruptedException {
        workDir = Files.createTempDirectory("echosuite-posix-spawn-");
        Path jar = FirstByteChildFiles.writeJar(workDir);
        List<String> options = new ArrayList<>(ChildLauncher.jvmOptions("32m"));
        options.addAll(ChildLauncher.ONE_CONNECTION_OPTIONS);
        if (sharing == Sharing.AOT_CACHE) {
            Path cache = FirstByteChildFiles.trainAotCache(options, jar, workDir.resolve("first-byte-child.aot"));
            options.addAll(List.of("-XX:AOTCache=" + cache, "-XX:AOTMode=on"));
        }
        List<String> command = new ArrayList<>(List.of(FirstByteChildFiles.javaLauncher()));
        command.addAll(options);
        command.addAll(List.of("-cp", jar.toString(), FirstByteChild.class.getName()));

        arena = Arena.ofShared();
        javaPath = arena.allocateFrom(command.getFirst());
        argv = Posix.cStrings(arena, command);
        environment = Posix.cStrings(arena, ChildLauncher.ENVIRONMENT);
        attributes = Posix.cleanSpawnAttributes(arena, true);
        firstByte = arena.allocate(1);
    }

    @Benchmark
    public byte spawnToFirstByte() throws IOException {
        int[] pipe = Posix.pipe(Posix.O_CLOEXEC);
        readFd = pipe[0];
        try {
            pid = ChildLauncher.spawn(javaPath, argv, environment, attributes, new int[][] {{pipe[1], 1}, {2, 2}});   // stdout: the pipe; stderr: ours
        } finally {
            Posix.close(pipe[1]);                // the parent's copy: only the child holds the write end
        }
        long n = Posix.read(readFd, firstByte);
        byte b = firstByte.get(JAVA_BYTE, 0);
        if (n != 1 || b != FirstByteChild.FIRST_BYTE) {
            throw new IllegalStateException("the child JVM wrote " + (n == 1 ? "the byte " + b : "nothing")
                    + " instead of its first byte " + FirstByteChild.FIRST_BYTE + " (its errors are above)");
        }
        return b;
    }

    /** Reaps this shot's child outside the measured time; no child outlives the benchmark. */
    @TearDown(Level.Invocation)
    public void reapChild() throws IOException {
        int[] status = new int[1];
        try {
            Posix.waitpid(pid, status, 0);
        } finally {
            Posix.close(readFd);
            readFd = -1;
        }
        if (!Posix.exitedCleanly(status[0])) {
            throw new IllegalStateException("the child JVM ended with " + Posix.describeStatus(status[0]));
        }
    }

    @TearDown(Level.Trial)
    public void release() throws IOException {
        arena.close();
        FirstByteChildFiles.delete(workDir);
    }
}
