package echosuite.cli;

import picocli.CommandLine;

/**
 * The exit statuses every command of the suite ends with (the servers, {@code loadgen}, the
 * harness): 0 when it did its work, 1 when it failed, 2 for bad usage. Bad usage is one sentence
 * on stderr, {@code NAME: what is wrong. (see NAME --help)}, never a stack trace; an unexpected
 * exception is one line.
 */
public final class ExitPolicy {

    private ExitPolicy() { }

    /**
     * Parses {@code args} into {@code command} (a picocli {@code @Command}) and runs it; never
     * returns: exits with the command's status.
     */
    public static void main(Object command, String[] args) {
        System.exit(execute(command, args));
    }

    /** As {@link #main} but returns the exit status (0 ok, 1 failure, 2 bad usage). */
    public static int execute(Object command, String[] args) {
        return execute(new CommandLine(command), args, 1);
    }

    /**
     * Runs {@code cli} (a configured picocli command line, e.g. one with subcommands) on
     * {@code args} and returns its exit status: bad usage is one sentence on stderr and status 2,
     * an unexpected exception one line and {@code failureStatus}.
     */
    public static int execute(CommandLine cli, String[] args, int failureStatus) {
        String name = cli.getCommandName();
        cli.setParameterExceptionHandler((ex, a) -> {
            java.io.PrintWriter err = ex.getCommandLine().getErr();
            String help = ex.getCommandLine().getCommandSpec().qualifiedName();   // "loadgen pingpong" for a subcommand
            err.println(name + ": " + sentence(ex.getMessage()) + " (see " + help + " --help)");
            return 2;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            if (ex instanceof UsageError) {
                cmd.getErr().println(name + ": " + ex.getMessage());
                return 2;
            }
            cmd.getErr().println(name + ": failed: " + ex);
            return failureStatus;
        });
        return cli.execute(args);
    }

    private static String sentence(String message) {
        String m = message == null ? "invalid command line" : message.strip();
        int newline = m.indexOf('\n');
        if (newline > 0) m = m.substring(0, newline);
        return m.endsWith(".") ? m : m + ".";
    }
}
