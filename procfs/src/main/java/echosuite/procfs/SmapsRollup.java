package echosuite.procfs;

/**
 * One process's memory from {@code /proc/PID/smaps_rollup}: its mappings summed, exact to the
 * page (read from the page tables, unlike {@link ProcStatus#vmRssBytes}).
 *
 * @param rssBytes  resident set size, bytes: every resident page the process maps, shared or not
 * @param pssBytes  proportional set size, bytes: each resident page divided by the number of
 *                  processes mapping it, so summing PSS over processes counts shared pages once;
 *                  {@code pssBytes <= rssBytes}
 */
public record SmapsRollup(long rssBytes, long pssBytes) {

    /** A zombie's: its {@code smaps_rollup} is empty, it holds no memory any more. */
    public static final SmapsRollup NONE = new SmapsRollup(0, 0);

    /** Parses the file's lines; {@code null} if it has no {@code Rss:} line (a zombie's is empty). */
    static SmapsRollup parse(Iterable<String> lines) {
        long rss = -1, pss = -1;
        for (String line : lines) {
            if (line.startsWith("Rss:")) rss = kibAsBytes(line);
            else if (line.startsWith("Pss:")) pss = kibAsBytes(line);
        }
        if (rss < 0) return null;
        return new SmapsRollup(rss, pss >= 0 ? pss : rss);
    }

    /** "Rss:      123456 kB" → bytes. */
    private static long kibAsBytes(String line) {
        return Long.parseLong(line.trim().split("\\s+")[1]) * 1024;
    }
}
