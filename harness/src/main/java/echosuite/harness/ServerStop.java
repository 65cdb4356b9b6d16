package echosuite.harness;

import echosuite.serverprocess.ServerProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * How a server's run ended, as the run's record needs it: its exit status (empty if it had to be
 * killed), its summary fields, whether it had exited by itself before the harness stopped it, and
 * what went wrong, one sentence each.
 */
record ServerStop(OptionalInt exitCode, Map<String, Long> summary, boolean exitedBeforeStop, List<String> problems) {

    /** The protocol gives a server 5 s from SIGTERM to exit; a little more before we kill it. */
    static final Duration STOP_LIMIT = Duration.ofSeconds(8);

    /** Stops {@code server} with SIGTERM, waiting up to {@link #STOP_LIMIT}; kills its tree if it does not exit by then. */
    static ServerStop of(ServerProcess server) throws InterruptedException {
        List<String> problems = new ArrayList<>();
        boolean exitedBefore = !server.isAlive();
        if (exitedBefore) problems.add("the server exited by itself during the load" + server.lastWords());
        ServerProcess.Exit exit;
        try {
            exit = server.terminate(STOP_LIMIT);
        } catch (ServerProcess.StopFailure f) {
            problems.add("the server did not exit within " + STOP_LIMIT.toSeconds() + " s of SIGTERM; killed");
            return new ServerStop(OptionalInt.empty(), Map.of(), exitedBefore, problems);
        }
        if (exit.status() != 0 && !exitedBefore) {
            problems.add("the server exited with status " + exit.status() + " after SIGTERM" + server.lastWords());
        }
        Map<String, Long> fields = exit.summaryIfPrinted();
        if (fields.isEmpty()) problems.add("the server printed no summary line");
        return new ServerStop(OptionalInt.of(exit.status()), fields, exitedBefore, problems);
    }

}
