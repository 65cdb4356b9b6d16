package echosuite.forking;

import echosuite.logcheck.LogVerifier;
import echosuite.procfs.ProcFs;
import echosuite.procfs.UnixSocket;
import echosuite.serverprocess.ServerProcess;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --spares N}, seen from outside through {@code /proc}: the spare that was handed a client
 * holds it and the parent does not, a spare killed while idle is replaced without losing a
 * connection, a connect storm larger than the spares is served with no zombie and no descriptor
 * left behind, and SIGTERM ends idle spares.
 */
class SparesTest {

    private static final ProcFs PROC = new ProcFs();

    static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aSpareReceivesTheClientOverScmRightsAndHoldsItAndTheParentDoesNot() throws Exception {
        try (ServerProcess server = ForkingProcess.start(dir.resolve("log.txt"), "--spares", "2")) {
            Set<Long> sparesBefore = spares(server.pid());
            assertEquals(2, sparesBefore.size(), "two spares are ready when the server listens: " + children(server.pid()));
            try (Client client = new Client(server.port())) {
                assertEquals("hello\n", client.roundTrip("hello\n"));
                String socket = ForkingProcess.serverSocketOf(server.port(), client.localPort());
                long holder = ForkingProcess.childHolding(server.pid(), socket);
                assertTrue(sparesBefore.contains(holder),
                        "the client is held by one of the spares started before it connected (" + holder + " in " + sparesBefore + ")");
                Await.until("the parent has closed its copy of the client socket", LIMIT,
                        () -> !ForkingProcess.fds(server.pid()).contains(socket));
                assertEquals(socket, PROC.fdTarget(holder, 0),
                        "the client took the Unix socket's place as the spare's fd 0");
                assertEquals("again\n", client.roundTrip("again\n"));
                client.finish();
            }
            ProcessModelTest.assertStopsCleanly(server, 1);
        }
    }

    @Test
    void aSpareKilledWhileIdleIsReplacedAndNoConnectionIsLost() throws Exception {
        Path log = dir.resolve("log.txt");
        List<List<byte[]>> sent = new ArrayList<>();
        try (ServerProcess server = ForkingProcess.start(log, "--spares", "2")) {
            long parent = server.pid();
            Set<Long> before = spares(parent);
            long victim = before.iterator().next();
            ProcessHandle.of(victim).orElseThrow().destroyForcibly();
            Await.until("the killed spare was reaped and a new one started", LIMIT, () -> {
                Set<Long> now = spares(parent);
                return now.size() == 2 && !now.contains(victim);
            });
            for (int i = 0; i < 6; i++) sent.add(ProcessModelTest.shortConnection(server.port(), "after the kill " + i));
            ServerProcess.Exit exit = server.terminate(Duration.ofSeconds(5));
            assertEquals(0, exit.status());
            Map<String, Long> summary = exit.summary();
            assertEquals(6, summary.get("connectionsAccepted"), summary.toString());
            assertEquals(0, summary.get("connectionsRefused"), summary.toString());
            assertEquals(1, summary.get("errors"), "the killed spare is counted, nothing else: " + summary);
            assertTrue(server.stderr().stream().anyMatch(l -> l.contains(victim + " ended with killed by signal 9")),
                    "the killed spare is reported: " + server.stderr());
        }
        LogVerifier.Report report = LogVerifier.verify(log, sent);
        assertTrue(report.ok(), report.toString());
    }

