package echosuite.conformance;

import echosuite.serverprocess.ServerProcess;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static echosuite.conformance.EchoConformanceTest.assertVerified;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The course's own client against the course's servers: {@code course-c/build/echo_client IP PORT}
 * (seed 001's echo_client.c) is fed lines on standard input, as a student types them, and must
 * print each one's echo; the server's log must then hold each line as a record. One test per
 * selected C server (none when no C server is selected).
 */
class CourseEchoClientTest {

    static final List<String> LINES = List.of("hello, server", "안녕하세요 (UTF-8 bytes)", "a line with\ttab and spaces  ",
            "x".repeat(900));

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> theCourseEchoClientIsEchoedEveryLineAndTheServerLogsThem() {
        return ServerUnderTest.selected().filter(ServerUnderTest::isCourseC)
                .map(server -> DynamicTest.dynamicTest(server.toString(), () -> talkWithEchoClient(server)));
    }

    private void talkWithEchoClient(ServerUnderTest server) throws Exception {
        Path log = dir.resolve(server.name + ".log");
        ServerProcess.Exit exit;
        String out;
        try (ServerProcess p = server.start(log)) {
            Process client = new ProcessBuilder(CourseC.executable("echo_client").toString(), "127.0.0.1",
                    Integer.toString(p.port())).redirectErrorStream(true).start();
            try {
                CompletableFuture<String> printed = CompletableFuture.supplyAsync(() -> {
                    try {
                        return new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                try (OutputStream stdin = client.getOutputStream()) {
                    for (String line : LINES) stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    stdin.write("q\n".getBytes(StandardCharsets.UTF_8));   // the course's way to quit
                }
                assertTrue(client.waitFor(60, TimeUnit.SECONDS), "echo_client ended after 'q'");   // a watchdog, not a timing
                out = printed.get(10, TimeUnit.SECONDS);
                assertEquals(0, client.exitValue(), "echo_client's exit status; it printed: " + out);
            } finally {
                client.destroyForcibly();
            }
            exit = p.terminate(Duration.ofSeconds(5));
        }
        assertTrue(out.startsWith("connected..."), "the course's client says it connected: " + out);
        for (String line : LINES) {
            assertTrue(out.contains("Message from server : " + line + "\n"), "the echo of '" + line + "' in: " + out);
        }
        assertEquals(0, exit.status(), "stderr " + exit.stderr());
        assertEquals(1, exit.summary().get("connectionsAccepted"), "summary " + exit.summary());
        assertEquals(LINES.size(), exit.summary().get("recordsLogged"), "summary " + exit.summary());
        List<byte[]> records = new ArrayList<>();
        for (String line : LINES) records.add((line + "\n").getBytes(StandardCharsets.UTF_8));
        assertVerified(log, List.of(records));
    }
}
