package echosuite.harness;

import java.util.List;

/**
 * What a run was asked to do and how long it took ({@code run.json} in the run folder).
 *
 * @param profile          quick, standard or full
 * @param servers          the servers asked for, in order
 * @param notBuilt         of those, the ones whose jar was missing (skipped)
 * @param scenarios        the scenarios run on each server
 * @param baseline         the server the ratio column compares against
 * @param loadgen          the load generator command line (without scenario arguments)
 * @param durationSeconds  wall-clock length of the whole run, s (0 while it runs)
 * @param load             how the load was put on, when not by one load generator on this machine's loopback:
 *                         {@code --agents N} and {@code --netns} in words; null otherwise (and in runs made before)
 */
record RunInfo(String profile, List<String> servers, List<String> notBuilt, List<Scenario> scenarios,
               String baseline, String loadgen, long durationSeconds, String load) {

    RunInfo withDuration(long seconds) {
        return new RunInfo(profile, servers, notBuilt, scenarios, baseline, loadgen, seconds, load);
    }
}
