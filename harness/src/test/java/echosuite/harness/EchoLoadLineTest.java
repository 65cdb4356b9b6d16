package echosuite.harness;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** echo_load's result line, as captured from real runs (../shared/anchors/results/raw), into the load generator's result fields. */
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
        JsonNode j = EchoLoadLine.parse(PINGPONG).toLoadgenJson();
        assertEquals("pingpong", j.get("scenario").asText());
        assertEquals(16, j.get("connections").asLong());
        assertEquals(64, j.get("messageBytes").asLong());
        assertEquals(1466374, j.get("messages").asLong());
        assertEquals(146637.0, j.get("messagesPerSecond").asDouble());
        assertEquals(Map.of("p50", 95.0, "p90", 170.5, "p99", 219.6, "p999", 312.3, "max", 4242.0), doubles(j.get("latencyUs")));
        assertEquals(1604699, j.get("messagesSent").asLong());
        assertEquals(Map.of("echo_load", 0.0), doubles(j.get("errors")));
        for (String absent : List.of("connectionsPerSecond", "allFirstEchoMs", "messagesUnanswered", "logVerified")) {
            assertFalse(j.has(absent), absent + ": echo_load does not report it, so the cell stays empty rather than made up");
        }
    }

    @Test
    void aChurnLinesRateIsConnectionsPerSecond() {
        JsonNode j = EchoLoadLine.parse(CHURN).toLoadgenJson();
        assertEquals("churn", j.get("scenario").asText());
        assertEquals(5694.0, j.get("connectionsPerSecond").asDouble());
        assertEquals(56941, j.get("sessions").asLong());
        assertEquals(628.7, j.get("latencyUs").get("p50").asDouble());
    }

    @Test
    void whatEchoLoadDoesNotReportIsNamed() {
        JsonNode j = EchoLoadLine.parse(PINGPONG).toLoadgenJson();
        assertEquals("echo_load", j.get("client").asText());
        assertEquals(EchoLoadLine.NOT_REPORTED.size(), j.get("notReported").size());
        assertFalse(j.has("hlog") || j.path("latencyUs").has("p9999"));
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
        List<String> problems = new java.util.ArrayList<>();
        client.complete(out, log, List.of("some warning", CHURN), problems);
        assertEquals(List.of(), problems);
        JsonNode r = RunFolder.JSON.readTree(out.json().toFile());
        assertTrue(r.get("logVerified").asBoolean());
        assertTrue(r.get("logReport").asText().startsWith("61,386 records logged, 61,386 messages sent: as many"), r.toString());

        Files.writeString(log, "a\n".repeat(61385));
        client.complete(out, log, List.of(CHURN), problems);
        assertFalse(RunFolder.JSON.readTree(out.json().toFile()).get("logVerified").asBoolean());

        Files.delete(out.json());
        client.complete(out, log, List.of("echo_load: connect: Connection refused"), problems);
        assertEquals(List.of("echo_load printed no result line; its last words: echo_load: connect: Connection refused"), problems);
        assertFalse(Files.exists(out.json()));
    }

    @Test
    void itsCommandLineFollowsTheScenario() {
        EchoLoadClient client = new EchoLoadClient(Path.of("/a/echo_load"));
        LoadClient.Outputs out = new LoadClient.Outputs(dir.resolve("r.json"), dir.resolve("r.hlog"), dir.resolve("r.hgrm"));
        assertEquals(List.of("/a/echo_load", "-h", "127.0.0.1", "-p", "4100", "-c", "16", "-s", "64", "-d", "5", "-w", "2", "-t", "1"),
                client.commandFor(new Scenario("pingpong", 16, 64, 2, 5, 0, 3), out, dir.resolve("log"), "127.0.0.1:4100"));
        assertEquals(List.of("/a/echo_load", "-h", "127.0.0.1", "-p", "4100", "-c", "4", "-s", "64", "-d", "5", "-w", "1", "-C"),
                client.commandFor(new Scenario("churn", 4, 64, 1, 5, 0, 1), out, dir.resolve("log"), "127.0.0.1:4100"));
        assertEquals("echo_load runs closed-loop pingpong and unpaced churn only, not hold-c2000; run that one with --client loadgen.",
                client.cannotRun(new Scenario("hold", 2000, 64, 0, 5, 0, 1)));
    }

    private static Map<String, Double> doubles(JsonNode object) {
        Map<String, Double> m = new java.util.LinkedHashMap<>();
        object.properties().forEach(e -> m.put(e.getKey(), e.getValue().asDouble()));
        return m;
    }
}
