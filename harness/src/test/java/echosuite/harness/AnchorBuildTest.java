package echosuite.harness;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The anchors' build on first use, with a stand-in for ../shared/anchors whose Makefile only makes
 * the files the harness looks for: built into target/anchors, not rebuilt while current, and one
 * sentence when the sources are missing or make fails.
 */
class AnchorBuildTest {

    @TempDir
    Path dir;
    private Path root;
    private Path sources;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    @BeforeEach
    void aProjectBesideSharedAnchors() throws IOException {
        assumeTrue(System.getenv(AnchorBuild.ENV) == null, "ANCHORS is set: the build would look there");
        root = Files.createDirectories(dir.resolve("project"));
        sources = Files.createDirectories(dir.resolve("shared/anchors/c"));
    }

    /** The build needs make and a C compiler; without them it says so instead (the sentence is in AnchorBuild). */
    private static void assumeMakeAndCompiler() {
        assumeTrue(AnchorBuild.onPath("make") != null && (AnchorBuild.onPath("cc") != null || AnchorBuild.onPath("gcc") != null),
                "no make or C compiler on PATH");
    }

    private AnchorBuild build() {
        return new AnchorBuild(root, new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    @Test
    void theCProgramsAreBuiltIntoTargetAnchorsOnceAndUsedWhileCurrent() throws IOException {
        assumeMakeAndCompiler();
        Files.writeString(sources.resolve("Makefile"), "all:\n\ttouch echo_load epoll_server\n\techo built >> ../builds\n");
        assertNull(build().c());
        assertTrue(Files.isRegularFile(AnchorBuild.echoLoad(root)));
        assertTrue(Files.isRegularFile(ServerCatalog.named("anchor-c-epoll").artifact(root)));
        assertTrue(console.toString(StandardCharsets.UTF_8).startsWith("building the C anchors from " + sources), console.toString());
        assertNull(build().c(), "a second run finds them current");
        assertEquals("built\n", Files.readString(root.resolve("target/anchors/builds")), "make ran once");
        assertTrue(Files.notExists(sources.resolve("echo_load")), "the shared folder is not written to");
    }

    @Test
    void missingSourcesAreOneSentence() throws IOException {
        Files.delete(sources);
        assertEquals("the anchors' sources are not at " + sources + " (they come from ../shared/anchors; set ANCHORS=DIR to use another copy).",
                build().unavailable(ServerCatalog.named("anchor-c-fork")));
    }

    @Test
    void aFailedMakeIsOneSentenceNamingItsOutput() throws IOException {
        assumeMakeAndCompiler();
        Files.writeString(sources.resolve("Makefile"), "all:\n\tfalse\n");
        String why = build().c();
        Path log = root.resolve("target/anchors/c-build.log");
        assertEquals("building the C anchors failed (make -s exited with status 2); its output is in " + log + ".", why);
        assertTrue(Files.readString(log).contains("Error 1"), "make's own words are kept: " + Files.readString(log));
    }

    @Test
    void aProjectServerIsUnavailableOnlyWhileItsJarIsMissing() throws IOException {
        assertEquals("not built (server-selector/target/server-selector.jar is missing; ./suite build builds it)",
                build().unavailable(ServerCatalog.named("selector-2")));
        Path jar = ServerCatalog.named("selector").artifact(root);
        Files.createDirectories(jar.getParent());
        Files.createFile(jar);
        assertNull(build().unavailable(ServerCatalog.named("selector-2")));
    }
}
