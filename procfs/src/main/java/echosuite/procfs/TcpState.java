package echosuite.procfs;

/**
 * A TCP socket's state as the kernel's socket tables ({@code /proc/net/tcp}, {@code tcp6}) give
 * it: the {@code st} column, a hexadecimal number that is the order of the states in the kernel's
 * {@code include/net/tcp_states.h}.
 */
public enum TcpState {
    ESTABLISHED, SYN_SENT, SYN_RECV, FIN_WAIT1, FIN_WAIT2, TIME_WAIT, CLOSE, CLOSE_WAIT, LAST_ACK, LISTEN, CLOSING,
    NEW_SYN_RECV;

    /** The state of the {@code st} column: {@code "01"} is ESTABLISHED, {@code "0A"} LISTEN. */
    static TcpState ofColumn(String hex) {
        int code = Integer.parseInt(hex, 16);
        if (code < 1 || code > values().length) throw new IllegalArgumentException("no TCP state " + hex);
        return values()[code - 1];
    }
}
