package echosuite.harness;

import echosuite.cli.UsageError;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scaling scenario: its ids, its CPU steps, how steps are recorded, and its plot drawn from rows. */
class ScalingScenarioTest {

    @Test
    void theStepsDoubleUpToTheServersCpusAndEndAtAllOfThem() {
        assertEquals(List.of(), ScenarioId.cpuSteps(0));
        assertEquals(List.of(1), ScenarioId.cpuSteps(1));
        assertEquals(List.of(1, 2), ScenarioId.cpuSteps(2));
        assertEquals(List.of(1, 2, 3), ScenarioId.cpuSteps(3));
        assertEquals(List.of(1, 2, 4), ScenarioId.cpuSteps(4));
        assertEquals(List.of(1, 2, 4, 6), ScenarioId.cpuSteps(6));
        assertEquals(List.of(1, 2, 4, 8, 16), ScenarioId.cpuSteps(16));
    }

    @Test
    void aScalingIdExpandsToOnePingpongScenarioPerStep() {
        List<Scenario> steps = ScenarioId.select(List.of("scaling-c64-64B"), Profile.STANDARD, 4);
        assertEquals(List.of("pingpong-c64-64B-cpus1", "pingpong-c64-64B-cpus2", "pingpong-c64-64B-cpus4"),
                steps.stream().map(Scenario::id).toList());
        for (Scenario s : steps) {
            assertEquals(ScenarioKind.PINGPONG, s.kind());
            assertEquals("pingpong-c64-64B", s.loadId());
            assertEquals(List.of("pingpong", "-c", "64", "-s", "64", "-d", "3", "--warmup", "2"), s.loadgenArguments(),
                    "the same load at every step, with the profile's pingpong timing");
            assertEquals(3, s.repetitions());
        }
        assertEquals(List.of(1, 2, 4), steps.stream().map(Scenario::serverCpus).toList());
        assertEquals(List.of("pingpong-c16-64B-cpus1"), ScenarioId.select(List.of("scaling-c16"), Profile.QUICK, 1).stream()
                .map(Scenario::id).toList(), "on a 2-CPU machine's default half: one step; the size may be left out");
        assertEquals(new Scenario(ScenarioKind.PINGPONG, 16, 64, 2, 3, 0, 3, 2),
                ScenarioId.select(List.of("scaling-c16-64B"), Profile.STANDARD, 2).get(1), "the profile's own pingpong-c16-64B, on 2 CPUs");
    }

    @Test
    void anyIdTakesACpusSuffixThatRoundTrips() {
        Scenario s = ScenarioId.parse("pingpong-c64-64B-cpus2", Profile.QUICK);
        assertEquals(new Scenario(ScenarioKind.PINGPONG, 64, 64, 1, 1, 0, 1, 2), s);
        assertEquals("pingpong-c64-64B-cpus2", s.id());
        assertEquals("hold-c100-cpus1", ScenarioId.parse("hold-c100-cpus1", Profile.QUICK).id());
        assertEquals(new ScenarioId.Step("pingpong-c64-64B", 2), ScenarioId.step("pingpong-c64-64B-cpus2"));
        assertNull(ScenarioId.step("pingpong-c64-64B"));
        assertEquals(s, ScenarioId.overridden(s, null, null, null), "overriding the timing keeps the step");
        assertEquals(2, ScenarioId.overridden(s, 0, 5, 2).serverCpus());
    }

    @Test
    void stepsTheRunCannotPlaceAreRefusedInOneSentence() {
        assertEquals("'pingpong-c64-64B-cpus2' runs the server on 2 CPUs, but it has 1 (--server-cpus).",
                refusal("pingpong-c64-64B-cpus2", 1));
        assertEquals("'scaling-c64-64B' places the server on some of its CPUs, but this run does not pin it (--no-pin, one CPU or no taskset).",
                refusal("scaling-c64-64B", 0));
        assertEquals("'pingpong-c64-64B-cpus0' needs at least one server CPU (-cpus1 or more).", refusal("pingpong-c64-64B-cpus0", 4));
        assertEquals("name a scaling scenario by its id, e.g. scaling-c64-64B: pingpong at 64 connections with the server on 1, 2, 4 ... CPUs.",
                refusal("scaling", 4));
        assertTrue(refusal("scaling-c64-8B", 4).contains("at least 24 bytes"), "the load's own checks apply");
    }

    private static String refusal(String token, int serverCpus) {
        return assertThrows(UsageError.class, () -> ScenarioId.select(List.of(token), Profile.STANDARD, serverCpus)).getMessage();
    }

    @Test
    void theStepIsInTheJsonOnlyWhenThereIsOne() throws IOException {
        Scenario plain = Scenario.pingpong(64, 64).seconds(1, 2);
        String json = RunFolder.JSON.writeValueAsString(plain);
        assertFalse(json.contains("serverCpus"), "run.json and measurement.json as before: " + json);
        Scenario step = plain.onServerCpus(2);
        String stepJson = RunFolder.JSON.writeValueAsString(step);
        assertTrue(stepJson.contains("\"serverCpus\" : 2"), stepJson);
        assertEquals(step, RunFolder.JSON.readValue(stepJson, Scenario.class));
        assertEquals(plain, RunFolder.JSON.readValue(json, Scenario.class), "an older file reads as all CPUs");
    }

