package echosuite.harness;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code ./suite run --profile quick} end to end, once for the whole class: every built server of
 * the profile (the four Java servers and their C twins), the load generator, real processes, real
 * /proc samples. Then the results are checked as a reader would: every server has rows with
 * figures, logs verified, each Java row its ratio to its C twin, summaries, plots and a page that
 * a real browser renders with its at-a-glance table and its tables.
 */
class QuickRunEndToEndTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private static int exitStatus;
    private static String console;
    private static Path run;
    private static List<String> servers;
    private static List<String> builtServers;

    @BeforeAll
    static void runTheQuickProfile() throws IOException {
        System.setProperty("echosuite.root", ROOT.toString());
        Path out = Path.of("target/quick-runs").toAbsolutePath();
        Files.createDirectories(out);
        List<String> args = new ArrayList<>(List.of("run", "--profile", "quick", "--out", out.toString()));
        servers = ServerCatalog.resolve(Profile.QUICK.servers()).stream().map(ServerSpec::name).toList();

        List<Path> before;
        try (Stream<Path> s = Files.list(out)) {
            before = s.toList();
        }
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (PrintStream tee = new PrintStream(new TeeStream(stdout, captured), true, StandardCharsets.UTF_8)) {
            System.setOut(tee);
            exitStatus = Harness.commandLine().execute(args.toArray(String[]::new));
        } finally {
            System.setOut(stdout);
        }
        console = captured.toString(StandardCharsets.UTF_8);
        try (Stream<Path> s = Files.list(out)) {
            run = s.filter(p -> !before.contains(p)).findFirst().orElseThrow(() -> new AssertionError("no run folder was made"));
        }
        List<String> notBuilt = RunFolder.JSON.readValue(run.resolve("run.json").toFile(), RunInfo.class).notBuilt();
        builtServers = servers.stream().filter(s -> !notBuilt.contains(s)).toList();
        assertTrue(builtServers.containsAll(ServerCatalog.JAVA), "the Java servers are built by Maven before this test: not built " + notBuilt);
    }

    @Test
    void theRunSucceedsAndPrintsTheComparisonTable() throws IOException {
        assertEquals(0, exitStatus, "exit status; summary:\n" + Files.readString(run.resolve("summary.md")));
        for (Scenario sc : Profile.QUICK.scenarios()) assertTrue(console.contains(sc.id() + "  (headline:"), sc.id() + " table on the console");
        assertTrue(console.contains("[1/"), "progress lines were printed");
    }

    @Test
    void everyBuiltServerHasARowWithFiguresPerScenarioAndAVerifiedLog() throws IOException {
        JsonNode summary = RunFolder.JSON.readTree(run.resolve("summary.json").toFile());
        JsonNode rows = summary.get("rows");
        for (String server : servers) {
            for (Scenario sc : Profile.QUICK.scenarios()) {
                JsonNode row = find(rows, server, sc.id());
                assertNotNull(row, server + " has a row for " + sc.id());
                if (!builtServers.contains(server)) {
                    assertEquals("not built", row.get("status").asText());
                    continue;
                }
                String where = server + " " + sc.id() + ": " + row;
                assertEquals("ok", row.get("status").asText(), where);
                assertTrue(row.get("logVerified").asBoolean(), where);
                assertEquals(0, row.get("errors").asLong(), where);
                assertTrue(row.get("p50Us").asDouble() > 0 && row.get("p99Us").asDouble() >= row.get("p50Us").asDouble(), where);
                // A C server's tree can take as little as 1 MiB of PSS (c-select: one process, one thread).
                assertTrue(row.get("peakRssBytes").asLong() > 1 << 20 && row.get("peakPssBytes").asLong() > 1 << 18, where);
                assertTrue(row.get("threads").asInt() >= 1 && row.get("processes").asInt() >= 1, where);
                switch (sc.kind()) {
                    case CHURN -> assertTrue(row.get("connectionsPerSecond").asDouble() > 0, where);
                    case HOLD -> {
                        assertEquals(sc.connections(), row.get("established").asLong(), where);
                        assertTrue(row.get("memoryPerConnectionInclOneTimeBytes").asLong() > 0, where);
                        // Every server held both levels whole, so the marginal figure exists (of any sign:
                        // a few KiB over 8 connections can be within the noise of a JVM's PSS).
                        assertTrue(row.get("marginalMemoryPerConnectionBytes").isNumber(), where);
                        assertTrue(row.get("marginalMemoryNote").isNull(), where);
                    }
                    case PINGPONG, RATE, BULK -> {
                        assertTrue(row.get("messagesPerSecond").asDouble() > 0, where);
                        assertTrue(row.get("allFirstEchoMs").asDouble() > 0, where);
                        assertTrue(row.get("cpuMicrosPerMessage").asDouble() > 0, where);
                    }
                }
                // A ratio to the baseline, unless a figure is not above 0 (a marginal mem/conn can be 0 or negative).
                double own = ResultTable.headline(RunFolder.JSON.treeToValue(row, ResultRow.class));
                JsonNode base = find(rows, summary.get("baseline").asText(), sc.id());
                double baseHeadline = ResultTable.headline(RunFolder.JSON.treeToValue(base, ResultRow.class));
                assertEquals(own > 0 && baseHeadline > 0, row.get("ratio").isNumber(), "a ratio to the baseline: " + where);
                // Each Java server divided by its C twin's figure, when the twin was built (as in CI).
                String twin = ServerCatalog.cTwinOf(server);
                assertEquals(twin == null, row.get("twin").isNull(), where);
                if (twin != null && builtServers.contains(twin)) {
                    double twinHeadline = ResultTable.headline(RunFolder.JSON.treeToValue(find(rows, twin, sc.id()), ResultRow.class));
                    assertEquals(own > 0 && twinHeadline > 0, row.get("twinRatio").isNumber(), "a ratio to " + twin + ": " + where);
                    if (own > 0 && twinHeadline > 0) {
                        assertEquals(own / twinHeadline, row.get("twinRatio").asDouble(), 1e-9 * own / twinHeadline, "ratio to " + twin + ": " + where);
                    }
                }
            }
        }
        String csv = Files.readString(run.resolve("summary.csv"));
        assertEquals(rows.size() + 1, csv.lines().count(), "one CSV line per row plus the header");
        String md = Files.readString(run.resolve("summary.md"));
        for (Scenario sc : Profile.QUICK.scenarios()) assertTrue(md.contains("## " + sc.id()), sc.id() + " in summary.md");
        assertTrue(md.contains("| mem/conn | mem/conn incl. one-time |"), "hold shows both memory figures:\n" + md);
        assertTrue(md.contains("| log | vs baseline | vs C twin |"), "every table has the twin column:\n" + md);
        assertTrue(md.contains("## At a glance"), "the summary opens with the verdict:\n" + md);
        assertTrue(console.contains("At a glance:"), "the console ends with the verdict");
        for (Scenario sc : Profile.QUICK.scenarios()) {
            assertTrue(console.lines().anyMatch(l -> l.startsWith("  " + sc.id() + ": ") && l.contains(" wins")), sc.id() + "'s verdict on the console");
        }
    }

    @Test
    void holdsMemoryWasReadAtBothLevelsInTheirSettledHalves() throws IOException {
        Scenario hold = Profile.QUICK.scenarios().stream().filter(s -> s.kind() == ScenarioKind.HOLD).findFirst().orElseThrow();
        for (String server : builtServers) {
            Path file = run.resolve("raw").resolve(server).resolve(Measurement.stem(hold, 1) + ".measurement.json");
            List<LevelMemory> levels = RunFolder.JSON.readValue(file.toFile(), Measurement.class).resources().heldLevels();
            assertEquals(2, levels.size(), server + ": " + levels);
            assertEquals(List.of((long) hold.connections() / 2, (long) hold.connections()),
                    levels.stream().map(LevelMemory::held).toList(), server + ": " + levels);
            for (LevelMemory l : levels) {
                assertTrue(l.reached() && l.samples() >= 2 && l.pssBytes() > 1 << 18, server + ": " + l);   // C servers: under 1 MiB
                assertEquals(Scenario.LEVEL_HOLD_SECONDS * 1000 / 2, l.toMillis() - l.fromMillis(), 2, server + ": the second half of " + l);
            }
            assertTrue(levels.get(0).toMillis() <= levels.get(1).fromMillis(), server + ": " + levels);
        }
    }

    @Test
    void rawFilesAreKeptPerRepetition() throws IOException {
        for (String server : builtServers) {
            for (Scenario sc : Profile.QUICK.scenarios()) {
                String stem = Measurement.stem(sc, 1);
                for (String suffix : List.of("hlog", "hgrm", "loadgen.json", "resources.csv", "measurement.json")) {
                    Path f = run.resolve("raw").resolve(server).resolve(stem + "." + suffix);
                    assertTrue(Files.size(f) > 0, f + " is written and not empty");
                }
            }
        }
    }

    @Test
    void plotsArePngsOfTheirSize() throws IOException {
        List<String> expected = new ArrayList<>(List.of("throughput-vs-connections", "hold-memory-per-connection",
                "churn-connections-per-second", "all-first-echoes"));
        Profile.QUICK.scenarios().forEach(sc -> expected.add("latency-" + sc.id()));
        for (String name : expected) {
            Path png = run.resolve("plots").resolve(name + ".png");
            assertTrue(Files.size(png) > 5_000, png + " has content (" + Files.size(png) + " bytes)");
            BufferedImage img = ImageIO.read(png.toFile());
            assertNotNull(img, png + " is a PNG");
            assertEquals(PlotRenderer.WIDTH, img.getWidth());
            assertEquals(PlotRenderer.HEIGHT, img.getHeight());
        }
    }

    @Test
    void reportRedrawsTheSameSummaryFromTheRawFiles() throws IOException {
        String md = Files.readString(run.resolve("summary.md"));
        Files.delete(run.resolve("index.html"));
        Files.delete(run.resolve("summary.md"));
        assertEquals(0, Harness.commandLine().execute("report", run.toString()));
        assertEquals(md, Files.readString(run.resolve("summary.md")));
        assertTrue(Files.size(run.resolve("index.html")) > 10_000);
    }

    @Test
    void aRealBrowserRendersThePageWithItsTables() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "SKIPPED: " + CHROMIUM + " is absent, so the page was not opened in a "
                + "browser; install it with 'apt-get install -y chromium' (.ci/run does).");
        Path index = run.resolve("index.html");
        Path profile = Files.createTempDirectory("chromium-profile");
        String dom = chromium(profile, "--dump-dom", index.toUri().toString());
        int tables = dom.split("<table class=\"results\"", -1).length - 1;
        assertEquals(Profile.QUICK.scenarios().size(), tables, "one results table per scenario in the rendered DOM");
        for (String server : builtServers) assertTrue(dom.contains("<td class=\"l\">" + server + "</td>"), server + " row rendered");
        // The page opens with the verdict: one row per scenario, linked to its table, a column per Java server against its twin.
        int glance = dom.indexOf("<table class=\"glance\">");
        assertTrue(glance > 0 && glance < dom.indexOf("<table class=\"results\""), "the at-a-glance table comes before the results");
        String glanceTable = dom.substring(glance, dom.indexOf("</table>", glance));
        for (Scenario sc : Profile.QUICK.scenarios()) {
            assertTrue(glanceTable.contains("<a href=\"#" + sc.id() + "\">"), sc.id() + " in the at-a-glance table");
        }
        for (String server : ServerCatalog.JAVA) {
            String twin = ServerCatalog.cTwinOf(server);
            if (builtServers.contains(twin)) assertTrue(glanceTable.contains(server + " ÷ " + twin), server + " ÷ " + twin + " column");
        }
        assertTrue(dom.contains("data:image/png;base64,"), "plots embedded");

        Path shot = run.resolve("screenshot.png");
        chromium(profile, "--screenshot=" + shot, "--window-size=1200,2400", index.toUri().toString());
        BufferedImage img = ImageIO.read(shot.toFile());
        assertNotNull(img, "the screenshot is a PNG");
        assertEquals(1200, img.getWidth());
    }

    /** Runs headless chromium with the given arguments (bounded: 120 s), returns its stdout. */
    private static String chromium(Path profile, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile("chromium", ".err");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        boolean exited = p.waitFor(120, TimeUnit.SECONDS);
        List<ProcessHandle> left = p.toHandle().descendants().toList();
        left.forEach(ProcessHandle::destroyForcibly);
        if (!exited) p.destroyForcibly();
        assertTrue(exited, "chromium finished within 120 s");
        assertEquals(0, p.exitValue(), "chromium exit status; stderr: " + Files.readString(err));
        return new String(out, StandardCharsets.UTF_8);
    }

    private static JsonNode find(JsonNode rows, String server, String scenario) {
        for (JsonNode r : rows) {
            if (r.get("server").asText().equals(server) && r.get("scenario").asText().equals(scenario)) return r;
        }
        return null;
    }

    /** Writes to two streams: the console stays live while the test keeps a copy. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a, b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
