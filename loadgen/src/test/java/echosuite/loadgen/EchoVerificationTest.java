package echosuite.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import echosuite.report.LoadReport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every echo is checked byte for byte: one corrupted byte in a million is caught, and fails the run. */
class EchoVerificationTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aServerThatCorruptsOneByteInAMillionIsCaught() throws Exception {
        try (TestEchoServer server = new TestEchoServer()) {
            server.corruptEvery(999_983);   // a prime: the corrupted bytes land at different places in the messages
            Path json = dir.resolve("run.json");
            int status = Loadgen.execute("pingpong", "-c", "4", "-n", "40000", "-d", "100s", "--warmup", "0", "-q",
                    "--json", json.toString(), server.target());
            JsonNode run = LoadReport.JSON.readTree(json.toFile());
            assertEquals(40_000, run.get("messagesSent").asLong());
            assertEquals(40_000L * 64, server.bytesEchoed());
            assertEquals(2, server.bytesCorrupted(), "2,560,000 bytes echoed: 2 of them corrupted");
            assertEquals(2, run.get("errors").get("mismatch").asLong());
            assertEquals(ExitStatus.DATA_ERRORS, status);
            assertEquals(ExitStatus.DATA_ERRORS, run.get("exitStatus").asInt());
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void anHonestServerPasses() throws Exception {
        try (TestEchoServer server = new TestEchoServer()) {
            Path json = dir.resolve("run.json");
            int status = Loadgen.execute("pingpong", "-c", "4", "-n", "40000", "-d", "100s", "--warmup", "0", "-q",
                    "--json", json.toString(), server.target());
            JsonNode run = LoadReport.JSON.readTree(json.toFile());
            assertEquals(0, run.get("errors").get("mismatch").asLong());
            assertEquals(40_000, run.get("messagesSent").asLong());
            assertEquals(ExitStatus.OK, status);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aTargetWhereNobodyListensCannotRun() throws Exception {
        int port;
        try (TestEchoServer server = new TestEchoServer()) {
            port = server.address().getPort();
        }                                                    // closed: connections are now refused
        Path json = dir.resolve("refused.json");
        int status = Loadgen.execute("pingpong", "-c", "2", "-d", "1s", "--warmup", "0", "-q",
                "--json", json.toString(), "127.0.0.1:" + port);
        JsonNode run = LoadReport.JSON.readTree(json.toFile());
        assertEquals(2, run.get("errors").get("refused").asLong());
        assertEquals(ExitStatus.COULD_NOT_RUN, status);
        assertTrue(run.get("errorReasons").size() > 0);
    }
}
