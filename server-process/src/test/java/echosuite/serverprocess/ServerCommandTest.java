package echosuite.serverprocess;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The command lines for everything {@code bench/servers.sh} starts, and the options' places in them. */
class ServerCommandTest {

    private static final Path ROOT = Path.of("/p");
    private static final Path LOG = Path.of("/tmp/log.txt");
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @Test
    void aProjectServerWithItsModeTakesPortAndLogAfterTheMode() {
        assertEquals(List.of(JAVA, "-Xmx1g", "-jar", "/p/server-forking/target/server-forking.jar", "--prefork", "8",
                        "--port", "0", "--log", "/tmp/log.txt", "--max-line", "16"),
                ServerCommand.named(ROOT, "forking --prefork 8").jvmOptions(List.of("-Xmx1g")).log(LOG).args("--max-line", "16").argv());
    }

    @Test
    void anchorsTakeShortOptionsAndEpollRunsOneThread() {
        assertEquals(List.of("/p/target/anchors/c/fork_server", "-p", "0", "-l", "/tmp/log.txt"),
                ServerCommand.named(ROOT, "c:fork_server").log(LOG).argv());
        assertEquals(List.of("/p/target/anchors/c/epoll_server", "-t", "1", "-p", "0", "-l", "/tmp/log.txt"),
                ServerCommand.named(ROOT, "c:epoll_server").log(LOG).argv());
        assertEquals(List.of("/usr/bin/java", "-jar", "/p/target/anchors/netty-echo/target/netty-echo.jar", "-p", "7", "-l", "/tmp/log.txt"),
                ServerCommand.named(ROOT, "netty").java(Path.of("/usr/bin/java")).port(7).log(LOG).argv());
        assertEquals(List.of("/p/target/anchors/c/select_server", "-p", "0", "-l", "/tmp/log.txt"),
                ServerCommand.named(ROOT, "c:select_server").java(Path.of("/usr/bin/java")).log(LOG).argv(),
                "a native server has no JVM to choose");
    }

    @Test
    void pinningComesFirstAndTheShellExecsTheServerWithItsWordsUntouched() {
        assertEquals(List.of("/usr/bin/taskset", "-c", "1", "bash", "-c", "ulimit -n 64 && echo $$ > '/cg/cgroup.procs' && exec \"$@\"", "bash",
                        "/p/target/anchors/c/thread_server", "-p", "0", "-l", "/tmp/a b.txt"),
                ServerCommand.named(ROOT, "c:thread_server").log(Path.of("/tmp/a b.txt")).pinnedTo(1)
                        .openFileLimit(64).shellFirst("echo $$ > '/cg/cgroup.procs'").argv());
    }

    @Test
    void withoutALogOnlyTheGivenArgumentsArePassed() {
        assertEquals(List.of(JAVA, "-jar", "/p/server-threaded/target/server-threaded.jar", "--port", "x"),
                ServerCommand.project(ROOT, "threaded").args("--port", "x").argv());
    }
}
