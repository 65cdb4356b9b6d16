package echosuite.harness;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import echosuite.report.LoadReport;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The layout of one run's folder ({@code results/runs/<timestamp>/}):
 * <pre>
 *   run.json, machine.json               what was run, on what
 *   raw/SERVER/SCENARIO-rN.*             per repetition: measurement.json (harness), loadgen.json,
 *                                        .hlog, .hgrm (load generator), resources.csv (/proc series),
 *                                        loadgen.txt and server.txt (their output)
 *   summary.md, summary.csv, summary.json, plots/*.png, index.html   rendered from the above
 * </pre>
 * Everything rendered is computed from {@code run.json}, {@code machine.json} and {@code raw/}.
 */
final class RunFolder {

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path dir;

    RunFolder(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    Path raw(String server) {
        return dir.resolve("raw").resolve(server);
    }

    /** A file of one repetition: {@code raw/SERVER/STEM.SUFFIX}. */
    Path file(String server, String stem, String suffix) {
        return raw(server).resolve(stem + "." + suffix);
    }

    /**
     * The {@code .hlog} files of one repetition: {@code STEM.hlog}, or with {@code --agents} every
     * agent's {@code STEM-aI.hlog} (added together they are the repetition's histogram).
     */
    List<Path> hlogs(String server, String stem) throws IOException {
        Path one = file(server, stem, "hlog");
        if (Files.isRegularFile(one) || !Files.isDirectory(raw(server))) return List.of(one);
        List<Path> agents = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(raw(server), stem + "-a*.hlog")) {
            s.forEach(agents::add);
        }
        agents.sort(Comparator.naturalOrder());
        return agents.isEmpty() ? List.of(one) : agents;
    }

    Path plots() {
        return dir.resolve("plots");
    }

    /** Where server logs live while they are verified (deleted afterwards: bulk logs are large). */
    Path logs() {
        return dir.resolve("logs");
    }

    void writeRunInfo(RunInfo info) throws IOException {
        JSON.writeValue(dir.resolve("run.json").toFile(), info);
    }

    RunInfo runInfo() throws IOException {
        return JSON.readValue(dir.resolve("run.json").toFile(), RunInfo.class);
    }

    void writeMachine(Machine m) throws IOException {
        JSON.writeValue(dir.resolve("machine.json").toFile(), m);
    }

    Machine machine() throws IOException {
        return JSON.readValue(dir.resolve("machine.json").toFile(), Machine.class);
    }

    void write(Measurement m) throws IOException {
        Files.createDirectories(raw(m.server()));
        JSON.writeValue(file(m.server(), Measurement.stem(m.scenario(), m.repetition()), "measurement.json").toFile(), m);
    }

    /** Every measurement of the run, by server then file name. */
    List<Measurement> measurements() throws IOException {
        List<Path> files = new ArrayList<>();
        Path raw = dir.resolve("raw");
        if (!Files.isDirectory(raw)) return List.of();
        try (DirectoryStream<Path> servers = Files.newDirectoryStream(raw, Files::isDirectory)) {
            for (Path s : servers) {
                try (DirectoryStream<Path> ms = Files.newDirectoryStream(s, "*.measurement.json")) {
                    ms.forEach(files::add);
                }
            }
        }
        files.sort(Comparator.naturalOrder());
        List<Measurement> out = new ArrayList<>();
        for (Path f : files) out.add(JSON.readValue(f.toFile(), Measurement.class));
        return out;
    }

    /** The load generator's result of a measurement, or null if it wrote none (or an unreadable one). */
    LoadReport loadResult(Measurement m) {
        if (m.loadgenJson() == null) return null;
        Path f = raw(m.server()).resolve(m.loadgenJson());
        try {
            return Files.isRegularFile(f) ? LoadReport.read(f) : null;
        } catch (IOException e) {
            return null;
        }
    }
}
