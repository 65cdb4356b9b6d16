package echosuite.forking;

import echosuite.logcheck.LogVerifier;
import echosuite.serverprocess.ServerProcess;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.SocketTimeoutException;
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

import static echosuite.forking.Client.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The forking model seen from outside, through {@code /proc}: who holds the client socket,
 * zombies and descriptors after many connections, the listen backlog at --max-children, and
 * preforked children replaced when they exit.
 */
class ProcessModelTest {

    /** Short connections in the zombie test; the 1,000 of the issue: -Dforking.shortConnections=1000. */
    static final int SHORT_CONNECTIONS = Integer.getInteger("forking.shortConnections", 120);
    static final Duration REAP_LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void theClientSocketIsHeldByTheHandlerChildAndNotByTheParent() throws Exception {
        try (ServerProcess server = ForkingProcess.start(dir.resolve("log.txt"));
             Client client = new Client(server.port())) {
            assertEquals("hello\n", client.roundTrip("hello\n"));
            String socket = ForkingProcess.serverSocketOf(server.port(), client.localPort());

            // With spares (the default) the parent closes its copy once the spare confirms it holds
            // the client, which may be a moment after the spare's first echo.
            Await.until("the parent closed its copy of the client socket (close(clnt_sock))", REAP_LIMIT,
                    () -> !ForkingProcess.fds(server.pid()).contains(socket));
            long child = ForkingProcess.childHolding(server.pid(), socket);
            assertTrue(child > 0, "a child of the parent holds the client socket");
            assertTrue(ForkingProcess.cmdline(child).contains(HandlerProcess.class.getName()), ForkingProcess.cmdline(child));
            // The child holds its client, the pipe, the lifeline, and nothing of the parent's:
            // not the listening socket, not the log file.
            for (String fd : ForkingProcess.fds(child)) {
                assertFalse(fd.endsWith("log.txt"), "the handler child does not hold the log file: " + fd);
            }
            ServerProcess.Exit exit = server.terminate(Duration.ofSeconds(5));
            assertEquals(0, exit.status());
        }
    }

    @Test
    void theChildrenGetTheFixedMinimalEnvironmentAndNothingOfTheCallers() throws Exception {
        Map<String, String> callers = Map.of("ECHOSUITE_CALLER_SECRET", "s3cret", "JAVA_TOOL_OPTIONS", "-Decho.injected=1");
        try (ServerProcess server = ForkingProcess.start(callers, dir.resolve("log.txt"));
             Client client = new Client(server.port())) {
            assertEquals("hello\n", client.roundTrip("hello\n"));
            assertTrue(ForkingProcess.environment(server.pid()).contains("ECHOSUITE_CALLER_SECRET=s3cret"),
                    "the parent has the caller's environment");
            long handler = ForkingProcess.childHolding(server.pid(),
                    ForkingProcess.serverSocketOf(server.port(), client.localPort()));
            long logger = ForkingProcess.loggerOf(server.pid());
            for (long child : new long[] {handler, logger}) {
                assertEquals(List.of("PATH=/usr/bin:/bin", "LANG=C.UTF-8"), ForkingProcess.environment(child),
                        "the environment of child " + child + " (" + ForkingProcess.cmdline(child) + ")");
            }
            ServerProcess.Exit exit = server.terminate(Duration.ofSeconds(5));
            assertEquals(0, exit.status());
        }
    }