    @Test
    void aConnectStormLargerThanTheSparesIsServedWithNoZombieAndNoDescriptorLeft() throws Exception {
        Path log = dir.resolve("log.txt");
        List<List<byte[]>> sent = new ArrayList<>();
        int storm = 12;
        try (ServerProcess server = ForkingProcess.start(log, "--spares", "2")) {
            long parent = server.pid();
            sent.add(ProcessModelTest.shortConnection(server.port(), "warm-up"));      // lazily opened fds are in the baseline
            awaitSparesOnly(parent, 2);
            int baseline = ForkingProcess.fds(parent).size();
            try (ExecutorService clients = Executors.newFixedThreadPool(storm)) {
                List<Future<List<byte[]>>> done = new ArrayList<>();
                for (int i = 0; i < storm; i++) {
                    String id = "storm " + i;
                    done.add(clients.submit(() -> ProcessModelTest.shortConnection(server.port(), id)));
                }
                for (Future<List<byte[]>> f : done) sent.add(f.get());
            }
            awaitSparesOnly(parent, 2);
            Map<Long, Character> children = ForkingProcess.children(parent);
            assertFalse(children.containsValue('Z'), "no zombie among the parent's children: " + children);
            Await.until("the parent's descriptors are back to the baseline of " + baseline, LIMIT,
                    () -> ForkingProcess.fds(parent).size() == baseline);
            ProcessModelTest.assertStopsCleanly(server, storm + 1);
        }
        LogVerifier.Report report = LogVerifier.verify(log, sent);
        assertTrue(report.ok(), report.toString());
    }

    @Test
    void sigtermWithIdleSparesEndsThemAndExitsZero() throws Exception {
        try (ServerProcess server = ForkingProcess.start(dir.resolve("log.txt"), "--spares", "3")) {
            Set<Long> idle = spares(server.pid());
            assertEquals(3, idle.size(), children(server.pid()));
            ServerProcess.Exit exit = server.terminate(Duration.ofSeconds(5));
            assertEquals(0, exit.status());
            for (long pid : idle) assertFalse(ProcessHandle.of(pid).isPresent(), "spare " + pid + " ended");
            Map<String, Long> summary = exit.summary();
            assertEquals(0, summary.get("connectionsAccepted"), summary.toString());
            assertEquals(0, summary.get("errors"), "idle spares end cleanly, not killed: " + summary + " " + server.stderr());
        }
    }

    /** Pids of the parent's spare children (started with the {@code spare} argument), serving or idle. */
    private static Set<Long> spares(long parent) throws IOException {
        Set<Long> spares = new HashSet<>();
        for (long child : ForkingProcess.children(parent).keySet()) {
            if (ForkingProcess.cmdline(child).contains(" " + HandlerProcess.SPARE + " ")) spares.add(child);
        }
        return spares;
    }

    /**
     * Waits until the parent's children are the logger and {@code n} idle spares: every served
     * child reaped, no zombie, and each spare's fd 0 still its Unix-domain socket to the parent
     * (a spare that was handed a client has the client's TCP socket there instead).
     */
    private static void awaitSparesOnly(long parent, int n) throws Exception {
        Await.until("only the logger and " + n + " idle spares are children of " + parent, LIMIT, () -> {
            Map<Long, Character> children = ForkingProcess.children(parent);
            if (children.size() != n + 1 || children.containsValue('Z') || ForkingProcess.loggerOf(parent) <= 0) return false;
            Set<Long> spares = spares(parent);
            if (spares.size() != n) return false;
            Set<String> unixSockets = unixSockets();
            for (long spare : spares) {
                if (!unixSockets.contains(fdTarget(spare, 0))) return false;
            }
            return true;
        });
    }

    /** What {@code pid}'s descriptor {@code fd} points to ("socket:[INODE]" for a socket), or "" if it is gone. */
    private static String fdTarget(long pid, int fd) {
        try {
            return PROC.fdTarget(pid, fd);
        } catch (IOException e) {
            return "";
        }
    }

    /** The machine's Unix-domain sockets, as the fd links of their holders name them. */
    private static Set<String> unixSockets() throws IOException {
        Set<String> sockets = new HashSet<>();
        for (UnixSocket s : PROC.unixSockets()) sockets.add("socket:[" + s.inode() + "]");
        return sockets;
    }

    private static String children(long parent) throws IOException {
        StringBuilder out = new StringBuilder();
        for (long child : ForkingProcess.children(parent).keySet()) out.append(child).append(": ").append(ForkingProcess.cmdline(child)).append('\n');
        return out.toString();
    }
}
