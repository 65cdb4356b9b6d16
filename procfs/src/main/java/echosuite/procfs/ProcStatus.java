package echosuite.procfs;

/**
 * The lines of one {@code /proc/PID/status} the suite uses. The kernel keeps RSS there as
 * counters updated lazily (it may lag by a few pages); {@link SmapsRollup} walks the page tables
 * and is exact, but costs more to read.
 *
 * @param threads       {@code Threads:}
 * @param vmRssBytes    {@code VmRSS:}, resident memory now, bytes (the kernel gives KiB; always a
 *                      multiple of 1024); 0 for a zombie, which has no such line
 * @param vmHwmBytes    {@code VmHWM:}, the peak of resident memory so far, bytes; {@code >= vmRssBytes}
 *                      when both are read at once, as here; 0 for a zombie
 */
public record ProcStatus(int threads, long vmRssBytes, long vmHwmBytes) {

    static ProcStatus parse(Iterable<String> lines) {
        int threads = 0;
        long rss = 0, hwm = 0;
        for (String line : lines) {
            if (line.startsWith("Threads:")) threads = (int) number(line);
            else if (line.startsWith("VmRSS:")) rss = number(line) * 1024;
            else if (line.startsWith("VmHWM:")) hwm = number(line) * 1024;
        }
        return new ProcStatus(threads, rss, hwm);
    }

    /** "VmRSS:     123456 kB" → 123456. */
    private static long number(String line) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).trim().split("\\s+")[0]);
    }
}
