package echosuite.procfs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The socket tables: lines as the kernel prints them, and this JVM's own sockets found in the
 * live tables by port or path and matched to its descriptors by inode.
 */
class SocketTablesTest {

    private final ProcFs proc = new ProcFs();
    private final long self = ProcessHandle.current().pid();

    @Test
    void anIpv4LineReadsAsAddressesPortsStateAndInode() throws Exception {
        TcpSocket s = TcpSocket.parse("   3: 0100007F:1F90 0200007F:C350 01 00000000:00000000 00:00000000 00000000  1000        0 98765 1 0 20 4 30 10 -1");
        assertEquals(new TcpSocket.Endpoint(InetAddress.getByName("127.0.0.1"), 8080), s.local());
        assertEquals(new TcpSocket.Endpoint(InetAddress.getByName("127.0.0.2"), 50000), s.remote());
        assertEquals(TcpState.ESTABLISHED, s.state());
        assertEquals(98765, s.inode());
        assertEquals("socket:[98765]", s.fdTarget());
    }

    @Test
    void ipv6LinesReadAsIpv6AndAnIpv4MappedAddressAsIpv4() throws Exception {
        TcpSocket loopback6 = TcpSocket.parse("   0: 00000000000000000000000001000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1 0 100 0 0 10 0");
        assertEquals(InetAddress.getByName("::1"), loopback6.local().address());
        assertEquals(80, loopback6.local().port());
        assertEquals(TcpState.LISTEN, loopback6.state());
        TcpSocket mapped = TcpSocket.parse("   1: 0000000000000000FFFF00000100007F:83C1 0000000000000000FFFF00000100007F:B106 08 00000000:00000000 00:00000000 00000000     0        0 4052112 3 0 20 4 1 18 -1");
        assertEquals(InetAddress.getByName("127.0.0.1"), mapped.local().address());
        assertEquals(0xB106, mapped.remote().port());
        assertEquals(TcpState.CLOSE_WAIT, mapped.state());
    }

    @Test
    void aUnixLineReadsAsInodeAndPathUnnamedAsEmpty() {
        assertEquals(new UnixSocket(4321, "/run/a b.sock"),
                UnixSocket.parse("0000000012345678: 00000002 00000000 00010000 0001 01 4321 /run/a b.sock"));
        assertEquals(new UnixSocket(1057, ""), UnixSocket.parse("0000000043611498: 00000003 00000000 00000000 0001 03  1057"));
    }

    @Test
    void thisJvmsListenerAndBothEndsOfItsConnectionAreInTheTableAndInItsDescriptors() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
             Socket served = listener.accept()) {
            int port = listener.getLocalPort();
            List<TcpSocket> table = proc.tcpSockets();
            List<String> fds = proc.fdTargets(self);

            TcpSocket listening = only(table.stream().filter(s -> s.local().port() == port && s.state() == TcpState.LISTEN).toList());
            assertEquals(InetAddress.getLoopbackAddress(), listening.local().address());
            TcpSocket serverEnd = only(table.stream()
                    .filter(s -> s.local().port() == port && s.remote().port() == client.getLocalPort()).toList());
            assertEquals(TcpState.ESTABLISHED, serverEnd.state());
            TcpSocket clientEnd = only(table.stream()
                    .filter(s -> s.local().port() == client.getLocalPort() && s.remote().port() == port).toList());
            for (TcpSocket s : List.of(listening, serverEnd, clientEnd)) {
                assertTrue(fds.contains(s.fdTarget()), s + " is one of this JVM's descriptors: " + fds);
            }
            assertEquals(served.getPort(), serverEnd.remote().port());
        }
    }

    @Test
    void aBoundUnixSocketIsInTheTableByItsPathAndInThisJvmsDescriptors(@TempDir Path dir) throws IOException {
        Path path = dir.resolve("t.sock");
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(path));
            UnixSocket bound = only(proc.unixSockets().stream().filter(s -> s.path().equals(path.toString())).toList());
            assertTrue(proc.fdTargets(self).contains("socket:[" + bound.inode() + "]"), bound.toString());
        }
    }

    private static <T> T only(List<T> found) {
        assertEquals(1, found.size(), found.toString());
        return found.getFirst();
    }
}
