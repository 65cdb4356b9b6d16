package echosuite.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import echosuite.report.LoadReport;
import echosuite.serverprocess.ServerCommand;
import echosuite.serverprocess.ServerProcess;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two agents ({@code --agent 1/2}, {@code --agent 2/2}, one {@code --start-at}) drive one server
 * (server-threaded's jar, writing its log), each writing its own report, .hlog and --sent file;
 * {@code loadgen merge --json} then reports their sum: its message count is the sum of theirs,
 * its histogram holds exactly that many samples, and the server's log verifies against both
 * agents' messages together.
 */
class AgentsEndToEndTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void twoRateAgentsAgainstOneServerMergeIntoTheirSum() throws Exception {
        Path log = dir.resolve("echomsg.txt");
        long startAt;
        List<Integer> statuses = new ArrayList<>();
        try (ServerProcess server = ServerProcess.start(ServerCommand.jar(ThreadedServerEndToEndTest.JAR, List.of()).log(log))) {
            // Both agents connect at once (in-process, well under a second), then wait at their start line for this instant.
            startAt = System.currentTimeMillis() + 1_500;
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<Integer>> agents = new ArrayList<>();
                for (int i = 1; i <= 2; i++) {
                    String name = "agent" + i;
                    List<String> args = List.of("rate", "-R", "2000", "-c", "5", "-d", "1s", "--warmup", "200ms", "-t", "1",
                            "--agent", i + "/2", "--start-at", String.valueOf(startAt), "-q",
                            "--json", dir.resolve(name + ".json").toString(), "--hlog", dir.resolve(name + ".hlog").toString(),
                            "--sent", dir.resolve(name + ".sent").toString(), server.address());
                    agents.add(pool.submit(() -> Loadgen.execute(args.toArray(String[]::new))));
                }
                for (Future<Integer> f : agents) statuses.add(f.get(60, TimeUnit.SECONDS));
            } finally {
                pool.shutdownNow();
                assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
            }
            ServerProcess.Exit exit = server.terminate(ThreadedServerEndToEndTest.STOP_LIMIT);   // its log is complete
            assertEquals(0, exit.status());
            Map<String, Long> summary = exit.summary();
            assertEquals(5, summary.get("connectionsAccepted"), "5 connections in all: 3 + 2");
            long sent = 0;
            for (int i = 1; i <= 2; i++) sent += LoadReport.read(dir.resolve("agent" + i + ".json")).traffic().messagesSent();
            assertEquals(sent, summary.get("recordsLogged"));
        }
        assertEquals(List.of(ExitStatus.OK, ExitStatus.OK), statuses);

        LoadReport a1 = LoadReport.read(dir.resolve("agent1.json")), a2 = LoadReport.read(dir.resolve("agent2.json"));
        assertEquals(3, a1.setup().connections(), "agent 1 of 2 takes connections 0, 2, 4");
        assertEquals(2, a2.setup().connections(), "agent 2 of 2 takes connections 1, 3");
        assertEquals(1_200.0, a1.rate().targetRate(), 1e-9, "2000 msgs/s x 3/5");
        assertEquals(800.0, a2.rate().targetRate(), 1e-9, "2000 msgs/s x 2/5");
        for (LoadReport a : List.of(a1, a2)) {
            assertEquals(2, a.agentRun().agents());
            assertEquals(startAt, a.agentRun().startAtEpochMs());
            double offset = a.agentRun().clockOffsetMs();
            // Not before its start time; later only if its connect phase took longer than 1.5 s (a very busy machine).
            assertTrue(offset >= 0 && offset < 10_000, "started at its start time, by its clock: offset " + offset + " ms");
            assertEquals(a.agentRun().startedAtEpochMs() - startAt, offset, 1.0);
        }
        for (int i = 1; i <= 2; i++) {
            Path f = dir.resolve("agent" + i + ".json");
            assertEquals(Files.readString(f), LoadReport.JSON.writeValueAsString(LoadReport.read(f)), f + " round-trips with its agent group");
        }

        Path merged = dir.resolve("all.json");
        assertEquals(ExitStatus.OK, Loadgen.execute("merge", "-q", "--json", merged.toString(), "--log", log.toString(),
                dir.resolve("agent2.json").toString(), dir.resolve("agent1.json").toString()));
        LoadReport m = LoadReport.read(merged);
        long messages = a1.throughput().messages() + a2.throughput().messages();
        assertTrue(messages > 0);
        assertEquals(messages, m.throughput().messages(), "the merged message count is the agents' sum");
        assertEquals(messages, m.latency().latencyUs().count(), "the merged histogram holds one sample per message");
        assertEquals(2_000, messages, "rate counts the messages intended in the 1 s window: 1200 + 800");
        assertEquals(a1.throughput().messagesPerSecond() + a2.throughput().messagesPerSecond(), m.throughput().messagesPerSecond(), 0.002);
        assertEquals(2_000.0, m.rate().targetRate(), 1e-9);
        assertEquals(5, m.setup().connections());
        assertEquals(a1.traffic().messagesSent() + a2.traffic().messagesSent(), m.traffic().messagesSent());
        assertTrue(m.logCheck().logVerified(), m.logCheck().logReport());
        assertEquals(ExitStatus.OK, m.exitStatus());

        // The merged percentiles are those of the added histograms, not averages of the agents' percentiles.
        Histogram sum = HistogramFiles.merge(List.of(dir.resolve("agent1.hlog"), dir.resolve("agent2.hlog")), null);
        assertEquals(messages, sum.getTotalCount());
        assertEquals(RunReport.percentiles(sum), m.latency().latencyUs());
        assertEquals(RunReport.percentiles(HistogramFiles.merge(List.of(dir.resolve("agent1.hlog"), dir.resolve("agent2.hlog")), "service")),
                m.rate().serviceTimeUs());

        assertEquals(2, m.agentRun().agents());
        assertNull(m.agentRun().agent(), "a merged report is no one agent's");
        assertEquals(startAt, m.agentRun().startAtEpochMs());
        List<LoadReport.AgentFigures> figures = m.agentRun().agentFigures();
        assertEquals(2, figures.size());
        assertEquals(1, figures.get(0).agent(), "listed by agent number");
        assertEquals(a1.throughput().messages(), figures.get(0).messages());
        assertEquals(a2.agentRun().clockOffsetMs(), figures.get(1).clockOffsetMs());
        assertEquals(a2.latency().latencyUs().p99(), figures.get(1).p99Us());
        JsonNode json = LoadReport.JSON.readTree(merged.toFile());
        assertFalse(json.get("options").get("agent").isTextual(), "the merged report's options name no one agent");
        assertEquals(Files.readString(merged), LoadReport.JSON.writeValueAsString(m), "the merged report round-trips");
    }
}
