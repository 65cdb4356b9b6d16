package echosuite.serverprocess;

import echosuite.procfs.ProcFs;
import echosuite.procfs.ProcStat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fixture against {@link FakeServer}, a stand-in that starts and stops as the protocol asks, or misbehaves on request. */
class ServerProcessTest {

    private static final Duration STOP = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private ServerCommand fake(String... args) {
        return ServerCommand.mainClass(System.getProperty("java.class.path"), FakeServer.class.getName(), List.of())
                .log(dir.resolve("log.txt")).args(args);
    }

    @Test
    void startsOnceListeningThenSigtermBringsTheSummaryAndStatusZero() throws Exception {
        try (ServerProcess server = ServerProcess.start(fake())) {
            assertTrue(server.port() > 0, "the kernel chose a port");
            assertEquals("127.0.0.1:" + server.port(), server.address());
            assertEquals(server.port(), server.socketAddress().getPort());
            assertEquals(List.of("listening on " + server.address()), server.stdout());
            try (Socket client = new Socket("127.0.0.1", server.port())) {
                assertEquals("connection 1", server.awaitStderrLine("connection", STOP));
            }
            ServerProcess.Exit exit = server.terminate(STOP);
            assertEquals(0, exit.status(), exit.toString());
            assertEquals(Map.of("connectionsAccepted", 1L), exit.summary());
            assertEquals(exit.summary(), exit.summaryIfPrinted());
            assertFalse(server.isAlive());
        }
    }

    @Test
    void aServerThatExitsBeforeListeningFailsToStartWithItsLastWords() {
        ServerProcess.StartFailure f = assertThrows(ServerProcess.StartFailure.class, () -> ServerProcess.start(fake("--exit", "3")));
        assertEquals("it exited before printing 'listening on'; its last words: stderr: bad usage: told to exit", f.getMessage());
    }

    @Test
    void aProgramThatCannotBeStartedFailsToStartSayingWhich() {
        ServerCommand missing = ServerCommand.of(List.of(dir.resolve("no-such-server").toString())).log(dir.resolve("log.txt"));
        ServerProcess.StartFailure f = assertThrows(ServerProcess.StartFailure.class, () -> ServerProcess.start(missing));
        assertTrue(f.getMessage().startsWith("could not start " + missing + ": "), f.getMessage());
    }

    @Test
    void aSilentServerFailsAtItsStartLimitAndIsKilled() throws Exception {
        Path pidFile = dir.resolve("pid");
        ServerCommand silent = ServerCommand.of(List.of("bash", "-c", "echo $$ > '" + pidFile + "' && exec sleep 600"))
                .startLimit(Duration.ofSeconds(2));
        ServerProcess.StartFailure f = assertThrows(ServerProcess.StartFailure.class, () -> ServerProcess.start(silent));
        assertEquals("it printed no 'listening on' line within 2 s", f.getMessage());
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "killed: " + pid);
    }

    @Test
    void aRefusedCommandLineRunsToItsExitWithStatusAndStderr() throws Exception {
        ServerProcess.Exit exit = ServerProcess.runToExit(fake("--exit", "2"));
        assertEquals(2, exit.status());
        assertEquals(List.of("bad usage: told to exit"), exit.stderr());
        assertEquals(Duration.ZERO, exit.afterSignal(), "not signalled");
        assertEquals(Map.of(), exit.summaryIfPrinted());
        assertThrows(IllegalStateException.class, exit::summary);
    }

    @Test
    void aServerThatIgnoresSigtermIsKilledAndTheStopFails() throws Exception {
        try (ServerProcess server = ServerProcess.start(fake("--ignore-sigterm"))) {
            assertThrows(ServerProcess.StopFailure.class, () -> server.terminate(Duration.ofSeconds(1)));
            assertFalse(server.isAlive());
        }
    }

    @Test
    void closeEndsTheServerAndWhatItStarted() throws Exception {
        ProcStat child;
        try (ServerProcess server = ServerProcess.start(fake("--child"))) {
            List<ProcStat> tree = server.tree();
            assertEquals(server.pid(), tree.getFirst().pid(), "the server is the root of its tree");
            assertEquals(2, tree.size(), "the server and its sleep: " + tree);
            child = tree.get(1);
        }
        assertFalse(ProcessHandle.of(child.pid()).map(ProcessHandle::isAlive).orElse(false), "its child is gone too");
    }

    @Test
    void killTreeEndsTheServerAndWhatItStartedAtOnce() throws Exception {
        try (ServerProcess server = ServerProcess.start(fake("--child", "--ignore-sigterm"))) {
            long child = server.tree().get(1).pid();
            server.killTree();
            assertFalse(server.isAlive());
            assertFalse(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false));
        }
    }

    @Test
    void pinnedUnderAnOpenFileLimitWithMoreEnvironmentTheServerKeepsItsPid() throws Exception {
        ServerCommand command = fake("--report").openFileLimit(200).environment(Map.of("ECHOSUITE_FIXTURE_TEST", "a b"));
        boolean canPin = Files.isExecutable(ServerCommand.TASKSET);
        if (canPin) command = command.pinnedTo("0");
        try (ServerProcess server = ServerProcess.start(command)) {
            assertEquals("max open files 200", server.awaitStderrLine("max open files", STOP));
            if (canPin) assertEquals("cpus 1", server.awaitStderrLine("cpus", STOP));
            ProcFs proc = new ProcFs();
            assertTrue(proc.cmdline(server.pid()).contains(FakeServer.class.getName()),
                    "taskset and bash exec the server: its pid is theirs " + proc.cmdline(server.pid()));
            assertTrue(proc.environment(server.pid()).contains("ECHOSUITE_FIXTURE_TEST=a b"));
            assertTrue(proc.environment(server.pid()).stream().anyMatch(v -> v.startsWith("PATH=")), "inherited the rest");
        }
    }

    @Test
    void keptLinesAreTheLastOnesInTheirOrderAndTheSummaryIsKeptRegardless() throws Exception {
        try (ServerProcess server = ServerProcess.start(fake().keepLastLines(2))) {
            for (int i = 1; i <= 3; i++) {
                try (Socket client = new Socket("127.0.0.1", server.port())) {
                    server.awaitStderrLine("connection " + i, STOP);
                }
            }
            assertEquals(List.of("stderr: connection 2", "stderr: connection 3"), server.output());
            assertEquals(Map.of("connectionsAccepted", 3L), server.terminate(STOP).summary());
        }
    }
}
