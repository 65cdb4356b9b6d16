package echosuite.loadgen;

import echosuite.cli.UsageError;
import echosuite.report.LoadReport;
import echosuite.report.Percentiles;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code loadgen merge --json} refuses, in one sentence, reports that are not the N agents of one run. */
class MergeAgentsTest {

    static final long START_AT = 1_800_000_000_000L;

    @TempDir
    Path dir;

    /** An agent's report as --json writes it, but for the figures a refusal looks at; {@code hlog} null: none named. */
    private Path report(String name, String scenario, long bytes, Integer agent, int agents, String duration, Path hlog, long latencyCount)
            throws Exception {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("connections", 4L);
        options.put("size", bytes);
        options.put("duration", duration);
        options.put("agent", agent == null ? null : agent + "/" + agents);
        options.put("start-at", START_AT);
        options.put("hlog", hlog == null ? null : hlog.toString());
        options.put("sent", null);
        Percentiles p = new Percentiles(latencyCount, null, null, null, null, null, null, null);
        LoadReport r = new LoadReport(new LoadReport.Setup(scenario, "127.0.0.1:9190", 2L, 2L, 2L, bytes, 1, 1.0, 0.0, 0.0), null,
                new LoadReport.Throughput(latencyCount, (double) latencyCount, 0.0, 0.0, 0.0), new LoadReport.Traffic(0L, 0L, 0L, 0L),
                new LoadReport.Latency(p, 0L, false), new LoadReport.Errors(Map.of(), Map.of()), new LoadReport.Memory(1L, 1L), false,
                null, 0, options, null, null, null, null, null);
        if (agent != null) r = r.with(new LoadReport.Agents(agent, agents, START_AT, START_AT, 0.0, null));
        Path f = dir.resolve(name + ".json");
        r.write(f);
        return f;
    }

    private Path report(String name, int agent, int agents) throws Exception {
        return report(name, "pingpong", 64, agent, agents, "10s", null, 0);
    }

    /** An .hlog with one untagged interval of {@code count} samples. */
    private Path hlog(String name, long count) {
        Path f = dir.resolve(name + ".hlog");
        HistogramLogWriter w;
        try {
            w = new HistogramLogWriter(f.toFile());
        } catch (java.io.FileNotFoundException e) {
            throw new AssertionError(e);
        }
        Histogram h = new Histogram(ThreadRecorders.SIGNIFICANT_DIGITS);
        for (long i = 0; i < count; i++) h.recordValue(1_000 + i);
        h.setStartTimeStamp(1_000);
        h.setEndTimeStamp(2_000);
        w.outputLogFormatVersion();
        w.outputIntervalHistogram(h);
        w.close();
        return f;
    }

    private String refusal(Path... files) {
        UsageError e = assertThrows(UsageError.class, () -> AgentMerge.merge(List.of(files), null));
        assertTrue(e.getMessage().endsWith(".") && !e.getMessage().contains("\n"), "one sentence: " + e.getMessage());
        return e.getMessage();
    }

    private String refusalWithLog(Path log, Path... files) {
        UsageError e = assertThrows(UsageError.class, () -> AgentMerge.merge(List.of(files), log));
        return e.getMessage();
    }

    @Test
    void refusesADifferentScenario() throws Exception {
        String m = refusal(report("a", "pingpong", 64, 1, 2, "10s", null, 0), report("b", "bulk", 64, 2, 2, "10s", null, 0));
        assertTrue(m.contains("scenario"), m);
    }

    @Test
    void refusesADifferentMessageSize() throws Exception {
        String m = refusal(report("a", "pingpong", 64, 1, 2, "10s", null, 0), report("b", "pingpong", 128, 2, 2, "10s", null, 0));
        assertTrue(m.contains("message size"), m);
    }

    @Test
    void refusesADifferentNumberOfAgents() throws Exception {
        String m = refusal(report("a", 1, 2), report("b", 2, 3));
        assertTrue(m.contains("agents (N of --agent I/N) (2, 3)"), m);
    }

