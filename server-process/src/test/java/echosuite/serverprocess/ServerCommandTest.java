package echosuite.serverprocess;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The command lines the options make: where the JVM options, the mode, the port and log, the pinning and the shell go. */
class ServerCommandTest {

    private static final Path LOG = Path.of("/tmp/log.txt");
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @Test
    void aJarWithItsModeTakesJvmOptionsBeforeAndPortAndLogAfterTheMode() {
        assertEquals(List.of(JAVA, "-Xmx1g", "-jar", "/p/server-forking.jar", "--prefork", "8",
                        "--port", "0", "--log", "/tmp/log.txt", "--max-line", "16"),
                ServerCommand.jar(Path.of("/p/server-forking.jar"), List.of("--prefork", "8")).jvmOptions(List.of("-Xmx1g"))
                        .log(LOG).args("--max-line", "16").argv());
    }

    @Test
    void aMainClassRunsOnTheGivenJavaAndPort() {
        assertEquals(List.of("/usr/bin/java", "--enable-native-access=ALL-UNNAMED", "-cp", "a.jar:b.jar", "x.Main",
                        "--port", "7", "--log", "/tmp/log.txt"),
                ServerCommand.mainClass("a.jar:b.jar", "x.Main", List.of("--enable-native-access=ALL-UNNAMED"))
                        .java(Path.of("/usr/bin/java")).port(7).log(LOG).argv());
    }

    @Test
    void anyCommandLineIsTakenAsItIsAndNoJavaIsAddedToIt() {
        List<String> anchor = List.of("/p/target/anchors/c/epoll_server", "-t", "1", "-p", "0", "-l", "/tmp/log.txt");
        assertEquals(anchor, ServerCommand.of(anchor).java(Path.of("/usr/bin/java")).jvmOptions(List.of("-Xmx1g")).argv());
    }

    @Test
    void pinningComesFirstAndTheShellExecsTheServerWithItsWordsUntouched() {
        assertEquals(List.of("/usr/bin/taskset", "-c", "1", "bash", "-c", "ulimit -n 64 && echo $$ > '/cg/cgroup.procs' && exec \"$@\"", "bash",
                        "/p/thread_server", "-p", "0", "-l", "/tmp/a b.txt"),
                ServerCommand.of(List.of("/p/thread_server", "-p", "0", "-l", "/tmp/a b.txt")).pinnedTo("1")
                        .openFileLimit(64).shellFirst("echo $$ > '/cg/cgroup.procs'").argv());
    }

    @Test
    void aNetworkNamespaceIsEnteredBeforeThePinningAndTheServersWords() {
        assertEquals(List.of("/usr/sbin/ip", "netns", "exec", "es1-srv", "/usr/bin/taskset", "-c", "0", "/p/c-select", "--port", "0",
                        "--log", "/tmp/x.log", "--bind", "0.0.0.0"),
                ServerCommand.of(List.of("/p/c-select", "--port", "0", "--log", "/tmp/x.log")).args("--bind", "0.0.0.0").pinnedTo("0")
                        .inNetworkNamespace(Path.of("/usr/sbin/ip"), "es1-srv").argv());
    }

    @Test
    void withoutALogOnlyTheGivenArgumentsArePassed() {
        assertEquals(List.of(JAVA, "-jar", "/p/server-threaded.jar", "--port", "x"),
                ServerCommand.jar(Path.of("/p/server-threaded.jar"), List.of()).args("--port", "x").argv());
    }
}
