package echosuite.cli;

import picocli.CommandLine;

/** picocli version provider of every command: the jar manifest's Implementation-Version. */
public final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[] {"${COMMAND-NAME} " + (v == null ? "(development build)" : v)
                + ", echo-with-logging protocol 1, Java " + Runtime.version()};
    }
}