    @Test
    void refusesTheSameAgentTwice() throws Exception {
        String m = refusal(report("a", 2, 2), report("b", 2, 2));
        assertTrue(m.contains("are both agent 2 of 2"), m);
    }

    @Test
    void saysWhichAgentIsMissing() throws Exception {
        String m = refusal(report("a", 1, 3), report("c", 3, 3));
        assertTrue(m.startsWith("agent 2 of 3 is missing"), m);
        m = refusal(report("d", 2, 4));
        assertTrue(m.startsWith("agents [1, 3, 4] of 4 are missing"), m);
    }

    @Test
    void refusesAReportOfARunWithoutAgent() throws Exception {
        String m = refusal(report("a", 1, 2), report("alone", "pingpong", 64, null, 1, "10s", null, 0));
        assertTrue(m.contains("alone.json is not an agent's report"), m);
    }

    @Test
    void refusesAgentsRunWithDifferentOptions() throws Exception {
        String m = refusal(report("a", "pingpong", 64, 1, 2, "10s", null, 0), report("b", "pingpong", 64, 2, 2, "5s", null, 0));
        assertTrue(m.contains("--duration (10s, 5s)"), m);
    }

    @Test
    void refusesAReportWithoutItsHistograms() throws Exception {
        String m = refusal(report("a", 1, 2), report("b", 2, 2));
        assertTrue(m.contains("a.json names no .hlog"), m);
    }

    @Test
    void refusesAnHlogOfAnotherRun() throws Exception {
        Path a = report("a", "pingpong", 64, 1, 2, "10s", hlog("a", 5), 5);
        Path b = report("b", "pingpong", 64, 2, 2, "10s", hlog("b", 3), 4);
        String m = refusal(a, b);
        assertTrue(m.contains("holds 3 latency samples but") && m.contains("b.json reports 4"), m);
    }

    @Test
    void aLogNeedsEveryAgentsSentFile() throws Exception {
        Path a = report("a", "pingpong", 64, 1, 2, "10s", hlog("a", 5), 5);
        Path b = report("b", "pingpong", 64, 2, 2, "10s", hlog("b", 3), 3);
        AgentMerge.Result r = AgentMerge.merge(List.of(a, b), null);
        assertEquals(8, r.report().throughput().messages());
        assertEquals(8, r.latency().getTotalCount());
        String m = refusalWithLog(dir.resolve("log.txt"), a, b);
        assertTrue(m.contains("a.json names no --sent file"), m);
    }

    @Test
    void anHlogMovedBesideItsReportIsFound() throws Exception {
        Path a = report("a", "pingpong", 64, 1, 2, "10s", dir.resolve("elsewhere").resolve("a.hlog"), 2);
        Path b = report("b", "pingpong", 64, 2, 2, "10s", Path.of("b.hlog"), 1);
        hlog("a", 2);
        hlog("b", 1);
        AgentMerge.Result r = AgentMerge.merge(List.of(a, b), null);
        assertEquals(3, r.latency().getTotalCount(), "found beside the reports by their names");
        assertEquals(3, r.report().latency().latencyUs().count());
        assertEquals(3, r.report().throughput().messages());
    }

    @Test
    void theCommandLineRefusalsExitWithStatus2() throws Exception {
        Path a = report("a", 1, 2);
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"merge", "--json", dir.resolve("all.json").toString(), a.toString()});      // agent 2 missing
        lines.add(new String[] {"merge", a.toString()});                                                   // neither --out nor --json
        lines.add(new String[] {"merge", "--json", "x.json", "--out", "x.hgrm", a.toString()});
        lines.add(new String[] {"merge", "--out", "x.hgrm", "--log", "log.txt", a.toString()});
        lines.add(new String[] {"merge", "--json", dir.resolve("all.json").toString(), dir.resolve("none.json").toString()});
        for (String[] args : lines) assertEquals(ExitStatus.USAGE, Loadgen.execute(args), String.join(" ", args));
    }
}
