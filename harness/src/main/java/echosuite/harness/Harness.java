package echosuite.harness;

import echosuite.cli.UsageError;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./suite run | report | compare}: the harness's command line. The launcher passes the
 * project folder as the system property {@code echosuite.root}.
 */
@Command(name = "suite", mixinStandardHelpOptions = true, versionProvider = echosuite.cli.Version.class,
        description = "Runs the servers under load and reports the results.",
        subcommands = {RunCommand.class, ReportCommand.class, CompareCommand.class, VariantCommand.class})
public final class Harness implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with its error handling: bad input gets one sentence and exit status 2. */
    static CommandLine commandLine() {
        System.setProperty("java.awt.headless", "true");   // XChart draws with AWT; there is no display
        CommandLine cli = new CommandLine(new Harness());
        cli.setParameterExceptionHandler((ex, a) -> {
            String m = ex.getMessage().strip();
            ex.getCommandLine().getErr().println("suite: " + m + (m.endsWith(".") ? "" : ".") + " (See ./suite "
                    + ex.getCommandLine().getCommandName() + " --help.)");
            return 2;
        });
        var runHelp = cli.getSubcommands().get("run").getCommandSpec().usageMessage();
        List<String> footer = new ArrayList<>(List.of(runHelp.footer()));
        footer.add("");
        footer.addAll(ServerCatalog.helpLines());
        runHelp.footer(footer.toArray(String[]::new));
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof UsageError) {
                cmd.getErr().println("suite: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cli;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** The project folder: {@code -Dechosuite.root}, else the working directory. */
    static Path projectRoot() {
        return Path.of(System.getProperty("echosuite.root", ".")).toAbsolutePath().normalize();
    }
}
