package echosuite.conformance;

import echosuite.serverprocess.ServerProcess;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static echosuite.conformance.EchoConformanceTest.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reliability under exhaustion: the server runs in a pids cgroup ({@link PidsCgroup}) that caps
 * its threads and processes. A model that starts a thread or a process per client (threaded,
 * forking without a pool) gets room above its count at rest for some of its clients but not all:
 * the kernel must refuse it some (its {@code pids.events} count rises), and the server must close
 * those clients, keep serving the others and serve again once tasks are free. A model that needs
 * no new task per client (reactors, virtual threads, a prefork pool) gets none at all: the limit
 * is its count at rest, and it must serve every client anyway. With the limit lifted, every model
 * must then stop cleanly with each client it closed counted.
 *
 * <p>Where no pids cgroup can be made the test is aborted with the reason, so it is reported as
 * not run, never as passed.
 */
class ExhaustionReliabilityTest {

    static final int CLIENTS = 60;

    @TempDir
    Path dir;

    @ForEachServer
    void outOfThreadsOrProcessesTheServerRefusesCountsAndKeepsServingAndRecovers(ServerUnderTest server, TestInfo test)
            throws Exception {
        try (PidsCgroup cgroup = PidsCgroup.create()) {
            ServerProcess.Exit exit;
            int closedByServer;
            try (ServerProcess p = server.startInCgroup(cgroup, dir.resolve("log.txt"))) {
                assertTrue(cgroup.holds(p.pid()), "the server runs in the cgroup " + cgroup.dir);
                try {
                    closedByServer = servedAtTheLimit(server, test.getTestMethod().orElseThrow().getName(), p, cgroup);
                } finally {
                    // A JVM starts a thread to run its SIGTERM handler, so at the limit no server could stop,
                    // and a forking server's starting children may hold the last tasks after the clients left.
                    cgroup.unlimit();
                }
                exit = p.terminate(Duration.ofSeconds(5));
            }
            assertEquals(0, exit.status(), "stderr " + exit.stderr());
            Map<String, Long> summary = exit.summary();
            assertTrue(summary.get("connectionsRefused") + summary.get("errors") >= closedByServer,
                    closedByServer + " clients were closed unserved; each must be counted: " + summary);
            if (closedByServer > 0) {
                assertTrue(exit.stderr().size() < closedByServer, "reported once per burst, not once per client: " + exit.stderr());
            }
        }
    }

    /**
     * Caps the server at its task count at rest plus what its model may need, connects the
     * clients, checks that the limit was reached (a task-per-client model) or that every client was
     * served at it (any other), that the served ones are still served, and that a new client is
     * served once they have left; returns how many clients the server closed unserved.
     */
    private static int servedAtTheLimit(ServerUnderTest server, String scenario, ServerProcess p, PidsCgroup cgroup)
            throws IOException {
        int spare = tasksToSpare(server);
        boolean taskPerClient = spare > 0;
        long limit = cgroup.current() + spare;
        cgroup.limit(limit);
        long refusalsBefore = cgroup.refusals();
        int clients = Math.min(CLIENTS, server.concurrencyLimit);   // a prefork pool holds no more at once
        int closedByServer = 0;
        List<EchoClient> served = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                EchoClient c = new EchoClient(p.port());
                byte[] m = bytes("client " + i + "\n");
                if (echoes(c, m)) {
                    served.add(c);
                } else {
                    closedByServer++;
                    c.close();
                }
            }
            long refused = cgroup.refusals() - refusalsBefore;
            Figures.record(scenario, server, Figures.DEGRADED, closedByServer == 0 ? ""
                    : closedByServer + " of " + clients + " new clients closed unserved (no thread or process for them)");
            Figures.record(scenario, server, "threads or processes refused by the limit", refused);
            if (taskPerClient) {
                assertTrue(refused > 0, "the limit of " + limit + " tasks was never reached: the kernel refused "
                        + server + " no thread or process (pids.events)");
                assertTrue(closedByServer > 0, "the kernel refused " + refused + " threads or processes, yet all "
                        + clients + " clients were served");
                assertFalse(served.isEmpty(), "no client was served with " + spare + " tasks to spare");
            } else {
                assertEquals(0, closedByServer, server + " needs no new task per client, yet with none to spare "
                        + closedByServer + " of " + clients + " clients were closed unserved");
            }
            for (EchoClient c : served) {
                assertArrayEquals(bytes("again\n"), c.roundTrip(bytes("again\n")), "served clients are still served");
            }
        } finally {
            for (EchoClient c : served) c.close();
        }
        assertTrue(servedAgain(p.port()), "after the clients left, a new client is served again");
        return closedByServer;
    }

    /**
     * The tasks a model may have above its count at rest: none for a model that needs no new task
     * per client, and for one that does, room for some of its clients but not all, so that the
     * limit is reached and served clients remain to check. The switch is exhaustive on purpose: a
     * mode added to the kit must be placed here before this test compiles.
     */
    private static int tasksToSpare(ServerUnderTest server) {
        return switch (server) {
            case THREADED -> 30;                      // a thread per client: 30 of the 60 clients
            case FORKING, FORKING_SPARES_0 -> 100;    // a JVM of a few dozen threads per client (a warm spare is replaced)
            case C_FORK, C_THREAD -> 30;               // a process or a thread per client: 30 of the 60 clients
            case VIRTUALTHREADS, SELECTOR, SELECTOR_2_REACTORS, FORKING_PREFORK, C_SELECT, C_EPOLL -> 0;
        };
    }

    /** True if the echo came back; false if the server closed or reset the connection instead. */
    private static boolean echoes(EchoClient c, byte[] m) throws IOException {
        try {
            c.send(m);
            return java.util.Arrays.equals(m, c.readExactly(m.length));
        } catch (IOException closedOrReset) {
            if (closedOrReset instanceof java.net.SocketTimeoutException) throw closedOrReset;   // a hang is a failure
            return false;
        }
    }

    /**
     * Threads and processes are freed a moment after their client sees the close, which the client
     * cannot observe; each refused attempt costs the server its back-off pause, so a bounded number
     * of attempts spans seconds without any sleep here.
     */
    private static boolean servedAgain(int port) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (EchoClient c = new EchoClient(port)) {
                if (echoes(c, bytes("recovered\n"))) return true;
            }
        }
        return false;
    }
}
