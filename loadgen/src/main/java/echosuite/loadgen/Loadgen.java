package echosuite.loadgen;

import echosuite.cli.ExitPolicy;
import echosuite.cli.Version;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The load generator's command line: {@code ./suite loadgen SCENARIO [options] HOST:PORT}, the
 * target last as wrk and tcpkali take it. Each scenario is a subcommand; {@code merge} combines
 * interval logs, or the reports of several agents ({@code --agent I/N}) of one run. Exit statuses: {@link ExitStatus}.
 */
@Command(name = "loadgen", mixinStandardHelpOptions = true, versionProvider = Version.class,
        subcommands = {PingpongCommand.class, RateCommand.class, ChurnCommand.class, HoldCommand.class,
                BulkCommand.class, FindMaxCommand.class, MergeCommand.class, CommandLine.HelpCommand.class},
        description = "Load generator for echo-with-logging servers: every message carries its connection id and sequence"
                + " number and every echo is checked byte for byte; latencies in HdrHistogram, timed with System.nanoTime.",
        footerHeading = "%nExamples:%n",
        footer = {"  loadgen pingpong -c 16 -s 64 -d 10 127.0.0.1:9190",
                "  loadgen rate -R 50000 -c 16 --json rate.json --hlog rate.hlog 127.0.0.1:9190",
                "  loadgen churn -c 4 --source-addresses 16 127.0.0.1:9190",
                "  loadgen hold -c 10000 127.0.0.1:9190",
                "  loadgen bulk -c 4 127.0.0.1:9190",
                "  loadgen find-max -c 16 --slo 1ms 127.0.0.1:9190",
                "  loadgen merge a.hlog b.hlog --out all.hgrm",
                "  loadgen help pingpong",
                "",
                "Two load hosts, one run (the same T on both: T=$(( $(date +%%s%%3N) + 10000 ))):",
                "  host-a$ loadgen rate -R 50000 -c 16 --agent 1/2 --start-at $T \\",
                "              --json a.json --hlog a.hlog --sent a.sent 10.0.0.5:9190",
                "  host-b$ loadgen rate -R 50000 -c 16 --agent 2/2 --start-at $T \\",
                "              --json b.json --hlog b.hlog --sent b.sent 10.0.0.5:9190",
                "  loadgen merge --json all.json --log echomsg.txt a.json b.json",
                "",
                "Exit status: 0 ok; 1 echo mismatches or the log did not verify; 2 bad command line;",
                "  3 nothing could be sent (or the load generator failed); 4 connection errors."})
public final class Loadgen implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private static final String SCENARIO_MISSING = "a scenario is missing (pingpong, rate, churn, hold, bulk, find-max or merge)";

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), SCENARIO_MISSING);
    }

    /** The command line, ready to execute (also used by tests). */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Loadgen());
        cli.setDefaultValueProvider(new ScenarioDefaults());
        for (CommandLine sub : cli.getSubcommands().values()) sub.setDefaultValueProvider(new ScenarioDefaults());
        return cli;
    }

    /**
     * Parses {@code args} and checks them as the command itself does before it connects or reads a
     * file (ranges, options that go together, {@code --agent} with {@code --start-at}), and runs
     * nothing: for command lines written down elsewhere, such as deploy/kubernetes/'s. Returns the
     * command chosen (a scenario's or merge's); a bad command line throws picocli's
     * {@link CommandLine.ParameterException} or a {@link echosuite.cli.UsageError} with the sentence
     * the command would print before exiting with status 2. The target's host is resolved, as when
     * running.
     */
    static Object check(String... args) {
        CommandLine cli = commandLine();
        CommandLine.ParseResult parsed = cli.parseArgs(args);
        while (parsed.hasSubcommand()) parsed = parsed.subcommand();
        Object command = parsed.commandSpec().userObject();
        if (parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested()) return command;
        switch (command) {
            case ScenarioCommand scenario -> scenario.checkOptions();
            case MergeCommand merge -> merge.checkOptions();
            default -> throw new CommandLine.ParameterException(parsed.commandSpec().commandLine(), SCENARIO_MISSING);
        }
        return command;
    }

    /** Runs {@code args} and returns the exit status. */
    static int execute(String... args) {
        return ExitPolicy.execute(commandLine(), args, ExitStatus.COULD_NOT_RUN);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }
}
