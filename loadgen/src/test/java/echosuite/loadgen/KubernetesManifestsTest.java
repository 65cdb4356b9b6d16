package echosuite.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import echosuite.cli.UsageError;
import echosuite.runtime.ServerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * deploy/kubernetes/ (docs/kubernetes.md): every manifest parses and is of a kind expected, and
 * the command line of every container is accepted by the program it starts, as the pod would run
 * it: Kubernetes' {@code $(VAR)} expansion is done here, the shell wrapper is run by the real
 * {@code /bin/sh} with a stand-in {@code java} that prints its arguments, for every agent index.
 * loadgen's command lines go through its own parsing and checks ({@link Loadgen#check}); the
 * server's through the options every server takes ({@link ServerOptions} and its
 * {@code problem()}, as {@code ServerRunner} checks them), for each server the image holds. The
 * pieces must fit together too: the agents' target is the Service, N is the Job's, the merge reads
 * every agent's report and the server's log, all on the one shared volume. The negative tests
 * break one thing in a copy of the manifests and expect the same checks to fail.
 */
class KubernetesManifestsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path KUBERNETES = ROOT.resolve("deploy/kubernetes");
    private static final Path DOCKERFILE = ROOT.resolve("deploy/container/Dockerfile");
    private static final Path DOCS = ROOT.resolve("docs/kubernetes.md");

    private static final Set<String> KINDS = Set.of("Kustomization", "Component", "PersistentVolumeClaim", "Deployment", "Service", "Job", "Pod");

    /** The sample --start-at: a minute from now, as docs/kubernetes.md sets it. */
    private static final String START_AT = Long.toString(System.currentTimeMillis() + 60_000);

    @TempDir
    Path stubs;

    /** One YAML document of a file under deploy/kubernetes/. */
    record Manifest(Path file, JsonNode node) {
        String kind() {
            return node.path("kind").asText();
        }

        String name() {
            return node.path("metadata").path("name").asText();
        }
    }

    // ---------------------------------------------------------------- the tests

    @Test
    void everyManifestParsesAndIsAKindExpected() throws IOException {
        List<Manifest> all = manifests();
        Map<String, Integer> kinds = new HashMap<>();
        for (Manifest m : all) {
            assertTrue(KINDS.contains(m.kind()), m.file() + ": kind '" + m.kind() + "' is none of " + KINDS);
            kinds.merge(m.kind(), 1, Integer::sum);
        }
        assertEquals(Map.of("Kustomization", 4, "Component", 1, "PersistentVolumeClaim", 1, "Deployment", 1, "Service", 1, "Job", 2, "Pod", 1), kinds);
        checkKustomizations(all);
    }

    @Test
    void theServersCommandLineIsAcceptedForEveryServerOfTheImage() throws Exception {
        Server server = checkServer(manifests());
        assertEquals("/results/echomsg.txt", server.log());
        assertEquals(9190, server.port());
    }

    @Test
    void eachAgentOfTheIndexedJobRunsACommandLineLoadgenAccepts() throws Exception {
        List<Manifest> all = manifests();
        List<AgentFiles> agents = checkAgents(all, checkServer(all));
        assertEquals(4, agents.size());
        assertEquals("/results/agent-1.json", agents.getFirst().json());
        assertEquals("/results/agent-4.sent", agents.getLast().sent());
    }

    @Test
    void theMergeReadsEveryAgentsReportAndTheServersLog() throws Exception {
        List<Manifest> all = manifests();
        Server server = checkServer(all);
        MergeCommand merge = checkMerge(all, server, checkAgents(all, server));
        assertEquals(Path.of("/results/merged.json"), merge.json);
    }

    @Test
    void theDocsCreateTheConfigMapTheAgentsRead() throws IOException {
        JsonNode env = container(podSpec(only(manifests(), "Job", "echo-agents"))).path("env");
        JsonNode ref = null;
        for (JsonNode e : env) if (e.path("name").asText().equals("START_AT")) ref = e.path("valueFrom").path("configMapKeyRef");
        assertNotNull(ref, "the agents' START_AT comes from a ConfigMap");
        String docs = Files.readString(DOCS);
        assertTrue(docs.contains("kubectl create configmap " + ref.path("name").asText() + " --from-literal=" + ref.path("key").asText() + "="),
                "docs/kubernetes.md creates the ConfigMap " + ref.path("name").asText() + " with the key " + ref.path("key").asText());
    }

    @Test
    void aMisspelledOrRefusedLoadgenOptionFailsTheCheck() throws Exception {
        // an option loadgen does not know: picocli refuses it
        assertFails(CommandLine.ParameterException.class, "'40000' is not HOST:PORT", all -> replaceArg(agentContainer(all), "-R", "--rat"));
        assertFails(CommandLine.UnmatchedArgumentException.class, "--warmup-limt", all -> ((ArrayNode) agentContainer(all).path("args")).insert(1, "--warmup-limt=60s"));
        // a known option, refused by loadgen's own checks (--verify-log on one of several agents)
        assertFails(UsageError.class, "--verify-log would check", all -> {
            ArrayNode args = (ArrayNode) agentContainer(all).path("args");
            args.insert(1, "/results/echomsg.txt");             // after the scenario's name
            args.insert(1, "--verify-log");
        });
        // a value out of range: -c below N leaves an agent without a connection
        assertFails(UsageError.class, "-c must be at least 4", all -> replaceArg(agentContainer(all), "64", "3"));
        // merge: --tag goes with --out, not --json
        assertFails(UsageError.class, "--tag goes with --out", all -> {
            ArrayNode args = (ArrayNode) container(podSpec(only(all, "Job", "echo-merge"))).path("args");
            args.add("--tag");
            args.add("service");
        });
    }

    @Test
    void aWrongServerOptionFailsTheCheck() throws Exception {
        assertFails(CommandLine.UnmatchedArgumentException.class, "--prot", all -> replaceArg(serverContainer(all), "--port", "--prot"));
        assertFails(UsageError.class, "--port must be between 0 and 65535", all -> replaceArg(serverContainer(all), "9190", "70000"));
        // parses, but the Service could not reach it
        assertFails(AssertionFailedError.class, "not loopback", all -> replaceArg(serverContainer(all), "0.0.0.0", "127.0.0.1"));
    }

    @Test
    void piecesThatDoNotFitTogetherFailTheCheck() throws Exception {
        // N = 5 in the Job but 4 in --agent
        assertFails(AssertionFailedError.class, "index 0 of 5 is agent 1/5", all -> {
            ObjectNode spec = (ObjectNode) only(all, "Job", "echo-agents").node().path("spec");
            spec.set("completions", IntNode.valueOf(5));
            spec.set("parallelism", IntNode.valueOf(5));
        });
        // the agents aim elsewhere than the Service
        assertFails(AssertionFailedError.class, "aims at the Service, echo-server:9190", all -> replaceArg(agentContainer(all), "echo-server:9190", "echo:9190"));
        // the merge's glob misses the agents' reports
        assertFails(AssertionFailedError.class, "/results/agents-*.json takes /results/agent-1.json", all -> {
            ArrayNode command = (ArrayNode) container(podSpec(only(all, "Job", "echo-merge"))).path("command");
            command.set(2, TextNode.valueOf(command.get(2).asText().replace("agent-*.json", "agents-*.json")));
        });
        // the merge checks a log the server does not write
        assertFails(AssertionFailedError.class, "merge checks the log the server writes", all -> replaceArg(container(podSpec(only(all, "Job", "echo-merge"))), "/results/echomsg.txt", "/results/log.txt"));
    }

    // ---------------------------------------------------------------- the checks

    /** Every check on the manifests {@code all}, in order; throws at the first failure. */
    private void checkAll(List<Manifest> all) throws Exception {
        checkKustomizations(all);
        Server server = checkServer(all);
        checkMerge(all, server, checkAgents(all, server));
    }

    /** Every manifest is a resource of a kustomization, every resource and component exists, every image is the component's. */
    private static void checkKustomizations(List<Manifest> all) throws IOException {
        Set<Path> listed = new TreeSet<>();
        String image = only(all, "Component", null).node().path("images").get(0).path("name").asText();
        for (Manifest k : all) {
            if (!k.kind().equals("Kustomization")) continue;
            for (JsonNode r : k.node().path("resources")) {
                Path p = k.file().resolveSibling(r.asText()).normalize();
                assertTrue(Files.isRegularFile(p), k.file() + " lists " + r.asText() + ", which does not exist");
                assertTrue(listed.add(p), p + " is listed twice");
            }
            for (JsonNode c : k.node().path("components")) {
                Path p = k.file().resolveSibling(c.asText()).resolve("kustomization.yaml").normalize();
                assertEquals("Component", mapper().readTree(p.toFile()).path("kind").asText(), k.file() + ": component " + c.asText());
            }
        }
        for (Manifest m : all) {
            if (m.kind().equals("Kustomization") || m.kind().equals("Component")) continue;
            assertTrue(listed.contains(m.file().normalize()), m.file() + " is in no kustomization.yaml");
            for (JsonNode c : m.node().findValues("containers").stream().flatMap(a -> stream(a)).toList()) {
                assertEquals(image, c.path("image").asText(), m.file() + ": container " + c.path("name").asText() + " runs another image than the component names");
            }
        }
    }

    record Server(String service, int port, String log, String claim) { }

    /** The Deployment, its Service and its command line, for each server of the image; returns what the others need. */
    private Server checkServer(List<Manifest> all) throws Exception {
        Manifest deployment = only(all, "Deployment", "echo-server");
        JsonNode spec = deployment.node().path("spec");
        assertEquals(1, spec.path("replicas").asInt(), "one server");
        assertEquals("Recreate", spec.path("strategy").path("type").asText(), "never two servers appending to one log");
        JsonNode pod = podSpec(deployment);
        assertTrue(pod.path("terminationGracePeriodSeconds").asInt() > 5, "the server needs up to 5 s after SIGTERM (docs/protocol.md)");
        JsonNode c = container(pod);

        Map<String, String> env = literalEnv(c);
        String chosen = env.get("SERVER");
        assertNotNull(chosen, "the Deployment names its server in SERVER");
        List<String> servers = imageModules().stream().filter(m -> m.startsWith("server-")).map(m -> m.substring("server-".length())).toList();
        assertTrue(servers.contains(chosen), "SERVER=" + chosen + " is not one of the image's servers " + servers);
        ServerOptions options = null;
        for (String s : servers) {                 // every choice of SERVER runs that server's jar with these options
            env.put("SERVER", s);
            JavaCommand java = javaCommand(c, env);
            assertEquals("/app/server-" + s + "/server-" + s + ".jar", java.jar());
            options = serverOptions(java.args());
        }

        assertTrue(InetAddress.getByName(options.bind).isAnyLocalAddress(), "--bind " + options.bind + ": the Service reaches the pod's own address, not loopback");
        int containerPort = -1;
        for (JsonNode p : c.path("ports")) if (p.path("containerPort").asInt() == options.port) containerPort = options.port;
        assertEquals(options.port, containerPort, "the container declares the server's --port");
        assertEquals(options.port, port(c, c.path("readinessProbe").path("tcpSocket").path("port")), "the readiness probe connects to --port");

        Manifest service = only(all, "Service", null);
        JsonNode labels = spec.path("template").path("metadata").path("labels");
        assertEquals(service.node().path("spec").path("selector"), labels, "the Service selects the server's pods");
        JsonNode sp = service.node().path("spec").path("ports").get(0);
        assertEquals(options.port, port(c, sp.path("targetPort")), "the Service forwards to --port");

        return new Server(service.name(), sp.path("port").asInt(), options.log.toString(), claim(all, pod, c, options.log.toString()));
    }

    /** The options every server accepts, parsed and checked as ServerRunner does before it starts. */
    private static ServerOptions serverOptions(List<String> args) {
        @Command(name = "server")
        final class EveryServer {
            @Mixin
            ServerOptions options;
        }
        EveryServer s = new EveryServer();
        new CommandLine(s).parseArgs(args.toArray(String[]::new));
        String problem = s.options.problem();
        if (problem != null) throw new UsageError(problem);
        return s.options;
    }

    record AgentFiles(String json, String hlog, String sent) { }

    /** The Indexed Job: for each index, the command line loadgen runs; returns each agent's files, by agent. */
    private List<AgentFiles> checkAgents(List<Manifest> all, Server server) throws Exception {
        Manifest job = only(all, "Job", "echo-agents");
        JsonNode spec = job.node().path("spec");
        assertEquals("Indexed", spec.path("completionMode").asText());
        int n = spec.path("completions").asInt();
        assertTrue(n >= 1, "completions");
        assertEquals(n, spec.path("parallelism").asInt(), "all agents run at once: parallelism = completions");
        JsonNode pod = podSpec(job);
        assertEquals("Never", pod.path("restartPolicy").asText(), "an agent is not rerun in place after --start-at");
        checkAntiAffinity(pod, job.node().path("spec").path("template").path("metadata").path("labels"));
        JsonNode c = container(pod);

        List<AgentFiles> files = new ArrayList<>();
        Set<String> written = new TreeSet<>();
        for (int index = 0; index < n; index++) {
            Map<String, String> env = literalEnv(c);
            env.put("JOB_COMPLETION_INDEX", Integer.toString(index));      // set by the Job controller
            JavaCommand java = javaCommand(c, env);
            assertEquals("/app/loadgen/loadgen.jar", java.jar());
            List<String> args = new ArrayList<>(java.args());
            // The target's name resolves only in the cluster (loadgen resolves it while parsing): it must be the
            // Service's, and is given to loadgen as the loopback address with the same port.
            String target = server.service() + ":" + server.port();
            int at = args.indexOf(target);
            assertTrue(at >= 0 && args.lastIndexOf(target) == at, "agent " + (index + 1) + " aims at the Service, " + target + ": " + args);
            args.set(at, "127.0.0.1:" + server.port());

            Object command = Loadgen.check(args.toArray(String[]::new));
            ScenarioCommand scenario = assertInstanceOf(ScenarioCommand.class, command, "a scenario: " + args);
            RunOptions o = scenario.options;
            assertEquals((index + 1) + "/" + n, o.agent, "index " + index + " of " + n + " is agent " + (index + 1) + "/" + n);
            assertEquals(Long.parseLong(START_AT), o.startAtEpochMs, "every agent starts at START_AT");
            assertNotNull(o.json, "--json: merge reads it");
            assertNotNull(o.hlog, "--hlog: merge adds the histograms");
            assertNotNull(o.sent, "--sent: merge checks the log against it");
            AgentFiles f = new AgentFiles(o.json.toString(), o.hlog.toString(), o.sent.toString());
            for (String p : List.of(f.json(), f.hlog(), f.sent())) {
                assertTrue(written.add(p), "two agents write " + p);
                assertEquals(server.claim(), claim(all, pod, c, p), p + " is on the shared volume");
            }
            files.add(f);
        }
        return files;
    }

    /** Preferably not two agents on one node, nor an agent beside the server. */
    private static void checkAntiAffinity(JsonNode pod, JsonNode agentLabels) {
        List<JsonNode> selectors = new ArrayList<>();
        for (JsonNode t : pod.path("affinity").path("podAntiAffinity").path("preferredDuringSchedulingIgnoredDuringExecution")) {
            assertEquals("kubernetes.io/hostname", t.path("podAffinityTerm").path("topologyKey").asText());
            selectors.add(t.path("podAffinityTerm").path("labelSelector").path("matchLabels"));
        }
        assertTrue(selectors.contains(agentLabels), "a preferred podAntiAffinity among the agents: " + selectors);
    }

    /** The merge Job: its glob is exactly the agents' reports, its --log the server's; loadgen accepts it. */
    private MergeCommand checkMerge(List<Manifest> all, Server server, List<AgentFiles> agents) throws Exception {
        JsonNode pod = podSpec(only(all, "Job", "echo-merge"));
        JsonNode c = container(pod);
        JavaCommand java = javaCommand(c, literalEnv(c));
        assertEquals("/app/loadgen/loadgen.jar", java.jar());
        List<String> args = new ArrayList<>(java.args());
        List<String> globs = args.stream().filter(a -> a.contains("*")).toList();
        assertEquals(1, globs.size(), "one glob of the agents' reports, left for the shell to expand in the pod (/results is not here): " + args);
        PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + globs.getFirst());
        List<String> reports = agents.stream().map(AgentFiles::json).sorted().toList();
        for (AgentFiles f : agents) {
            assertTrue(glob.matches(Path.of(f.json())), globs.getFirst() + " takes " + f.json());
            assertFalse(glob.matches(Path.of(f.hlog())) || glob.matches(Path.of(f.sent())), globs.getFirst() + " takes only reports");
        }
        int at = args.indexOf(globs.getFirst());
        args.remove(at);
        args.addAll(at, reports);                  // as the shell expands it (sorted)

        MergeCommand merge = assertInstanceOf(MergeCommand.class, Loadgen.check(args.toArray(String[]::new)), "merge: " + args);
        assertNotNull(merge.json, "merge --json: one report of the agents' reports");
        assertFalse(glob.matches(merge.json), "a second merge would read its own output");
        assertEquals(reports, merge.files.stream().map(Path::toString).toList());
        assertNotNull(merge.log, "merge --log: the server's log checked against every agent's messages");
        assertEquals(server.log(), merge.log.toString(), "merge checks the log the server writes");
        assertEquals(server.claim(), claim(all, pod, c, merge.json.toString()), "the merged report is on the shared volume");
        assertEquals(server.claim(), claim(all, pod, c, merge.log.toString()), "the server's log is on the shared volume");
        return merge;
    }

    // ---------------------------------------------------------------- running a container's command line

    record JavaCommand(String jar, List<String> args) { }

    /**
     * What the container {@code c} runs with the environment {@code env}: its command and args with
     * {@code $(VAR)} expanded as Kubernetes does, then, for a {@code /bin/sh -c} wrapper, that shell
     * run here with {@code java} a script that prints its arguments; must be {@code java -jar JAR ...}
     * with JAR one of the image's.
     */
    private JavaCommand javaCommand(JsonNode c, Map<String, String> env) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        for (JsonNode a : c.path("command")) argv.add(kubernetesExpand(a.asText(), env));
        for (JsonNode a : c.path("args")) argv.add(kubernetesExpand(a.asText(), env));
        if (!argv.isEmpty() && argv.getFirst().equals("/bin/sh")) argv = runShell(argv, env);
        assertTrue(argv.size() >= 3 && argv.get(0).equals("java") && argv.get(1).equals("-jar"), "java -jar JAR ...: " + argv);
        String jar = argv.get(2);
        Matcher m = Pattern.compile("/app/([a-z-]+)/([a-z-]+)\\.jar").matcher(jar);
        assertTrue(m.matches() && m.group(1).equals(m.group(2)), jar + " is /app/MODULE/MODULE.jar");
        assertTrue(imageModules().contains(m.group(1)), jar + ": the image holds " + imageModules());
        assertTrue(Files.exists(ROOT.resolve(m.group(1)).resolve("runnable")), m.group(1) + " builds a runnable jar");
        return new JavaCommand(jar, List.copyOf(argv.subList(3, argv.size())));
    }

    /** Kubernetes' expansion of command and args: $(VAR) of a variable the container defines, $$ for $; anything else as written. */
    static String kubernetesExpand(String s, Map<String, String> env) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '$' && i + 1 < s.length()) {
                if (s.charAt(i + 1) == '$') {
                    out.append('$');
                    i++;
                    continue;
                }
                int close = s.charAt(i + 1) == '(' ? s.indexOf(')', i + 2) : -1;
                if (close > 0 && env.containsKey(s.substring(i + 2, close))) {
                    out.append(env.get(s.substring(i + 2, close)));
                    i = close;
                    continue;
                }
            }
            out.append(ch);
        }
        return out.toString();
    }

    /** Runs {@code argv} (a /bin/sh wrapper) with {@code env}; returns the arguments it ran java with, java first. */
    private List<String> runShell(List<String> argv, Map<String, String> env) throws IOException, InterruptedException {
        Path java = stubs.resolve("java");
        if (!Files.exists(java)) {
            Files.writeString(java, "#!/bin/sh\nprintf '%s\\0' java \"$@\"\n");
            Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path out = Files.createTempFile(stubs, "argv", ".bin");
        Path err = Files.createTempFile(stubs, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile()).directory(stubs.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().put("PATH", stubs + ":/usr/bin:/bin");
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the shell wrapper did not end within 30 s: " + argv);
        }
        assertEquals(0, p.exitValue(), "the shell wrapper failed: " + argv + ": " + Files.readString(err));
        String printed = Files.readString(out, StandardCharsets.UTF_8);
        assertTrue(printed.endsWith("\0"), "the wrapper runs java: " + argv);
        return List.of(printed.substring(0, printed.length() - 1).split("\0", -1));
    }

    /** The container's env: literal values, and the sample START_AT for one from a ConfigMap. */
    private static Map<String, String> literalEnv(JsonNode c) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : c.path("env")) {
            String name = e.path("name").asText();
            if (e.has("value")) env.put(name, e.path("value").asText());
            else if (e.path("valueFrom").path("configMapKeyRef").path("key").asText().equals("START_AT")) env.put(name, START_AT);
            else fail("no sample value for the env " + name + ": " + e);
        }
        return env;
    }

    // ---------------------------------------------------------------- reading the manifests

    private static YAMLMapper mapper() {
        return new YAMLMapper();
    }

    static List<Manifest> manifests() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(KUBERNETES)) {
            files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no manifests under " + KUBERNETES);
        List<Manifest> all = new ArrayList<>();
        for (Path f : files) {
            try (MappingIterator<JsonNode> docs = mapper().readerFor(JsonNode.class).readValues(f.toFile())) {
                while (docs.hasNext()) {
                    JsonNode d = docs.next();
                    if (d != null && !d.isNull() && !d.isEmpty()) all.add(new Manifest(f, d));
                }
            }
        }
        return all;
    }

    /** The one manifest of {@code kind} (named {@code name}, unless null). */
    private static Manifest only(List<Manifest> all, String kind, String name) {
        List<Manifest> found = all.stream().filter(m -> m.kind().equals(kind) && (name == null || m.name().equals(name))).toList();
        assertEquals(1, found.size(), "one " + kind + (name == null ? "" : " " + name) + ": " + found.stream().map(Manifest::file).toList());
        return found.getFirst();
    }

    private static JsonNode podSpec(Manifest m) {
        return m.kind().equals("Pod") ? m.node().path("spec") : m.node().path("spec").path("template").path("spec");
    }

    private static JsonNode container(JsonNode podSpec) {
        assertEquals(1, podSpec.path("containers").size(), "one container");
        return podSpec.path("containers").get(0);
    }

    /** A port given by number or by the name of one of the container's ports. */
    private static int port(JsonNode container, JsonNode ref) {
        if (ref.canConvertToInt()) return ref.asInt();
        for (JsonNode p : container.path("ports")) if (p.path("name").asText().equals(ref.asText())) return p.path("containerPort").asInt();
        return fail("no port named " + ref);
    }

    /** The ReadWriteMany claim whose volume holds {@code path} in the container {@code c}. */
    private static String claim(List<Manifest> all, JsonNode pod, JsonNode c, String path) {
        for (JsonNode m : c.path("volumeMounts")) {
            String mount = m.path("mountPath").asText();
            if (!Path.of(path).startsWith(mount)) continue;
            for (JsonNode v : pod.path("volumes")) {
                if (!v.path("name").asText().equals(m.path("name").asText())) continue;
                String claim = v.path("persistentVolumeClaim").path("claimName").asText();
                Manifest pvc = only(all, "PersistentVolumeClaim", claim);
                assertTrue(stream(pvc.node().path("spec").path("accessModes")).anyMatch(a -> a.asText().equals("ReadWriteMany")),
                        claim + " is mounted on several nodes at once: ReadWriteMany");
                return claim;
            }
        }
        return fail(path + " is on no volume of its pod");
    }

    /** The MODULES the image's recipe builds into /app. */
    private static List<String> imageModules() throws IOException {
        Matcher m = Pattern.compile("(?m)^ARG MODULES=\"([^\"]*)\"").matcher(Files.readString(DOCKERFILE));
        assertTrue(m.find(), DOCKERFILE + " has ARG MODULES=\"...\"");
        return List.of(m.group(1).trim().split("\\s+"));
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> l = new ArrayList<>();
        array.forEach(l::add);
        return l.stream();
    }

    // ---------------------------------------------------------------- negative cases

    private static JsonNode agentContainer(List<Manifest> all) {
        return container(podSpec(only(all, "Job", "echo-agents")));
    }

    private static JsonNode serverContainer(List<Manifest> all) {
        return container(podSpec(only(all, "Deployment", "echo-server")));
    }

    /** Replaces the container's arg {@code from} (which must be there) by {@code to}. */
    private static void replaceArg(JsonNode container, String from, String to) {
        ArrayNode args = (ArrayNode) container.path("args");
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).asText().equals(from)) {
                args.set(i, TextNode.valueOf(to));
                return;
            }
        }
        fail("no arg " + from + " in " + args);
    }

    /** The manifests as they are pass; a copy edited by {@code edit} fails with {@code expected}, its message saying {@code because}. */
    private void assertFails(Class<? extends Throwable> expected, String because, Consumer<List<Manifest>> edit) throws Exception {
        List<Manifest> copy = manifests().stream().map(m -> new Manifest(m.file(), m.node().deepCopy())).toList();
        checkAll(copy);
        edit.accept(copy);
        Throwable t = assertThrows(Throwable.class, () -> checkAll(copy));
        assertInstanceOf(expected, t, "the edited manifests fail the check with " + expected.getSimpleName() + ", not: " + t);
        assertTrue(String.valueOf(t.getMessage()).contains(because), "the check fails saying '" + because + "', not: " + t.getMessage());
    }
}
