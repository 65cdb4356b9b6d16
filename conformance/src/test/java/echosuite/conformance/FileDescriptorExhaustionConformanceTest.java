package echosuite.conformance;

import echosuite.serverprocess.ServerProcess;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static echosuite.conformance.EchoConformanceTest.assertVerified;
import static echosuite.conformance.EchoConformanceTest.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Protocol, "Limits and refusals": out of file descriptors ({@code accept} fails with "Too many
 * open files"), a server reports it once per burst, keeps serving the connections it has, does
 * not spin a CPU while the listener stays readable, and accepts again once descriptors are free.
 *
 * <p>The server runs under {@code ulimit -n} {@value #OPEN_FILE_LIMIT}; the test opens more
 * clients than that, so the kernel completes their handshakes and the rest wait in the listen
 * backlog, in order. How many the server holds is read from {@code /proc/PID/fd} (its sockets
 * beyond those it had at start): the first that many clients, since the backlog is first in,
 * first out. A process-per-client server is tested for what its model promises instead
 * ({@link #parentThatHoldsNoClientNeverRunsOut}).
 */
class FileDescriptorExhaustionConformanceTest {

    static final int OPEN_FILE_LIMIT = 64;
    /** The limit for a process per client: below what its parent would need to hold its clients. */
    static final int PROCESS_PER_CLIENT_LIMIT = 48;
    /** More clients than a server can hold under the limit (a JVM has a dozen files open at start). */
    static final int CLIENTS = OPEN_FILE_LIMIT + 16;
    /** CPU is measured over this window while the server is out of descriptors. */
    static final Duration CPU_WINDOW = Duration.ofSeconds(2);
    /** Generous: a server that retried accept in a tight loop would use a whole core (1.0). */
    static final double MAX_CPU_SHARE = 0.30;
    /** Clients that leave to free descriptors; as many waiting clients must then be served. */
    static final int LEAVING = 10;

    @TempDir
    Path dir;

    @ForEachServer
    void outOfFileDescriptorsTheServerKeepsServingDoesNotSpinAndAcceptsAgainLater(ServerUnderTest server, TestInfo test)
            throws Exception {
        String name = test.getTestMethod().orElseThrow().getName();
        if (!server.holdsEveryClientSocket()) {
            parentThatHoldsNoClientNeverRunsOut(server, name);
            return;
        }
        Path log = dir.resolve("log.txt");
        List<EchoClient> clients = new ArrayList<>();
        List<List<byte[]>> expected = new ArrayList<>();
        ServerProcess.Exit exit;
        try (ServerProcess p = server.startWithOpenFileLimit(log, OPEN_FILE_LIMIT)) {
            int socketsAtStart = ProcessTree.openSockets(p.pid());
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    clients.add(new EchoClient(p.port()));
                    expected.add(new ArrayList<>());
                }
                p.awaitStderrLine("Too many open files", Duration.ofSeconds(30));
                int held = ProcessTree.openSockets(p.pid()) - socketsAtStart;
                assertTrue(held > LEAVING && held < CLIENTS - LEAVING, "the server holds " + held + " of "
                        + CLIENTS + " clients under ulimit -n " + OPEN_FILE_LIMIT + "; the test needs more than "
                        + LEAVING + " held and " + LEAVING + " waiting");

                for (int i = 0; i < held; i++) {                        // the clients it has are served
                    roundTrip(clients.get(i), "held " + i + "\n", expected.get(i));
                }

                double share = ProcessTree.cpuShare(p.pid(), CPU_WINDOW);
                Figures.record(name, server, "clients held under ulimit -n " + OPEN_FILE_LIMIT, held);
                Figures.record(name, server, "CPU while saturated %", Math.round(share * 100));
                assertTrue(share < MAX_CPU_SHARE, String.format("while out of descriptors with clients waiting, the"
                        + " server used %.0f%% of a CPU (bound %.0f%%): does it retry accept in a tight loop?",
                        share * 100, MAX_CPU_SHARE * 100));

                for (int i = 0; i < LEAVING; i++) {                     // some leave; the server closes them
                    EchoClient leaving = clients.get(i);
                    leaving.shutdownOutput();
                    assertEquals(-1, leaving.read(), "the server ends a client that half-closed");
                    leaving.close();
                }
                for (int i = held; i < held + LEAVING; i++) {          // as many waiting ones are now served
                    roundTrip(clients.get(i), "accepted later " + i + "\n", expected.get(i));
                }
            } finally {
                for (EchoClient c : clients) c.close();
            }
            exit = p.terminate(Duration.ofSeconds(5));
        }
        assertEquals(0, exit.status(), "exit status; stderr " + exit.stderr());
        long reports = exit.stderr().stream().filter(l -> l.contains("Too many open files")).count();
        long errors = exit.summary().get("errors");
        assertTrue(reports >= 1 && reports < errors, "each failed accept is counted (errors=" + errors
                + ") but reported once per burst (" + reports + " lines on stderr)");
        assertVerified(log, expected);
    }

    /**
     * The same fault for a process per client: its parent closes each client's socket once the
     * child serving it holds it, so its descriptor limit does not cap the clients. Under
     * {@code ulimit -n} {@value #PROCESS_PER_CLIENT_LIMIT} (a JVM has about 30 files open at
     * start, so its parent could hold fewer than 20 clients) the server serves as many clients
     * at once as the kit lets it start processes for (32 for a process per connection), and the
     * parent holds none of them.
     */
    private void parentThatHoldsNoClientNeverRunsOut(ServerUnderTest server, String name) throws Exception {
        Path log = dir.resolve("log.txt");
        List<EchoClient> clients = new ArrayList<>();
        List<List<byte[]>> expected = new ArrayList<>();
        ServerProcess.Exit exit;
        try (ServerProcess p = server.startWithOpenFileLimit(log, PROCESS_PER_CLIENT_LIMIT)) {
            int socketsAtStart = ProcessTree.openSockets(p.pid());
            try {
                for (int i = 0; i < server.concurrencyLimit; i++) {
                    clients.add(new EchoClient(p.port()));
                    expected.add(new ArrayList<>());
                    roundTrip(clients.get(i), "client " + i + "\n", expected.get(i));
                }
                for (int i = 0; i < clients.size(); i++) {              // all still connected, all still served
                    roundTrip(clients.get(i), "again " + i + "\n", expected.get(i));
                }
                int parentAdded = ProcessTree.openSockets(p.pid()) - socketsAtStart;
                Figures.record(name, server, "clients served at once under ulimit -n " + PROCESS_PER_CLIENT_LIMIT, clients.size());
                assertTrue(parentAdded <= 1, "with " + clients.size() + " clients connected the parent holds "
                        + parentAdded + " sockets more than at its start: it should hold none of them");
            } finally {
                for (EchoClient c : clients) c.close();
            }
            exit = p.terminate(Duration.ofSeconds(5));
        }
        assertEquals(0, exit.status(), "exit status; stderr " + exit.stderr());
        assertEquals(0, exit.summary().get("errors"), "no descriptor ran out: " + exit.summary() + " " + exit.stderr());
        assertVerified(log, expected);
    }

    private static void roundTrip(EchoClient c, String message, List<byte[]> sent) throws IOException {
        byte[] m = bytes(message);
        assertArrayEquals(m, c.roundTrip(m));
        sent.add(m);
    }
}
