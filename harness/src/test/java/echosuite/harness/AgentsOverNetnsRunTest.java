package echosuite.harness;

import com.fasterxml.jackson.databind.JsonNode;
import echosuite.report.LoadReport;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./suite run --profile quick --servers java --agents 2 --netns} end to end: every Java
 * server in a network namespace of its own, two load agents each in theirs (one in the scenarios
 * of one connection), their reports merged
 * exactly (the merged message count is the agents' sum, the merged histograms hold as many
 * samples), every log verified against both agents' messages, and no namespace left behind. Where
 * namespaces cannot be made (not root, no iproute2) the run is refused in one sentence, exit 2.
 */
class AgentsOverNetnsRunTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void aQuickRunWithTwoAgentsInNamespacesMergesExactlyAndLeavesNoNamespace() throws Exception {
        System.setProperty("echosuite.root", ROOT.toString());
        Path out = Path.of("target/netns-runs").toAbsolutePath();
        Files.createDirectories(out);
        String[] args = {"run", "--profile", "quick", "--servers", "java", "--agents", "2", "--netns", "--out", out.toString()};
        String why = NetworkLab.unavailable();
        if (why != null) {
            StringWriter err = new StringWriter();
            var cli = Harness.commandLine();
            cli.setErr(new PrintWriter(err, true));
            assertEquals(2, cli.execute(args));
            assertTrue(err.toString().contains(why), err.toString());
            return;
        }
        String namespacesBefore = NetworkLabTest.ip("netns", "list");
        List<Path> before;
        try (Stream<Path> s = Files.list(out)) {
            before = s.toList();
        }
        PrintStream stdout = System.out;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
            status = Harness.commandLine().execute(args);
        } finally {
            System.setOut(stdout);
        }
        assertEquals(namespacesBefore, NetworkLabTest.ip("netns", "list"), "every namespace the run made is deleted");
        Path run;
        try (Stream<Path> s = Files.list(out)) {
            run = s.filter(p -> !before.contains(p)).findFirst().orElseThrow(() -> new AssertionError("no run folder was made"));
        }
        assertEquals(0, status, console.toString(StandardCharsets.UTF_8) + Files.readString(run.resolve("summary.md")));
        assertTrue(Files.readString(run.resolve("summary.md")).contains("- Load: 2 load agents"), "the run says how its load was put on");

        JsonNode rows = RunFolder.JSON.readTree(run.resolve("summary.json").toFile()).get("rows");
        List<String> checked = new ArrayList<>();
        for (String server : ServerCatalog.JAVA) {
            for (Scenario sc : Profile.QUICK.scenarios()) {
                JsonNode row = null;
                for (JsonNode r : rows) if (r.get("server").asText().equals(server) && r.get("scenario").asText().equals(sc.id())) row = r;
                String where = server + " " + sc.id() + ": " + row;
                assertNotNull(row, where);
                assertEquals("ok", row.get("status").asText(), where);
                assertTrue(row.get("logVerified").asBoolean(), "the log checked against both agents' messages: " + where);
                assertEquals(0, row.get("errors").asLong(), where);

                String stem = Measurement.stem(sc, 1);
                Path raw = run.resolve("raw").resolve(server);
                LoadReport merged = LoadReport.read(raw.resolve(stem + ".loadgen.json"));
                int agents = Math.min(2, sc.connections());           // one agent per connection at most
                assertEquals(agents, merged.agentRun().agents(), where);
                assertEquals(agents, merged.agentRun().agentFigures().size(), where);
                long sentSum = 0;
                for (int i = 1; i <= agents; i++) {
                    LoadReport agent = LoadReport.read(raw.resolve(stem + "-a" + i + ".loadgen.json"));
                    assertEquals(i, agent.agentRun().agent(), where);
                    assertEquals(merged.agentRun().startAtEpochMs(), agent.agentRun().startAtEpochMs(), "one start: " + where);
                    sentSum += agent.traffic().messagesSent();
                }
                assertEquals(sentSum, merged.traffic().messagesSent(), "messages sent: the agents' sum, " + where);
                if (sc.kind() == ScenarioKind.PINGPONG || sc.kind() == ScenarioKind.BULK) {
                    long messages = merged.agentRun().agentFigures().stream().mapToLong(LoadReport.AgentFigures::messages).sum();
                    assertEquals(messages, merged.throughput().messages(), "messages: the agents' sum, " + where);
                    Histogram h = new Histogram(3);
                    for (Path hlog : new RunFolder(run).hlogs(server, stem)) LatencyHistograms.addLog(hlog, h);
                    assertEquals(messages, h.getTotalCount(), "the agents' histograms together hold every message once: " + where);
                }
                checked.add(where);
            }
        }
        assertEquals(ServerCatalog.JAVA.size() * Profile.QUICK.scenarios().size(), checked.size());
    }
}
