package echosuite.cli;

/**
 * A bad command line or environment: {@link ExitPolicy} prints its message as one sentence after
 * the command's name and exits with status 2.
 */
public final class UsageError extends RuntimeException {
    public UsageError(String sentence) {
        super(sentence, null, false, false);
    }
}
