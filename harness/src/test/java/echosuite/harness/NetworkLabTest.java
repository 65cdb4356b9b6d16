package echosuite.harness;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --netns}: the namespaces and links are made as described and deleted without a trace. As
 * root with iproute2 (CI) they are made for real; elsewhere the lab refuses in one sentence.
 */
class NetworkLabTest {

    @Test
    void twoAgentsGetANamespaceAndALinkEachAndNothingIsLeftAfterwards() throws Exception {
        String why = NetworkLab.unavailable();
        if (why != null) {
            assertTrue(why.startsWith("--netns needs "), why);
            assertThrows(IllegalStateException.class, () -> NetworkLab.create(2));
            return;
        }
        String before = ip("netns", "list");
        String rootLinks = ip("-o", "link", "show");
        List<String> names;
        try (NetworkLab lab = NetworkLab.create(2)) {
            names = lab.namespaces();
            assertEquals(List.of(lab.serverNamespace(), lab.agentNamespace(1), lab.agentNamespace(2)), names);
            String listed = ip("netns", "list");
            names.forEach(n -> assertTrue(listed.contains(n), n + " in " + listed));
            String server = ip("-n", lab.serverNamespace(), "-o", "addr", "show");
            assertTrue(server.contains("inet 10.77.1.1/30") && server.contains("inet 10.77.2.1/30"), server);
            for (int i = 1; i <= 2; i++) {
                String agent = ip("-n", lab.agentNamespace(i), "-o", "addr", "show");
                assertTrue(agent.contains("inet " + lab.agentAddress(i) + "/30"), agent);
                assertFalse(agent.contains("10.77." + (3 - i) + "."), "agent " + i + " has only its own link: " + agent);
            }
            assertEquals(rootLinks, ip("-o", "link", "show"), "nothing is made in the machine's own namespace");
        }
        String after = ip("netns", "list");
        names.forEach(n -> assertFalse(after.contains(n), n + " deleted: " + after));
        assertEquals(before, after);
    }

    /** Runs {@code ip ARGS} and returns its output (bounded; a failure is an IOException with its output). */
    static String ip(String... args) throws IOException, InterruptedException {
        assertNotNull(NetworkLab.ipCommand());
        List<String> cmd = new java.util.ArrayList<>(List.of(NetworkLab.ipCommand().toString()));
        cmd.addAll(List.of(args));
        return NetworkLab.run(cmd);
    }
}
