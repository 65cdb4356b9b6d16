package echosuite.loadgen;

import echosuite.logcheck.LogVerifier;

import com.fasterxml.jackson.databind.JsonNode;
import echosuite.logcheck.LogVerifier;
import echosuite.report.LoadReport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load generator against a real server: server-threaded's jar, started as a process. The
 * server's own summary and log must agree with what the load generator says it sent.
 */
class ThreadedServerEndToEndTest {

    static final Path JAR = Path.of(System.getProperty("echosuite.serverThreadedJar",
            "../server-threaded/target/server-threaded.jar"));

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void pingpongFromTheCommandLineWithItsFilesAndTheLogCheck() throws Exception {
        assertTrue(Files.isRegularFile(JAR), "build server-threaded first: " + JAR);
        Path log = dir.resolve("echomsg.txt");
        Path json = dir.resolve("run.json"), hlog = dir.resolve("run.hlog"), hgrm = dir.resolve("run.hgrm");
        try (ServerProcess server = ServerProcess.start(JAR, log)) {
            int status = Loadgen.execute("pingpong", "-c", "8", "-n", "20000", "-d", "100s", "--warmup", "0", "-q",
                    "--json", json.toString(), "--hlog", hlog.toString(), "--hgrm", hgrm.toString(),
                    "--verify-log", log.toString(), server.target());
            assertEquals(ExitStatus.OK, status);

            JsonNode run = LoadReport.JSON.readTree(json.toFile());
            for (String key : List.of("scenario", "connections", "messageBytes", "messages", "messagesPerSecond",
                    "latencyUs", "errors", "options")) {
                assertTrue(run.has(key), "the JSON report has '" + key + "'");
            }
            for (String key : List.of("p50", "p90", "p99", "p999", "max")) {
                assertTrue(run.get("latencyUs").get(key).isNumber(), "latencyUs." + key);
            }
            assertEquals("pingpong", run.get("scenario").asText());
            assertEquals(8, run.get("connections").asInt());
            assertEquals(64, run.get("messageBytes").asInt());
            assertEquals(20_000, run.get("messagesSent").asLong());
            // Even with --warmup 0 the window opens only after the last connection's first echo, so the
            // eight first echoes are warm-up; everything else is measured.
            long measured = run.get("messages").asLong();
            assertTrue(measured > 0 && measured <= 20_000 - 8, "measured " + measured);
            assertTrue(run.get("allFirstEchoMs").isNumber(), "allFirstEchoMs: " + run.get("allFirstEchoMs"));
            assertFalse(run.get("warmupLimitReached").asBoolean());
            assertEquals(0, run.get("connectionsAwaitingFirstEchoAtWindow").asLong());
            assertTrue(run.get("logVerified").asBoolean(), run.get("logReport").asText());
            assertEquals(8, run.get("options").get("connections").asInt());
            assertEquals("60s", run.get("options").get("warmup-limit").asText());
            assertTrue(Files.readString(hgrm).contains(String.format(Locale.ROOT, "Total count    = %12d", measured)));
            assertTrue(Files.size(hlog) > 0);

            int[] exit = new int[1];
            Map<String, Long> summary = server.stop(exit);
            assertEquals(0, exit[0]);
            assertEquals(20_000, summary.get("recordsLogged"));
            assertEquals(20_000L * 64, summary.get("bytesEchoed"));
            assertEquals(8, summary.get("connectionsAccepted"));
            assertEquals(0, summary.get("errors"));
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void everyScenarioAgainstOneServerThenTheLogAfterShutdown() throws Exception {
        Path log = dir.resolve("echomsg.txt");
        List<RunResult> runs = new ArrayList<>();
        try (ServerProcess server = ServerProcess.start(JAR, log)) {
            long id = 0;
            RunResult rate = TestRuns.run(TestRuns.config("rate", server.address(), 4, 64, 1_000, 200, id),
                    OpenLoop.factory(4, 2_000, 1));
            runs.add(rate);
            id += rate.connectionsOpened;
            RunResult churn = TestRuns.run(TestRuns.config("churn", server.address(), 2, 100, 1_000, 200, id),
                    Churn.factory(2, 3));
            runs.add(churn);
            id += churn.connectionsOpened;
            RunResult hold = TestRuns.run(TestRuns.config("hold", server.address(), 200, 64, 1_000, 200, id),
                    Hold.factory(new HoldLevels(100, 200, 500 * TestRuns.MS, 1_000 * TestRuns.MS)));
            runs.add(hold);
            id += hold.connectionsOpened;
            RunResult bulk = TestRuns.run(TestRuns.config("bulk", server.address(), 2, 65_536, 1_000, 200, id),
                    ClosedLoop.factory(2, 4, 0));
            runs.add(bulk);

            for (RunResult r : runs) {
                assertEquals(0, r.totalErrors(), r.config.scenario() + ": " + r.errorReasons);
                assertTrue(r.messages > 0, r.config.scenario() + " echoed messages in its window");
            }
            assertEquals(2_000, rate.latency().getTotalCount());
            assertTrue(churn.count("sessions") > 0);
            // 3 messages per session; sessions cut short by the end of the run sent fewer
            assertTrue(churn.messagesSent <= 3 * churn.connectionsOpened && churn.messagesSent >= 3 * churn.count("sessions"));
            assertEquals(200, hold.count("established"));
            assertTrue(bulk.bytesReceivedInWindow > 0);

            int[] exit = new int[1];
            Map<String, Long> summary = server.stop(exit);
            assertEquals(0, exit[0]);
            long sent = runs.stream().mapToLong(r -> r.messagesSent).sum();
            long bytes = runs.stream().mapToLong(r -> r.bytesSent).sum();
            long connections = runs.stream().mapToLong(r -> r.connectionsOpened).sum();
            assertEquals(sent, summary.get("recordsLogged"));
            assertEquals(bytes, summary.get("bytesEchoed"));
            assertEquals(connections, summary.get("connectionsAccepted"));
        }
        // The server has shut down: its log must hold every message sent, exactly once, in order.
        LogVerifier.Report report = LogCheck.verify(runs, log, 0);
        assertTrue(report.ok(), report.toString());
    }
}