    @Test
    void afterManyShortConnectionsNoZombieIsLeftAndTheParentHoldsNoMoreDescriptorsThanBefore() throws Exception {
        Path log = dir.resolve("log.txt");
        List<List<byte[]>> sent = new ArrayList<>();
        try (ServerProcess server = ForkingProcess.start(log, "--spares", "0")) {   // echo_storeserv.c itself
            long parent = server.pid();
            sent.add(shortConnection(server.port(), "warm-up"));   // lazily opened fds are in the baseline
            awaitOnlyTheLogger(parent);
            int baseline = ForkingProcess.fds(parent).size();

            try (ExecutorService clients = Executors.newFixedThreadPool(8)) {
                List<Future<List<byte[]>>> done = new ArrayList<>();
                for (int i = 0; i < SHORT_CONNECTIONS; i++) {
                    String id = "connection " + i;
                    done.add(clients.submit(() -> shortConnection(server.port(), id)));
                }
                for (Future<List<byte[]>> f : done) sent.add(f.get());
            }
            awaitOnlyTheLogger(parent);

            Map<Long, Character> children = ForkingProcess.children(parent);
            assertFalse(children.containsValue('Z'), "no zombie among the parent's children: " + children);
            assertEquals(baseline, ForkingProcess.fds(parent).size(),
                    "the parent's descriptors are back to the baseline: " + ForkingProcess.fds(parent));
            assertStopsCleanly(server, SHORT_CONNECTIONS + 1);
        }
        LogVerifier.Report report = LogVerifier.verify(log, sent);
        assertTrue(report.ok(), report.toString());
    }

    /** SIGTERM ends {@code server} with status 0, after it accepted {@code accepted} connections and counted no error. */
    static void assertStopsCleanly(ServerProcess server, long accepted) throws Exception {
        ServerProcess.Exit exit = server.terminate(Duration.ofSeconds(5));
        assertEquals(0, exit.status());
        Map<String, Long> summary = exit.summary();
        assertEquals(accepted, summary.get("connectionsAccepted"), summary.toString());
        assertEquals(0, summary.get("errors"), summary + " stderr " + server.stderr());
    }

    /** One message and EOF; returns the records the server must log for it. */
    static List<byte[]> shortConnection(int port, String id) throws IOException {
        try (Client c = new Client(port)) {
            byte[] m = bytes(id + "\n");
            assertArrayEquals(m, c.roundTrip(m));
            assertEquals(0, c.finish().length);
            return List.of(m);
        }
    }

    /** Waits until the parent's only child is the logger: every handler child was reaped (no zombie either). */
    private static void awaitOnlyTheLogger(long parent) throws Exception {
        Await.until("every handler child of " + parent + " has been reaped", REAP_LIMIT, () -> {
            Map<Long, Character> children = ForkingProcess.children(parent);
            return children.size() == 1 && ForkingProcess.loggerOf(parent) > 0 && !children.containsValue('Z');
        });
    }

    @Test
    void atMaxChildrenANewClientWaitsInTheBacklogAndIsServedWhenAChildEnds() throws Exception {
        try (ServerProcess server = ForkingProcess.start(dir.resolve("log.txt"), "--max-children", "1", "--spares", "0");
             Client first = new Client(server.port());
             Client second = new Client(server.port(), 1500)) {
            assertEquals("first\n", first.roundTrip("first\n"));
            second.send(bytes("second\n"));
            // "Waits" can only be seen as the absence of an answer for a while: 1.5 s.
            assertThrows(SocketTimeoutException.class, () -> second.readExactly(1), "not served while the only child is busy");
            assertEquals(1, ForkingProcess.children(server.pid()).size() - 1, "one handler child (plus the logger)");
            first.finish();                                        // its child ends and is reaped ...
            second.socket.setSoTimeout(Client.READ_TIMEOUT_MILLIS);
            assertArrayEquals(bytes("second\n"), second.readExactly(7), "... and the waiting client is served");
            ServerProcess.Exit exit = server.terminate(Duration.ofSeconds(5));
            assertEquals(0, exit.status());
            Map<String, Long> summary = exit.summary();
            assertEquals(2, summary.get("connectionsAccepted"), summary.toString());
            assertEquals(0, summary.get("connectionsRefused"), summary.toString());
        }
    }

