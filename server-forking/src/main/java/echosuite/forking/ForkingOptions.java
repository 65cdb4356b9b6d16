package echosuite.forking;

import echosuite.forking.aot.AotCacheTrainer;
import echosuite.forking.prefork.Scoreboard;
import echosuite.runtime.ServerOptions;

import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** The forking server's own options, beside the common {@code ServerOptions}. */
public final class ForkingOptions {

    /** File name of the handler child's AOT cache, looked for beside the server's jar. */
    public static final String AOT_CACHE_NAME = "server-forking-child.aot";

    @Option(names = "--max-children", paramLabel = "N", defaultValue = "256",
            description = "Handler processes alive at once; at the limit the parent stops accepting and new clients wait in the listen backlog until a child ends (default: ${DEFAULT-VALUE}).")
    int maxChildren;

    /** {@code --spares} when not given, chosen by measurement (docs/models.md). */
    static final int DEFAULT_SPARES = 2;
    /** Round trips a spare runs through its own echo loop before it is ready (docs/models.md). */
    static final int SPARE_WARM_UP_MESSAGES = 500;

    @Option(names = "--spares", paramLabel = "N",
            description = "Keep N handler processes started, warmed up and idle; an accepted client is handed to one over a Unix-domain socket (SCM_RIGHTS) and a replacement starts in the background; with none idle a process is started on accept. 0: start every process on accept, as echo_storeserv.c does (default: " + DEFAULT_SPARES + "; not with --prefork).")
    Integer spares;

    @Option(names = "--prefork", paramLabel = "N", defaultValue = "0",
            description = "Start N long-lived handler processes that share the listening socket and each serve one connection at a time (Apache prefork); 0: one process per connection (default: ${DEFAULT-VALUE}).")
    public int prefork;

    @Option(names = "--max-connections-per-child", paramLabel = "K", defaultValue = "0",
            description = "With --prefork: a child exits after K connections and a fresh one replaces it; 0: never (default: ${DEFAULT-VALUE}).")
    long maxConnectionsPerChild;

    @Option(names = "--aot-cache", paramLabel = "FILE",
            description = "AOT cache for the handler processes' JVMs; default: " + AOT_CACHE_NAME
                    + " beside the server's jar, made in the background on the first start (and after a rebuild).")
    Path aotCache;

    @Option(names = "--no-aot-cache", description = "Start handler processes without an AOT cache.")
    boolean noAotCache;

    /** Checks ranges; returns a sentence describing the first problem, or null. */
    String problem() {
        if (maxChildren < 1) return "--max-children must be at least 1, got " + maxChildren + ".";
        if (prefork < 0 || prefork > Scoreboard.MAX_CHILDREN) {
            return "--prefork must be between 0 and " + Scoreboard.MAX_CHILDREN + ", got " + prefork + ".";
        }
        if (spares != null && (spares < 0 || spares > maxChildren)) {
            return "--spares must be between 0 and --max-children (" + maxChildren + "), got " + spares + ".";
        }
        if (spares != null && spares > 0 && prefork > 0) return "--spares and --prefork are two ways to start children ahead of time; choose one.";
        if (maxConnectionsPerChild < 0) return "--max-connections-per-child must be 0 or more, got " + maxConnectionsPerChild + ".";
        if (maxConnectionsPerChild > 0 && prefork == 0) return "--max-connections-per-child needs --prefork.";
        if (aotCache != null && !Files.isRegularFile(aotCache)) return "--aot-cache " + aotCache + " is not a file.";
        return null;
    }

    /** Spares to keep: {@code --spares}, else the default (at most {@code --max-children}); none with {@code --prefork}. */
    int spares() {
        if (prefork > 0) return 0;
        return spares != null ? spares : Math.min(DEFAULT_SPARES, maxChildren);
    }

    /** The AOT cache the handler children start with now, or null for none (yet). */
    Path aotCache() {
        if (noAotCache) return null;
        if (aotCache != null) return aotCache.toAbsolutePath();
        Path jar = jarPath();
        if (jar == null) return null;
        Path beside = jar.resolveSibling(AOT_CACHE_NAME);
        return AotCacheTrainer.isFresh(beside, jar) ? beside : null;
    }

    /** The AOT cache to make in the background: the default one when it is missing or older than the jar; else null. */
    Path aotCacheToMake() {
        if (noAotCache || aotCache != null) return null;
        Path jar = jarPath();
        if (jar == null) return null;                       // running from classes (tests): no cache
        Path beside = jar.resolveSibling(AOT_CACHE_NAME);
        return AotCacheTrainer.isFresh(beside, jar) ? null : beside;
    }

    /** The jar this class was loaded from, or null when it runs from a classes directory. */
    static Path jarPath() {
        try {
            Path p = Path.of(ForkingOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(p) ? p.toAbsolutePath() : null;
        } catch (Exception e) {
            return null;
        }
    }
}
