package echosuite.conformance;

import echosuite.serverprocess.ServerProcess;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static echosuite.conformance.EchoConformanceTest.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Protocol, "Limits and refusals": --max-connections as documented, bad command lines. */
class LimitsConformanceTest {

    @TempDir
    Path dir;

    /**
     * Documented behaviour (docs/protocol.md): a connection over {@code --max-connections} is
     * accepted and closed at once, counted in {@code connectionsRefused}; the connections already
     * served are not disturbed; a slot is free again by the time its client sees the server close.
     */
    @ForEachServer
    void overMaxConnectionsTheSurplusIsClosedAndCountedAndTheOthersAreServed(ServerUnderTest server) throws Exception {
        ServerProcess.Exit exit;
        try (ServerProcess p = server.start(dir.resolve("log.txt"), "--max-connections", "2");
             EchoClient first = new EchoClient(p.port());
             EchoClient second = new EchoClient(p.port())) {
            assertArrayEquals(bytes("1\n"), first.roundTrip(bytes("1\n")));
            assertArrayEquals(bytes("2\n"), second.roundTrip(bytes("2\n")));
            try (EchoClient surplus = new EchoClient(p.port())) {
                assertTrue(closedByServer(surplus), "the third connection is closed at once");
            }
            assertArrayEquals(bytes("1 again\n"), first.roundTrip(bytes("1 again\n")));
            first.shutdownOutput();
            assertEquals(-1, first.read(), "the server ends the first connection");
            try (EchoClient third = new EchoClient(p.port())) {
                assertArrayEquals(bytes("3\n"), third.roundTrip(bytes("3\n")), "a freed slot is reused");
            }
            exit = p.terminate(Duration.ofSeconds(5));
        }
        assertEquals(0, exit.status());
        assertEquals(1, exit.summary().get("connectionsRefused"), "summary " + exit.summary());
        assertEquals(3, exit.summary().get("connectionsAccepted"), "summary " + exit.summary());
    }

    /** EOF or a reset, both mean "closed by the server". */
    private static boolean closedByServer(EchoClient c) {
        try {
            c.send(bytes("anyone?\n"));
            return c.read() == -1;
        } catch (IOException reset) {
            return true;
        }
    }

    static Stream<Arguments> badCommandLines() {
        List<Arguments> cases = new ArrayList<>();
        for (ServerUnderTest s : ServerUnderTest.selected().toList()) {
            cases.add(Arguments.of(s, new String[] {"--no-such-option"}));
            cases.add(Arguments.of(s, new String[] {"--port", "70000"}));
            cases.add(Arguments.of(s, new String[] {"--port", "many"}));
            cases.add(Arguments.of(s, new String[] {"--max-line", "0"}));
            cases.add(Arguments.of(s, new String[] {"--idle-timeout", "-1"}));
            cases.add(Arguments.of(s, new String[] {"--port", "0", "--log", "/nonexistent-directory/sub/log.txt"}));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badCommandLines")
    void badCommandLineInputGetsOneSentenceOnStderrAndExitStatus2(ServerUnderTest server, String[] args)
            throws Exception {
        ServerProcess.Exit exit = server.runToExit(args);
        assertEquals(2, exit.status(), "exit status for " + Arrays.toString(args) + "; stderr " + exit.stderr());
        List<String> err = exit.stderr().stream().filter(l -> !l.isBlank()).toList();
        assertEquals(1, err.size(), "exactly one line on stderr: " + err);
        assertFalse(err.getFirst().contains("Exception") || err.getFirst().contains("\tat "), "no stack trace: " + err);
        assertTrue(exit.stdout().stream().noneMatch(l -> l.startsWith("listening on")), "never listened");
    }
}