    @Test
    void machineJsonRecordsThePlacementAndAnOlderOneReadsWithout() throws IOException {
        Placement p = Placement.choose("0-1", "1", false, CpuList.of(0, 1), true);
        Machine m = new Machine(2, "cpu", 1L << 30, "6.1", "jdk", "", p.words(), "2025-01-01T00:00:00Z", "abc",
                p.server().text(), p.load().text());
        String json = RunFolder.JSON.writeValueAsString(m);
        assertTrue(json.contains("\"serverCpus\" : \"0-1\"") && json.contains("\"loadCpus\" : \"1\""), json);
        assertEquals(m, RunFolder.JSON.readValue(json, Machine.class));
        Machine old = RunFolder.JSON.readValue("{\"cores\":2,\"pinning\":\"server on CPU 0, load generator on CPU 1 (taskset)\"}", Machine.class);
        assertNull(old.serverCpus());
    }

    private static final List<String> SERVERS = List.of("selector", "threaded");

    private static ResultRow row(String server, String scenario, Double msgsPerSecond) {
        return new ResultRow(server, scenario, ScenarioKind.PINGPONG, msgsPerSecond == null ? "server failed" : "ok", 1,
                new ResultRow.Load(64L, 64L, msgsPerSecond, null, null), ResultRow.Latency.NONE, ResultRow.Connecting.NONE,
                ResultRow.Resources.NONE, ResultRow.HeldMemory.NONE, ResultRow.TreePeaks.NONE, new ResultRow.Checks(0L, true),
                null, List.of(), null, null, null);
    }

    private static ResultTable table() {
        List<Scenario> steps = ScenarioId.select(List.of("scaling-c64-64B", "pingpong-c1-64B", "pingpong-c16-64B"), Profile.QUICK, 4);
        RunInfo info = new RunInfo("quick", SERVERS, List.of(), steps, "selector", "loadgen", 1, null);
        Placement p = Placement.choose(null, null, false, CpuList.parse("0-7", "test"), true);
        Machine machine = new Machine(8, "cpu", 1L << 30, "6.1", "jdk", "", p.words(), "2025-01-01T00:00:00Z", "abc",
                p.server().text(), p.load().text());
        List<ResultRow> rows = new ArrayList<>();
        rows.add(row("selector", "pingpong-c64-64B-cpus1", 100_000.0));
        rows.add(row("threaded", "pingpong-c64-64B-cpus1", 80_000.0));
        rows.add(row("selector", "pingpong-c64-64B-cpus2", 190_000.0));
        rows.add(row("threaded", "pingpong-c64-64B-cpus2", null));                 // failed: no point
        rows.add(row("selector", "pingpong-c64-64B-cpus4", 350_000.0));
        rows.add(row("threaded", "pingpong-c64-64B-cpus4", 250_000.0));
        rows.add(row("selector", "pingpong-c1-64B", 20_000.0));
        rows.add(row("selector", "pingpong-c16-64B", 90_000.0));
        return new ResultTable(info, machine, "selector", rows);
    }

    @Test
    void thePlotsPointsAreEachServersFiguresByCpus() {
        Map<String, Map<String, List<double[]>>> series = PlotRenderer.scalingSeries(table());
        assertEquals(List.of("pingpong-c64-64B"), List.copyOf(series.keySet()), "one plot per scaling load, the other pingpongs not in it");
        Map<String, List<double[]>> byServer = series.get("pingpong-c64-64B");
        assertEquals(SERVERS, List.copyOf(byServer.keySet()));
        List<double[]> selector = byServer.get("selector");
        assertEquals(3, selector.size());
        assertArrayEquals(new double[] {1, 100_000}, selector.get(0));
        assertArrayEquals(new double[] {2, 190_000}, selector.get(1));
        assertArrayEquals(new double[] {4, 350_000}, selector.get(2));
        List<double[]> threaded = byServer.get("threaded");
        assertEquals(List.of(1.0, 4.0), threaded.stream().map(p -> p[0]).toList(), "the failed step is left out, not drawn as 0");
    }

    @Test
    void thePlotIsDrawnAndTheFactsSayWhereTheServerRan(@TempDir Path dir) throws IOException {
        ResultTable t = table();
        RunFolder folder = new RunFolder(dir);
        List<PlotRenderer.Plot> plots = PlotRenderer.renderAll(folder, t);
        List<String> files = plots.stream().map(PlotRenderer.Plot::file).toList();
        assertTrue(files.contains("plots/scaling-pingpong-c64-64B.png"), files.toString());
        byte[] png = Files.readAllBytes(dir.resolve("plots/scaling-pingpong-c64-64B.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
        assertTrue(files.contains("plots/throughput-vs-connections.png"), "the plain pingpongs still draw theirs: " + files);
        assertTrue(SummaryWriter.runFacts(t).contains("Pinning: server on CPUs 0-3, load generator on CPUs 4-7 (taskset); "
                + "a scenario ending in -cpusN ran the server on the first N of its CPUs"), SummaryWriter.runFacts(t).toString());
    }

    @Test
    void aSingleStepStillDrawsItsPoint(@TempDir Path dir) throws IOException {
        List<Scenario> one = ScenarioId.select(List.of("scaling-c8-64B"), Profile.QUICK, 1);
        RunInfo info = new RunInfo("quick", List.of("selector"), List.of(), one, "selector", "loadgen", 1, null);
        Machine machine = new Machine(2, "cpu", 1L << 30, "6.1", "jdk", "", "server on CPU 0, load generator on CPU 1 (taskset)",
                "2025-01-01T00:00:00Z", "abc", "0", "1");
        ResultTable t = new ResultTable(info, machine, "selector", List.of(row("selector", "pingpong-c8-64B-cpus1", 50_000.0)));
        List<String> files = PlotRenderer.renderAll(new RunFolder(dir), t).stream().map(PlotRenderer.Plot::file).toList();
        assertEquals(List.of("plots/scaling-pingpong-c8-64B.png"), files);
    }
}
