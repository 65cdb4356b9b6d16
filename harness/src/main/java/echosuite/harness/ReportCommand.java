package echosuite.harness;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ./suite report RUN_DIR}: redraws a run's tables, plots and page from its raw files. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Re-renders summary.md, summary.csv, summary.json, plots and index.html of a run folder from its raw files.",
        footer = {"", "Example:", "  ./suite report results/latest"})
final class ReportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN_DIR", description = "A run folder (results/runs/<timestamp> or results/latest).")
    Path runDir;

    @Override
    public Integer call() throws IOException {
        RunFolder folder = CompareCommand.open(runDir);
        ResultTable table = RunReport.render(folder);
        System.out.println(SummaryWriter.console(table));
        System.out.println("Rendered " + folder.dir().resolve("index.html"));
        return 0;
    }

    static boolean isRun(Path dir) {
        return Files.isRegularFile(dir.resolve("run.json")) && Files.isRegularFile(dir.resolve("machine.json"));
    }
}
