package echosuite.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The course's C servers ({@code course-c/}) for a run: {@code make -s -C course-c} once, before
 * the first of them runs (make rebuilds only what changed), as {@code ./suite server c-NAME} does.
 * Without make or a C compiler they are "not built" with one sentence, and the Java servers run.
 */
final class CourseCBuild {

    private static final long BUILD_MINUTES = 5;

    private final Path projectRoot;
    private String outcome;

    CourseCBuild(Path projectRoot) {
        this.projectRoot = projectRoot;
    }

    static Path executable(Path projectRoot, String name) {
        return projectRoot.resolve("course-c").resolve("build").resolve(name);
    }

    /** Null when the course's servers are built (building them if need be), else why not, in one sentence. */
    String unavailable() {
        if (outcome == null) outcome = build();
        return outcome.isEmpty() ? null : outcome;
    }

    private String build() {
        if (AnchorBuild.onPath("make") == null || (AnchorBuild.onPath("cc") == null && AnchorBuild.onPath("gcc") == null)) {
            return "cannot build the C servers: no C compiler (gcc) or make found; the Java servers still work.";
        }
        Path dir = projectRoot.resolve("course-c");
        Path buildLog = projectRoot.resolve("target").resolve("course-c-build.log");
        try {
            Files.createDirectories(buildLog.getParent());
            Process p = new ProcessBuilder("make", "-s", "-C", dir.toString()).redirectErrorStream(true)
                    .redirectOutput(buildLog.toFile()).start();
            if (!p.waitFor(BUILD_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return "building the C servers took more than " + BUILD_MINUTES + " minutes and was stopped; its output is in " + buildLog + ".";
            }
            return p.exitValue() == 0 ? "" : "building the C servers failed (make exited with status " + p.exitValue()
                    + "); its output is in " + buildLog + ".";
        } catch (IOException e) {
            return "building the C servers failed: " + e.getMessage() + ".";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "building the C servers was interrupted.";
        }
    }
}
