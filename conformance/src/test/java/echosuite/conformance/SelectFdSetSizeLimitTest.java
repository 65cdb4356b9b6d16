package echosuite.conformance;

import echosuite.serverprocess.ServerProcess;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static echosuite.conformance.EchoConformanceTest.assertVerified;
import static echosuite.conformance.EchoConformanceTest.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one rule of the protocol c-select cannot meet, stated: "{@code --max-connections N}
 * (default 10000) clients served at once". An {@code fd_set} holds descriptors 0 to
 * {@code FD_SETSIZE - 1} (1024), so c-select serves at most about 1,015 clients at once, whatever
 * the option says; a client beyond is accepted and closed at once, counted in
 * {@code connectionsRefused}, and reported once on stderr, while the clients it holds are served.
 * This checks that documented behaviour (docs/models.md, "c-select"), with descriptors to spare
 * ({@code ulimit -n 4096}), so that FD_SETSIZE and nothing else is the limit.
 */
class SelectFdSetSizeLimitTest {

    static final int FD_SETSIZE = 1024;
    static final int CLIENTS = FD_SETSIZE + 76;

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> cSelectRefusesClientsWhoseDescriptorIsBeyondFdSetSizeAndServesTheOthers() {
        return ServerUnderTest.selected().filter(s -> s == ServerUnderTest.C_SELECT)
                .map(server -> DynamicTest.dynamicTest(server.toString(), () -> beyondFdSetSize(server)));
    }

    private void beyondFdSetSize(ServerUnderTest server) throws Exception {
        Path log = dir.resolve("log.txt");
        List<EchoClient> clients = new ArrayList<>();
        List<List<byte[]>> expected = new ArrayList<>();
        int served = 0;
        int refused = 0;
        ServerProcess.Exit exit;
        try (ServerProcess p = server.startWithOpenFileLimit(log, 4096)) {
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    EchoClient c = new EchoClient(p.port());
                    clients.add(c);
                    byte[] m = bytes("client " + i + "\n");
                    if (echoes(c, m)) {
                        assertEquals(i, served, "the clients served are the first ones, in order (client " + i + ")");
                        served++;
                        expected.add(List.of(m));
                    } else {
                        refused++;
                    }
                }
                for (int i = 0; i < served; i++) {                   // those it holds are still served
                    byte[] m = bytes("again " + i + "\n");
                    assertArrayEquals(m, clients.get(i).roundTrip(m));
                    expected.set(i, List.of(expected.get(i).getFirst(), m));
                }
            } finally {
                for (EchoClient c : clients) c.close();
            }
            exit = p.terminate(Duration.ofSeconds(5));
        }
        assertTrue(served > FD_SETSIZE - 16 && served < FD_SETSIZE, "c-select served " + served
                + " clients at once: all it can watch below FD_SETSIZE " + FD_SETSIZE);
        assertTrue(refused > 0, "the clients beyond FD_SETSIZE were refused");
        assertEquals(0, exit.status(), "stderr " + exit.stderr());
        Map<String, Long> summary = exit.summary();
        assertEquals(refused, summary.get("connectionsRefused"), "summary " + summary);
        assertEquals(served, summary.get("connectionsAccepted"), "summary " + summary);
        assertEquals(0, summary.get("errors"), "summary " + summary);
        assertEquals(1, exit.stderr().stream().filter(l -> l.contains("FD_SETSIZE")).count(),
                "said once per burst, naming FD_SETSIZE: " + exit.stderr());
        assertVerified(log, expected);
    }

    /** True if the echo came back; false if the server closed or reset the connection instead. */
    private static boolean echoes(EchoClient c, byte[] m) throws IOException {
        try {
            c.send(m);
            return java.util.Arrays.equals(m, c.readExactly(m.length));
        } catch (IOException closedOrReset) {
            if (closedOrReset instanceof java.net.SocketTimeoutException) throw closedOrReset;
            return false;
        }
    }
}
