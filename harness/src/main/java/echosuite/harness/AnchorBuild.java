package echosuite.harness;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Builds the anchors, the reference servers and the C load client {@code echo_load} of
 * {@code ../shared/anchors} (or {@code $ANCHORS}), into {@code target/anchors} on first use and
 * again when their sources are newer than what was built. The shared folder is read-only and
 * nothing of it enters the project's sources: its {@code c/} and {@code netty-echo/} folders are
 * copied under {@code target/anchors} and built there (make; the Maven Wrapper for Netty).
 * Each build is tried once per harness run; what fails is said in one sentence. Without the
 * sources, what was built before is used as it is.
 */
final class AnchorBuild {

    /** The environment variable that points at the anchors when they are not at {@code ../shared/anchors}. */
    static final String ENV = "ANCHORS";
    private static final long BUILD_MINUTES = 10;

    private final Path projectRoot;
    private final Path source;
    private final PrintStream console;
    private String cOutcome;
    private String nettyOutcome;
    private final CourseCBuild courseC;

    AnchorBuild(Path projectRoot, PrintStream console) {
        this.projectRoot = projectRoot;
        this.courseC = new CourseCBuild(projectRoot);
        String env = System.getenv(ENV);
        this.source = env != null && !env.isBlank() ? Path.of(env).toAbsolutePath().normalize()
                : projectRoot.resolve("../shared/anchors").normalize();
        this.console = console;
    }

    static Path cDir(Path projectRoot) {
        return projectRoot.resolve("target/anchors/c");
    }

    static Path nettyJar(Path projectRoot) {
        return projectRoot.resolve("target/anchors/netty-echo/target/netty-echo.jar");
    }

    /** The C client's binary (built by {@link #c()}). */
    static Path echoLoad(Path projectRoot) {
        return cDir(projectRoot).resolve("echo_load");
    }

    /** Why {@code spec} cannot run, in one sentence, or null when its program is there (building it if need be). */
    String unavailable(ServerSpec spec) {
        return switch (spec.origin()) {
            case PROJECT -> Files.isRegularFile(spec.artifact(projectRoot)) ? null
                    : "not built (" + projectRoot.relativize(spec.artifact(projectRoot)) + " is missing; ./suite build builds it)";
            case COURSE_C -> courseC.unavailable();
            case C_ANCHOR -> c();
            case NETTY_ANCHOR -> netty();
        };
    }

    /** Builds the C servers and echo_load if need be; null when they are there, else why not. */
    String c() {
        if (cOutcome == null) cOutcome = buildC();
        return cOutcome.isEmpty() ? null : cOutcome;
    }

    /** Builds the Netty anchor if need be; null when it is there, else why not. */
    String netty() {
        if (nettyOutcome == null) nettyOutcome = buildNetty();
        return nettyOutcome.isEmpty() ? null : nettyOutcome;
    }

    private String buildC() {
        Path src = source.resolve("c");
        Path out = cDir(projectRoot);
        if (!Files.isDirectory(src)) return Files.isRegularFile(echoLoad(projectRoot)) ? "" : missingSources(src);
        if (upToDate(src, echoLoad(projectRoot))) return "";
        if (onPath("make") == null || (onPath("cc") == null && onPath("gcc") == null)) {
            return "the C anchors cannot be built: make and a C compiler (cc or gcc) must be on PATH (e.g. apt-get install build-essential).";
        }
        return build("the C anchors", src, out, List.of("make", "-s"), out.getParent().resolve("c-build.log"));
    }

    private String buildNetty() {
        Path src = source.resolve("netty-echo");
        Path out = projectRoot.resolve("target/anchors/netty-echo");
        if (!Files.isDirectory(src)) return Files.isRegularFile(nettyJar(projectRoot)) ? "" : missingSources(src);
        if (upToDate(src, nettyJar(projectRoot))) return "";
        // The project's Maven Wrapper: it finds the project's .mvn above target/anchors/netty-echo.
        return build("the Netty anchor", src, out, List.of(projectRoot.resolve("mvnw").toString(), "-B", "-q", "-ntp", "package"),
                out.getParent().resolve("netty-build.log"));
    }

    private String missingSources(Path src) {
        return "the anchors' sources are not at " + src + " (they come from ../shared/anchors; set " + ENV + "=DIR to use another copy).";
    }

    /** Copies {@code src} to {@code out} afresh and runs {@code command} there; "" on success, else the sentence. */
    private String build(String what, Path src, Path out, List<String> command, Path buildLog) {
        console.println("building " + what + " from " + src + " into " + out + " ...");
        try {
            deleteTree(out);
            copyTree(src, out);
            ProcessBuilder pb = new ProcessBuilder(command).directory(out.toFile()).redirectErrorStream(true)
                    .redirectOutput(buildLog.toFile());
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process p = pb.start();
            if (!p.waitFor(BUILD_MINUTES, TimeUnit.MINUTES)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return "building " + what + " took more than " + BUILD_MINUTES + " minutes and was stopped; its output is in " + buildLog + ".";
            }
            return p.exitValue() == 0 ? "" : "building " + what + " failed (" + String.join(" ", command) + " exited with status "
                    + p.exitValue() + "); its output is in " + buildLog + ".";
        } catch (IOException | UncheckedIOException e) {
            return "building " + what + " failed: " + e.getMessage() + ".";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "building " + what + " was interrupted.";
        }
    }

    /** Whether {@code built} exists and is newer than every file under {@code src}. */
    private static boolean upToDate(Path src, Path built) {
        if (!Files.isRegularFile(built)) return false;
        try (Stream<Path> files = Files.walk(src)) {
            FileTime t = Files.getLastModifiedTime(built);
            return files.filter(Files::isRegularFile).allMatch(f -> modified(f).compareTo(t) <= 0);
        } catch (IOException e) {
            return false;
        }
    }

    private static FileTime modified(Path f) {
        try {
            return Files.getLastModifiedTime(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code program} on PATH, or null. */
    static Path onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    private static void copyTree(Path src, Path out) throws IOException {
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path to = out.resolve(src.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(to);
                else if (!src.relativize(f).startsWith("target")) Files.copy(f, to, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }
}
