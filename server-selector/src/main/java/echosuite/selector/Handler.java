package echosuite.selector;

import java.nio.channels.SelectionKey;

/**
 * What a {@link Reactor} finds attached to a ready {@link SelectionKey} and runs: Lea's
 * {@code dispatch(k) { Runnable r = (Runnable) k.attachment(); r.run(); }}. In the C
 * {@code select()} server this is the {@code if (i == serv_sock) ... else ...} inside the
 * {@code FD_ISSET} loop; here each socket carries its own handler instead.
 *
 * <p>Both methods run only on the reactor's thread.
 */
sealed interface Handler permits Acceptor, Connection {

    /** The channel is ready for the operations in {@code key.readyOps()}. Never blocks. */
    void ready(SelectionKey key);

    /** The server is stopping: stop taking input; finish what is owed (see {@link Reactor#stop}). */
    void stop();

    /** The shutdown deadline has passed: release the channel now. */
    void abort();
}
