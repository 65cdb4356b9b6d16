package echosuite.harness;

import echosuite.cli.UsageError;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ./suite compare RUN_A RUN_B}: the ratio B/A of every row's headline figure, noise flagged. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Prints, for every server and scenario, the headline figure of two runs and their ratio B/A, "
                + "flagging the changes larger than the runs' spread over repetitions.",
                "Exit status 0 whatever changed (the table says what)."},
        footer = {"", "Example:", "  ./suite compare results/reference results/latest"})
final class CompareCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_A", description = "The earlier or reference run folder.")
    Path a;

    @Parameters(index = "1", paramLabel = "RUN_B", description = "The run folder compared with it.")
    Path b;

    @Override
    public Integer call() throws IOException {
        ResultTable ta = ResultTable.of(open(a));
        ResultTable tb = ResultTable.of(open(b));
        List<RunComparison.Change> changes = RunComparison.compare(ta, tb);
        System.out.print(RunComparison.format(changes, a + " (" + ta.machine().date() + ")", b + " (" + tb.machine().date() + ")"));
        return 0;
    }

    /** A run folder, or a usage error saying why it is not one. */
    static RunFolder open(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        if (!ReportCommand.isRun(d)) throw new UsageError(dir + " is not a run folder (it has no run.json and machine.json).");
        return new RunFolder(d);
    }
}
