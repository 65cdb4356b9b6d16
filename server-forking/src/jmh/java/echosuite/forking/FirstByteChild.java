package echosuite.forking;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;

/**
 * The program of the child JVM that {@link ChildJvmFirstByte} starts: it writes one byte to
 * its standard output and exits. It stands for the first thing a forked handler does once its
 * {@code main} runs (the first echo), so the time to that byte is the JVM's start-up price.
 *
 * <p>It writes to file descriptor 1 directly, without {@code System.out}'s charset encoder, so
 * that the byte leaves as soon as {@code main} is entered.
 */
public final class FirstByteChild {

    /** The byte the child writes; the parent checks it to know the child really ran. */
    public static final int FIRST_BYTE = '!';

    private FirstByteChild() { }

    public static void main(String[] args) throws IOException {
        try (FileOutputStream out = new FileOutputStream(FileDescriptor.out)) {
            out.write(FIRST_BYTE);
        }
    }
}
