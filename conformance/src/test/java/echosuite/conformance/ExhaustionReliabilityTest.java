package echosuite.conformance;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reliability under exhaustion: the server runs in a cgroup that allows only a few more threads
 * and processes than it has at rest. The threaded server runs out of threads, the forking server
 * out of processes; reactors and virtual threads need none. Whatever the model, the defined
 * outcome is the same: no client hangs, the clients already served keep being served, every
 * connection the server could not serve is closed and counted, and it serves again once threads
 * or processes are free.
 */
class ExhaustionReliabilityTest {

    static final int CLIENTS = 60;
    static final int SPARE_TASKS = 30;

    @TempDir
    Path dir;

    @ForEachServer
    void outOfThreadsOrProcessesTheServerRefusesCountsAndKeepsServingAndRecovers(ServerUnderTest server, TestInfo test)
            throws Exception {
        try (PidsCgroup cgroup = PidsCgroup.create()) {
            ServerProcess.Exit exit;
            int closedByServer = 0;
            try (ServerProcess p = ServerProcess.startInCgroup(server, cgroup, dir.resolve("log.txt"))) {
                cgroup.limit(cgroup.current() + SPARE_TASKS);
                List<EchoClient> served = new ArrayList<>();
                int clients = Math.min(CLIENTS, server.concurrencyLimit);   // a prefork pool holds no more at once
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
                    Figures.record(test.getTestMethod().orElseThrow().getName(), server, Figures.DEGRADED, closedByServer == 0 ? ""
                            : closedByServer + " of " + clients + " new clients closed unserved (no thread or process for them)");
                    for (EchoClient c : served) {
                        assertArrayEquals(bytes("again\n"), c.roundTrip(bytes("again\n")), "served clients are still served");
                    }
                } finally {
                    for (EchoClient c : served) c.close();
                }
                assertTrue(servedAgain(p.port()), "after the clients left, a new client is served again");
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
