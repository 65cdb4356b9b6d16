package echosuite.harness;

import com.fasterxml.jackson.databind.JsonNode;
import echosuite.report.LoadReport;
import echosuite.report.Percentiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** echo_load's result line, as captured from real runs (../shared/anchors/results/raw), into the load generator's report. */
class EchoLoadLineTest {

    /** closed_epoll.txt, repetition 1 at 16 connections, without the script's "rep=1" prefix. */
    private static final String PINGPONG = "mode=pingpong conns=16 size=64 threads=1 secs=10.0 msgs=1466374 rate=146637 p50_us=95.0"
            + " p90_us=170.5 p99_us=219.6 p999_us=312.3 max_us=4242.0 sent_total=1604699 errors=0";
    /** churn_fork.txt, repetition 1. */
    private static final String CHURN = "mode=churn conns=4 size=64 threads=4 secs=10.0 msgs=56941 rate=5694 p50_us=628.7 p90_us=940.0"
            + " p99_us=1372.2 p999_us=2019.3 max_us=3918.3 sent_total=61386 errors=0";

    @TempDir
    Path dir;

    @Test
    void aClosedLoopLineBecomesTheLoadGeneratorsFields() {
        LoadReport r = EchoLoadLine.parse(PINGPONG).toReport("127.0.0.1:4000", null);
        assertEquals("pingpong", r.setup().scenario());
        assertEquals(16L, r.setup().connections());
        assertEquals(64L, r.setup().messageBytes());
        assertEquals(1466374L, r.throughput().messages());
        assertEquals(146637.0, r.throughput().messagesPerSecond());
        assertEquals(new Percentiles(null, null, 95.0, 170.5, 219.6, 312.3, null, 4242.0), r.latency().latencyUs());
        assertEquals(1604699L, r.traffic().messagesSent());
        assertEquals(0, r.errorCount());
        assertNull(r.firstEchoes(), "echo_load does not report first echoes: an empty cell, not a made-up figure");
        assertNull(r.traffic().messagesUnanswered());
        assertNull(r.churn());
        assertNull(r.logCheck());
    }

    @Test
    void aChurnLinesRateIsConnectionsPerSecond() {
        LoadReport r = EchoLoadLine.parse(CHURN).toReport("127.0.0.1:4000", null);
        assertEquals("churn", r.setup().scenario());
        assertEquals(5694.0, r.churn().connectionsPerSecond());
        assertEquals(56941L, r.churn().sessions());
        assertEquals(628.7, r.latency().latencyUs().p50());
    }

    @Test
    void theFileHasTheLoadGeneratorsKeysNamesTheClientAndWhatItDoesNotReportAndReadsBackEqual() throws IOException {
        LoadReport r = EchoLoadLine.parse(PINGPONG).toReport("127.0.0.1:4000", new LoadReport.LogCheck(true, "ok"));
        Path file = dir.resolve("r.json");
        r.write(file);
        JsonNode j = LoadReport.JSON.readTree(file.toFile());
        for (String key : List.of("scenario", "connections", "messageBytes", "messages", "messagesPerSecond", "latencyUs", "errors",
                "messagesSent", "logVerified")) {
            assertTrue(j.has(key), key + " (docs/loadgen.md)");
        }
        assertEquals("echo_load", j.get("options").get("client").asText());
        assertEquals(EchoLoadLine.NOT_REPORTED.size(), j.get("options").get("notReported").size());
        assertFalse(j.has("allFirstEchoMs") || j.has("messagesUnanswered"));
        assertEquals(r, LoadReport.read(file));
    }

    @Test
    void anotherLineIsRefusedSayingWhatItLacks() {
        var e = assertThrows(IllegalArgumentException.class, () -> EchoLoadLine.parse("listening on 127.0.0.1:4000"));
        assertTrue(e.getMessage().startsWith("not an echo_load result line (it lacks mode, conns, size,"), e.getMessage());
        var n = assertThrows(IllegalArgumentException.class, () -> EchoLoadLine.parse(PINGPONG.replace("rate=146637", "rate=fast")));
        assertTrue(n.getMessage().startsWith("an echo_load result line with a number that is not one"), n.getMessage());
    }

    @Test
    void theClientChecksTheLogsRecordCountAgainstSentTotal() throws IOException {
        Path log = dir.resolve("log.txt");
        Files.writeString(log, "a\n".repeat(61386));
        EchoLoadClient client = new EchoLoadClient(Path.of("/anchors/c/echo_load"));
        LoadClient.Outputs out = new LoadClient.Outputs(dir.resolve("r.json"), dir.resolve("r.hlog"), dir.resolve("r.hgrm"));
        List<String> problems = new ArrayList<>();
        client.complete(out, log, "127.0.0.1:4000", List.of("some warning", CHURN), problems);
        assertEquals(List.of(), problems);
        LoadReport.LogCheck check = LoadReport.read(out.json()).logCheck();
        assertTrue(check.logVerified());
        assertTrue(check.logReport().startsWith("61,386 records logged, 61,386 messages sent: as many"), check.logReport());

        Files.writeString(log, "a\n".repeat(61385));
        client.complete(out, log, "127.0.0.1:4000", List.of(CHURN), problems);
        assertFalse(LoadReport.read(out.json()).logCheck().logVerified());

        Files.delete(out.json());
        client.complete(out, log, "127.0.0.1:4000", List.of("echo_load: connect: Connection refused"), problems);
        assertEquals(List.of("echo_load printed no result line; its last words: echo_load: connect: Connection refused"), problems);
        assertFalse(Files.exists(out.json()));
    }

    @Test
    void itsCommandLineFollowsTheScenario() {
        EchoLoadClient client = new EchoLoadClient(Path.of("/a/echo_load"));
        LoadClient.Outputs out = new LoadClient.Outputs(dir.resolve("r.json"), dir.resolve("r.hlog"), dir.resolve("r.hgrm"));
        assertEquals(List.of("/a/echo_load", "-h", "127.0.0.1", "-p", "4100", "-c", "16", "-s", "64", "-d", "5", "-w", "2", "-t", "1"),
                client.commandFor(Scenario.pingpong(16, 64).seconds(2, 5).repeated(3), out, dir.resolve("log"), "127.0.0.1:4100"));
        assertEquals(List.of("/a/echo_load", "-h", "127.0.0.1", "-p", "4100", "-c", "4", "-s", "64", "-d", "5", "-w", "1", "-C"),
                client.commandFor(Scenario.churn(4).seconds(1, 5), out, dir.resolve("log"), "127.0.0.1:4100"));
        assertEquals("echo_load runs closed-loop pingpong and unpaced churn only, not hold-c2000; run that one with --client loadgen.",
                client.cannotRun(Scenario.hold(2000).seconds(0, 5)));
    }
}
