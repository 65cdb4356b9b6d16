package echosuite.loadgen;

import echosuite.report.LoadReport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * What the load generator writes with {@code --json} is the {@link LoadReport} the harness reads:
 * a report read back is the record written, and writing that record again gives the same file,
 * for every scenario (each adds its own group).
 */
class LoadReportRoundTripTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aRunsReportReadsBackIntoTheSameRecord() throws Exception {
        try (TestEchoServer server = new TestEchoServer()) {
            RunResult r = TestRuns.run(TestRuns.config("pingpong", server.address(), 2, 64, 200, 0, 0), ClosedLoop.factory(2, 1, 0));
            LoadReport written = RunReport.report(r, new picocli.CommandLine(new PingpongCommand()).getCommandSpec(),
                    server.target(), null, ExitStatus.OK);
            Path file = dir.resolve("run.json");
            written.write(file);
            assertEquals(written, LoadReport.read(file));
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyScenariosFileReadsIntoTheRecordAndWritesBackTheSame() throws Exception {
        try (TestEchoServer server = new TestEchoServer()) {
            List<List<String>> commands = List.of(
                    List.of("pingpong", "-c", "2"),
                    List.of("bulk", "-c", "1", "-s", "4096"),
                    List.of("rate", "-c", "2", "-R", "200"),
                    List.of("churn", "-c", "2"),
                    List.of("hold", "-c", "4", "--level-hold", "100ms"));
            for (List<String> command : commands) {
                Path file = dir.resolve(command.getFirst() + ".json");
                List<String> args = new ArrayList<>(command);
                args.addAll(List.of("-d", "300ms", "--warmup", "0", "-q", "--json", file.toString(), server.target()));
                assertEquals(ExitStatus.OK, Loadgen.execute(args.toArray(String[]::new)), String.join(" ", args));
                LoadReport read = LoadReport.read(file);
                assertNotNull(read.setup(), file.toString());
                assertEquals(Files.readString(file), LoadReport.JSON.writeValueAsString(read), command.getFirst() + ": no key lost or added");
            }
        }
    }
}
