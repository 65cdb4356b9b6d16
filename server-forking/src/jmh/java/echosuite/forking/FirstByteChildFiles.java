package echosuite.forking;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The files a {@link FirstByteChild} JVM is started from, made in a benchmark's set-up: a jar
 * holding only that class (CDS and the AOT cache refuse class-path directories, and a small jar
 * keeps the figure independent of how the benchmarks were launched) and, when asked, an AOT
 * cache trained on exactly the JVM options the measured children get (a cache made with other
 * options may be refused).
 */
public final class FirstByteChildFiles {

    private FirstByteChildFiles() { }

    /** The {@code java} launcher of the running JDK, which the children use too. */
    public static String javaLauncher() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Writes {@code dir/first-byte-child.jar} holding only {@link FirstByteChild}; returns its path. */
    public static Path writeJar(Path dir) throws IOException {
        Path jar = dir.resolve("first-byte-child.jar");
        String entry = FirstByteChild.class.getName().replace('.', '/') + ".class";
        try (InputStream in = FirstByteChild.class.getResourceAsStream("/" + entry);
             OutputStream file = Files.newOutputStream(jar);
             JarOutputStream out = new JarOutputStream(file)) {
            if (in == null) throw new IllegalStateException("cannot find " + entry + " on the class path");
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }

    /**
     * One training run of the child with {@code jvmOptions} plus {@code -XX:AOTCacheOutput=cache}
     * (JDK 25: training and cache creation in one step); returns {@code cache}.
     *
     * @throws IllegalStateException with the run's output if it fails or writes no cache
     */
    public static Path trainAotCache(List<String> jvmOptions, Path jar, Path cache)
            throws IOException, InterruptedException {
        Path output = cache.resolveSibling(cache.getFileName() + ".training.txt");
        List<String> command = new ArrayList<>(List.of(javaLauncher()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-XX:AOTCacheOutput=" + cache, "-cp", jar.toString(), FirstByteChild.class.getName()));
        Process training = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!training.waitFor(120, TimeUnit.SECONDS)) {
            training.destroyForcibly().waitFor();
            throw new IllegalStateException("the AOT training run " + command + " did not finish within 120 s; killed it");
        }
        if (training.exitValue() != 0 || !Files.isRegularFile(cache)) {
            throw new IllegalStateException("the AOT training run " + command + " failed (status "
                    + training.exitValue() + "), so there is no AOT cache to measure; its output:\n"
                    + Files.readString(output));
        }
        return cache;
    }

    /** Deletes {@code dir} and everything in it. */
    public static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
