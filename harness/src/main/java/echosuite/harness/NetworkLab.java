package echosuite.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./suite run --netns}: separate hosts on one machine. The server gets a network namespace
 * of its own and so does every load agent; agent {@code I} is joined to the server by a veth link
 * of its own, a /30 of the run's private subnet {@value #SUBNET}.0.0/16: the server's end is
 * {@code 10.77.I.1}, the agent's {@code 10.77.I.2}. Traffic therefore crosses a link between two
 * network stacks, and each agent has its own address and its own ephemeral ports, as separate
 * client machines would. Nothing is made in the machine's own namespace.
 *
 * <p>The namespaces are named after this process ({@code es<pid>-srv}, {@code es<pid>-a<I>}), made
 * by {@link #create} and deleted by {@link #close}, by those exact names (a link goes with its
 * namespace); a shutdown hook deletes them if the run is interrupted. Making them needs root and
 * iproute2's {@code ip}; {@link #unavailable} says in one sentence why they cannot be made.
 */
final class NetworkLab implements AutoCloseable {

    /** The first two octets of every address of the lab. */
    static final String SUBNET = "10.77";

    private static final List<Path> IP_CANDIDATES = List.of(Path.of("/usr/sbin/ip"), Path.of("/sbin/ip"), Path.of("/usr/bin/ip"), Path.of("/bin/ip"));
    private static final long COMMAND_LIMIT_SECONDS = 30;

    private final Path ip;
    private final String prefix;
    private final int agents;
    private final List<String> made = new ArrayList<>();
    private final Thread cleanup = new Thread(this::deleteAll, "netns-cleanup");

    private NetworkLab(Path ip, String prefix, int agents) {
        this.ip = ip;
        this.prefix = prefix;
        this.agents = agents;
    }

    /** Why no lab can be made here, in one sentence, or null when it can. */
    static String unavailable() {
        if (ipCommand() == null) return "--netns needs iproute2's ip command (apt-get install iproute2), which is not installed.";
        if (!isRoot()) return "--netns needs root (it makes network namespaces and veth links with ip netns and ip link); run as root or without --netns.";
        return null;
    }

    /** Makes the server's namespace and one per agent, each agent linked to the server; deletes what it made if a step fails. */
    static NetworkLab create(int agents) throws IOException, InterruptedException {
        String why = unavailable();
        if (why != null) throw new IllegalStateException(why);
        if (agents < 1 || agents > 250) throw new IllegalArgumentException("agents: 1 to 250, got " + agents);
        NetworkLab lab = new NetworkLab(ipCommand(), "es" + ProcessHandle.current().pid(), agents);
        Runtime.getRuntime().addShutdownHook(lab.cleanup);
        try {
            lab.namespace(lab.serverNamespace());
            lab.ip("-n", lab.serverNamespace(), "link", "set", "lo", "up");
            for (int i = 1; i <= agents; i++) {
                String a = lab.agentNamespace(i);
                lab.namespace(a);
                lab.ip("-n", a, "link", "set", "lo", "up");
                String serverEnd = lab.prefix + "s" + i, agentEnd = lab.prefix + "a" + i;
                lab.ip("link", "add", serverEnd, "netns", lab.serverNamespace(), "type", "veth", "peer", "name", agentEnd, "netns", a);
                lab.ip("-n", lab.serverNamespace(), "addr", "add", lab.serverAddress(i) + "/30", "dev", serverEnd);
                lab.ip("-n", a, "addr", "add", lab.agentAddress(i) + "/30", "dev", agentEnd);
                lab.ip("-n", lab.serverNamespace(), "link", "set", serverEnd, "up");
                lab.ip("-n", a, "link", "set", agentEnd, "up");
            }
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    /** iproute2's {@code ip}, or null. */
    static Path ipCommand() {
        return IP_CANDIDATES.stream().filter(Files::isExecutable).findFirst().orElse(null);
    }

    Path ip() {
        return ip;
    }

    String serverNamespace() {
        return prefix + "-srv";
    }

    /** Agent {@code i}'s namespace, 1-based. */
    String agentNamespace(int i) {
        return prefix + "-a" + i;
    }

    /** The server's address on agent {@code i}'s link: where agent {@code i} connects. */
    String serverAddress(int i) {
        return SUBNET + "." + i + ".1";
    }

    /** Agent {@code i}'s own address. */
    String agentAddress(int i) {
        return SUBNET + "." + i + ".2";
    }

    int agents() {
        return agents;
    }

    /** The namespaces it made, in order. */
    List<String> namespaces() {
        return List.copyOf(made);
    }

    /** One line for the run's facts. */
    String describe() {
        return "the server in network namespace " + serverNamespace() + ", each of the " + agents + " load agents in its own ("
                + prefix + "-a1 ...), joined to the server's by a veth link: " + SUBNET + ".I.1 (server) and " + SUBNET + ".I.2 (agent I)";
    }

    /** Deletes every namespace it made (their links with them). */
    @Override
    public void close() throws InterruptedException {
        deleteAll();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run: nothing left to remove
        }
    }

    private synchronized void deleteAll() {
        for (int i = made.size() - 1; i >= 0; i--) {
            try {
                run(List.of(ip.toString(), "netns", "del", made.get(i)));
                made.remove(i);
            } catch (IOException | InterruptedException e) {
                System.err.println("suite: could not delete network namespace " + made.get(i) + " (" + e.getMessage()
                        + "); delete it with: ip netns del " + made.get(i));
            }
        }
    }

    private void namespace(String name) throws IOException, InterruptedException {
        ip("netns", "add", name);
        made.add(name);
    }

    private void ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ip.toString()));
        cmd.addAll(List.of(args));
        run(cmd);
    }

    /**
     * Runs a command to its end (at most {@value #COMMAND_LIMIT_SECONDS} s: its output goes to a
     * file, so the wait is not a read that could block past the limit) and returns its output; an
     * exit status other than 0 is an IOException with its words and output.
     */
    static String run(List<String> cmd) throws IOException, InterruptedException {
        Path output = Files.createTempFile("ip", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(COMMAND_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish within " + COMMAND_LIMIT_SECONDS + " s");
            }
            String out = Files.readString(output, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + " failed (exit status " + p.exitValue() + "): " + out.strip());
            return out;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) return line.split("\\s+")[2].equals("0");    // the effective uid
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