    @Test
    void preforkedChildrenShareTheListenerAndOneThatDiesOrRetiresIsReplaced() throws Exception {
        try (ServerProcess server = ForkingProcess.start(dir.resolve("log.txt"),
                "--prefork", "2", "--max-connections-per-child", "2")) {
            long parent = server.pid();
            Await.until("two prefork children and the logger run", REAP_LIMIT,
                    () -> ForkingProcess.children(parent).size() == 3);
            // Every child serves connections one at a time and retires after two: six
            // sequential connections are served by at least three different processes.
            Set<Long> servedBy = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                try (Client c = new Client(server.port())) {
                    assertEquals("n" + i + "\n", c.roundTrip("n" + i + "\n"));
                    servedBy.add(ForkingProcess.childHolding(parent, ForkingProcess.serverSocketOf(server.port(), c.localPort())));
                    c.finish();
                }
            }
            assertFalse(servedBy.contains(-1L), "each connection was held by a child: " + servedBy);
            assertTrue(servedBy.size() >= 3, "retired children were replaced: " + servedBy);

            // kill -9 of the child serving a client: that client loses its connection, a new child
            // takes the dead one's place, and the next client is served.
            try (Client victim = new Client(server.port())) {
                assertEquals("v\n", victim.roundTrip("v\n"));
                long child = ForkingProcess.childHolding(parent, ForkingProcess.serverSocketOf(server.port(), victim.localPort()));
                ProcessHandle.of(child).orElseThrow().destroyForcibly();
                assertConnectionEnded(victim);
                Await.until("the killed prefork child was replaced", REAP_LIMIT, () -> {
                    Map<Long, Character> now = ForkingProcess.children(parent);
                    return now.size() == 3 && !now.containsKey(child);
                });
            }
            try (Client after = new Client(server.port())) {
                assertEquals("after\n", after.roundTrip("after\n"));
            }
            ServerProcess.Exit exit = server.terminate(Duration.ofSeconds(5));
            assertEquals(0, exit.status());
            Map<String, Long> summary = exit.summary();
            assertEquals(7, summary.get("connectionsAccepted"), "the killed child's connection is not reported: " + summary);
            assertTrue(summary.get("errors") >= 1, "the killed child is counted: " + summary);
        }
    }

    static void assertConnectionEnded(Client c) throws IOException {
        try {
            int b = c.read();
            assertEquals(-1, b, "the connection ended");
        } catch (java.net.SocketException reset) {
            // a reset ends it too (a read timeout, SocketTimeoutException, does not: it fails the test)
        }
    }

    /**
     * SIGTERM right after four clients connected and sent an unfinished record, while their
     * children's JVMs are probably still starting: the stop waits for them rather than killing
     * them (no child ends by a signal, no error), and every client's connection ends. A client
     * whose bytes were read before the stop gets its echo, and then its record is in the log; a
     * child that starts after the stop reads nothing (as if the client had sent EOF at once), and
     * closing a socket with unread input makes the kernel reset it.
     */
    @Test
    void sigtermWhileChildrenAreStillStartingEndsTheirConnectionsWithoutKillingThem() throws Exception {
        Path log = dir.resolve("log.txt");
        List<Client> clients = new ArrayList<>();
        List<List<byte[]>> required = new ArrayList<>();
        List<List<byte[]>> mayFollow = new ArrayList<>();
        try (ServerProcess server = ForkingProcess.start(log, "--spares", "0")) {
            for (int i = 0; i < 4; i++) {
                Client c = new Client(server.port());
                c.send(bytes("early " + i));                    // no newline: the final record at EOF
                clients.add(c);
            }
            ServerProcess.Exit exit = server.terminate(Duration.ofSeconds(5));
            assertEquals(0, exit.status());
            for (int i = 0; i < 4; i++) {
                byte[] echo = clients.get(i).finishOrReset();     // the connection ended
                boolean echoed = echo.length > 0;
                if (echoed) assertArrayEquals(bytes("early " + i), echo);
                required.add(echoed ? List.of(bytes("early " + i + "\n")) : List.of());
                mayFollow.add(echoed ? List.of() : List.of(bytes("early " + i + "\n")));
            }
            assertEquals(0, exit.summary().get("errors"), exit.summary() + " stderr " + server.stderr());
            assertTrue(server.stderr().stream().noneMatch(l -> l.contains("signal")), "no child was killed: " + server.stderr());
        } finally {
            for (Client c : clients) c.close();
        }
        LogVerifier.Report report = LogVerifier.verify(log, required, mayFollow);
        assertTrue(report.ok(), report.toString());
    }
}
