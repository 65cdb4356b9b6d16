package echosuite.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The program that puts one scenario repetition's load on a server ({@code ./suite run --client}):
 * the project's load generator, or the anchors' C client {@code echo_load}. Either way the
 * repetition's result ends up as a file in the load generator's JSON form, log verdict included.
 */
sealed interface LoadClient permits LoadgenClient, EchoLoadClient, LoadgenAgents {

    /** The files one repetition's load writes, in the run folder. */
    record Outputs(Path json, Path hlog, Path hgrm) { }

    /** Its name on the command line: loadgen or echo_load. */
    String name();

    /** Its command without a scenario, for the run's record. */
    List<String> command();

    /** Why it cannot run {@code scenario}, in one sentence, or null if it can. */
    String cannotRun(Scenario scenario);

    /** Its command line for one repetition against {@code address} (HOST:PORT), whose log is {@code serverLog}. */
    List<String> commandFor(Scenario scenario, Outputs files, Path serverLog, String address);

    /** How many processes put one repetition's load on the server together: 1, or the agents of {@code --agents N}. */
    default int processes() {
        return 1;
    }

    /**
     * The command lines of one repetition, one per {@linkplain #processes process}, process {@code i}
     * against {@code addresses.get(i)} (with {@code --netns} each agent reaches the server by its own link).
     */
    default List<List<String>> commandsFor(Scenario scenario, Outputs files, Path serverLog, List<String> addresses) {
        return List.of(commandFor(scenario, files, serverLog, addresses.getFirst()));
    }

    /**
     * Called once the server has stopped: completes {@code files.json()} from what the client
     * printed against {@code address}, if the client does not write it itself. Adds what went wrong to {@code problems}.
     */
    void complete(Outputs files, Path serverLog, String address, List<String> output, List<String> problems)
            throws IOException, InterruptedException;
}
