package echosuite.harness;

import echosuite.cli.UsageError;
import echosuite.serverprocess.ServerCommand;

import java.util.List;

/**
 * Where a run puts the server and the load generator ({@code ./suite run --server-cpus LIST
 * --load-cpus LIST}, {@code --no-pin}): each pinned with {@code taskset -c} to its own CPUs, or
 * neither pinned, with the reason. By default the CPUs the harness may use are split in two, the
 * first half (rounded down) for the server and the rest for the load: on 2 CPUs the server on
 * CPU 0 and the load on CPU 1, as before the options existed. The servers and the load generator
 * size themselves by the CPUs they are given (the selector's reactors, the virtual threads'
 * carriers, the load generator's I/O threads: {@code availableProcessors()} honours the affinity).
 *
 * @param server  the server's CPUs; null when not pinned
 * @param load    the load generator's CPUs; null when not pinned
 * @param notPinned why neither is pinned, in words (e.g. {@code --no-pin}); null when pinned
 */
record Placement(CpuList server, CpuList load, String notPinned) {

    static final String SERVER_OPTION = "--server-cpus";
    static final String LOAD_OPTION = "--load-cpus";

    /**
     * The placement the options ask for, on a machine offering {@code allowed} CPUs, {@code taskset}
     * present or not; a {@link UsageError} in one sentence when they cannot be honoured.
     *
     * @param serverCpus {@code --server-cpus}, or null
     * @param loadCpus   {@code --load-cpus}, or null
     */
    static Placement choose(String serverCpus, String loadCpus, boolean noPin, CpuList allowed, boolean haveTaskset) {
        boolean asked = serverCpus != null || loadCpus != null;
        if (noPin && asked) throw new UsageError("--no-pin cannot be combined with " + SERVER_OPTION + " or " + LOAD_OPTION + ".");
        if (noPin) return new Placement(null, null, "--no-pin");
        CpuList server = serverCpus == null ? null : CpuList.parse(serverCpus, SERVER_OPTION, allowed);
        CpuList load = loadCpus == null ? null : CpuList.parse(loadCpus, LOAD_OPTION, allowed);
        if (!haveTaskset) {
            if (asked) throw new UsageError((serverCpus != null ? SERVER_OPTION : LOAD_OPTION) + " needs taskset, and this machine has no "
                    + ServerCommand.TASKSET + ".");
            return new Placement(null, null, "no " + ServerCommand.TASKSET);
        }
        if (!asked) {
            if (allowed.size() < 2) return new Placement(null, null, "only " + allowed.size() + " CPU");
            int half = allowed.size() / 2;
            return new Placement(allowed.first(half), allowed.from(half), null);
        }
        if (load == null) {
            load = allowed.without(server);
            if (load.isEmpty()) throw new UsageError(SERVER_OPTION + " " + serverCpus + " leaves no CPU for the load generator; give "
                    + LOAD_OPTION + " as well (it may share the server's).");
        }
        if (server == null) {
            server = allowed.without(load);
            if (server.isEmpty()) throw new UsageError(LOAD_OPTION + " " + loadCpus + " leaves no CPU for the server; give "
                    + SERVER_OPTION + " as well (it may share the load's).");
        }
        return new Placement(server, load, null);
    }

    boolean pinned() {
        return notPinned == null;
    }

    /** The CPUs both are pinned to, empty when none (or not pinned). */
    CpuList shared() {
        return pinned() ? server.shared(load) : CpuList.of();
    }

    /** The one warning a run prints when server and load share CPUs, or null. */
    String warning() {
        CpuList both = shared();
        if (both.isEmpty()) return null;
        return "warning: the server and the load generator share " + both.words()
                + ", so the load takes CPU time from the server it measures.";
    }

    /** How many CPUs the server is given: the size of its list, 0 when not pinned. */
    int serverCpuCount() {
        return pinned() ? server.size() : 0;
    }

    /**
     * The CPUs the server is pinned to ({@link ServerCommand#pinnedTo}): the first {@code cpus} of
     * its list (0: all of them); null when not pinned.
     */
    CpuList serverCpus(int cpus) {
        if (!pinned()) return null;
        return cpus == 0 ? server : server.first(cpus);
    }

    /** The words that start the load generator: {@code taskset -c LIST}; nothing when not pinned. */
    List<String> loadPrefix() {
        return pinned() ? taskset(load) : List.of();
    }

    private static List<String> taskset(CpuList cpus) {
        return List.of(ServerCommand.TASKSET.toString(), "-c", cpus.text());   // as ServerCommand.pinnedTo does for a server
    }

    /**
     * The placement in words, for machine.json and the "Pinning:" line: {@code server on CPU 0,
     * load generator on CPU 1 (taskset)}, {@code not pinned (--no-pin)}.
     */
    String words() {
        if (!pinned()) return "not pinned (" + notPinned + ")";
        CpuList both = shared();
        return "server on " + server.words() + ", load generator on " + load.words() + " (taskset)"
                + (both.isEmpty() ? "" : "; they share " + both.words());
    }
}
