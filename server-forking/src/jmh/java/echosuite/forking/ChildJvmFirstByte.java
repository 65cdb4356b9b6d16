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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * <b>The ProcessBuilder baseline</b> of the forking server's price per connection: start a
 * child JVM and wait for the first byte it writes to a pipe (its standard output). The child is
 * {@link FirstByteChild}, which writes that byte as soon as its {@code main} runs, started by a
 * plain {@code java} with no options but the sharing one. The forking server's own spawn (FFM
 * {@code posix_spawn}, its lean JVM options) is {@link echosuite.forking.PosixSpawnFirstByte};
 * {@code ProcessBuilder} on Linux also uses {@code posix_spawn}, through the {@code jspawnhelper}
 * program, so the difference between the two is mostly the JVM options.
 *
 * <p>Three variants of class-data sharing, the lever the forking server has on this cost:
 * <ul>
 *   <li>{@code NO_CDS}: {@code -Xshare:off}, every JDK class is loaded and verified from the
 *       module image;</li>
 *   <li>{@code CDS}: {@code -Xshare:on}, the JDK's default CDS archive, which a plain
 *       {@code java} uses anyway ({@code -Xshare:auto}); {@code on} makes the child fail rather
 *       than silently run without it;</li>
 *   <li>{@code AOT_CACHE}: a JDK 25 AOT cache made for this child in the trial set-up (one
 *       training run with {@code -XX:AOTCacheOutput}), used with {@code -XX:AOTMode=on}, which
 *       likewise fails rather than run without it.</li>
 * </ul>
 * Expect tens to a few hundred milliseconds on a busy two-core machine, falling from
 * {@code NO_CDS} to {@code CDS} to {@code AOT_CACHE}.
 *
 * <p>Measured: single-shot time in milliseconds from {@code start()} to the first byte read.
 * The child's exit and reaping happen in a per-invocation tear-down, outside the measured
 * time (per-invocation fixtures are sound only in single-shot mode, as here).
 *
 * <p>Pitfalls avoided: a steady-state mode would average spawns that overlap with the previous
 * child's exit, so this is single-shot, with warm-up shots and many forks because each
 * spawn's time depends on the state of the machine and of the page cache, not on the JIT.
 * The child's class path is a jar of one class written in the set-up
 * ({@link FirstByteChildFiles}). The byte read is checked and returned, so the read cannot be
 * elided.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 20)
@Fork(5)
@State(Scope.Thread)
public class ChildJvmFirstByte {

    /** How the child JVM gets its classes (see the class comment). */
    public enum Sharing { NO_CDS, CDS, AOT_CACHE }

    @Param({"NO_CDS", "CDS", "AOT_CACHE"})
    public Sharing sharing;

    private Path workDir;
    private List<String> command;
    private Process child;

    @Setup(Level.Trial)
    public void prepareChildCommand() throws IOException, InterruptedException {
        workDir = Files.createTempDirectory("echosuite-child-jvm-");
        Path jar = FirstByteChildFiles.writeJar(workDir);
        command = new ArrayList<>(List.of(FirstByteChildFiles.javaLauncher()));
        switch (sharing) {
            case NO_CDS -> command.add("-Xshare:off");
            case CDS -> command.add("-Xshare:on");
            case AOT_CACHE -> {
                Path cache = FirstByteChildFiles.trainAotCache(List.of(), jar, workDir.resolve("first-byte-child.aot"));
                command.add("-XX:AOTCache=" + cache);
                command.add("-XX:AOTMode=on");
            }
        }
        command.addAll(List.of("-cp", jar.toString(), FirstByteChild.class.getName()));
    }

    @Benchmark
    public int spawnToFirstByte() throws IOException {
        child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int first = child.getInputStream().read();
        if (first != FirstByteChild.FIRST_BYTE) {
            throw new IllegalStateException("the child JVM " + command + " wrote " + first
                    + " instead of its first byte " + FirstByteChild.FIRST_BYTE + " (its errors are above)");
        }
        return first;
    }

    /** Reaps the child of this shot, outside the measured time, so that no child outlives the benchmark. */
    @TearDown(Level.Invocation)
    public void reapChild() throws InterruptedException, IOException {
        try {
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor();
                throw new IllegalStateException("the child JVM did not exit within 30 s after its first byte; killed it");
            }
            if (child.exitValue() != 0) {
                throw new IllegalStateException("the child JVM exited with status " + child.exitValue());
            }
        } finally {
            child.getInputStream().close();
            child.getOutputStream().close();
            child.getErrorStream().close();
        }
    }

    @TearDown(Level.Trial)
    public void deleteWorkDir() throws IOException {
        FirstByteChildFiles.delete(workDir);
    }
}
