package echosuite.conformance;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The course's C servers (course-c/): built with {@code make} the first time the kit needs one,
 * as {@code ./suite server c-NAME} does. Where no C compiler is found, a test of a C server is
 * aborted with that reason (reported as not run, never as passed); a build that fails is a failure.
 */
final class CourseC {

    private static Path built;

    private CourseC() {
    }

    static Path dir() {
        return Path.of(System.getProperty("echosuite.root", "..")).resolve("course-c").toAbsolutePath().normalize();
    }

    /** {@code course-c/build/NAME}, after {@code make} brought it up to date. */
    static synchronized Path executable(String name) {
        if (built == null) {
            Assumptions.assumeTrue(onPath("gcc") && onPath("make"),
                    "cannot build the C servers: no C compiler (gcc) or make found; the Java servers still work");
            run("make", "-s", "-C", dir().toString());
            built = dir().resolve("build");
        }
        Path exe = built.resolve(name);
        if (!Files.isExecutable(exe)) throw new IllegalStateException("make built no " + exe);
        return exe;
    }

    static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) return true;
        }
        return false;
    }

    private static void run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the C servers", e);
        }
    }
}
