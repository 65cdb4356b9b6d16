package echosuite.procfs;

/**
 * The fields of one {@code /proc/PID/stat} line the suite uses (see proc(5)). CPU times are in
 * clock ticks of {@link ProcFs#USER_HZ} per second, as the kernel gives them; the methods convert
 * them to microseconds.
 *
 * @param pid          the process
 * @param ppid         its parent (field 4)
 * @param state        field 3: {@code R} running, {@code S} sleeping, {@code D} disk wait,
 *                     {@code Z} zombie (exited, not reaped yet), {@code T} stopped, ...
 * @param utimeTicks   user time of the process itself, ticks (field 14)
 * @param stimeTicks   system time of the process itself, ticks (field 15)
 * @param cutimeTicks  user time of its exited children it has waited for, ticks (field 16)
 * @param cstimeTicks  system time of its exited children it has waited for, ticks (field 17)
 * @param threads      number of threads (field 20)
 */
public record ProcStat(long pid, long ppid, char state, long utimeTicks, long stimeTicks,
                       long cutimeTicks, long cstimeTicks, int threads) {

    /** Exited but not reaped by its parent: it holds no memory and no descriptors any more. */
    public boolean zombie() {
        return state == 'Z';
    }

    /** CPU time (user + system) of the process itself, all its threads, in microseconds. */
    public long cpuMicros() {
        return ProcFs.ticksToMicros(utimeTicks + stimeTicks);
    }

    /**
     * {@link #cpuMicros} plus what its exited children used once it reaped them, in microseconds:
     * so a parent's short-lived children that are gone are not lost.
     */
    public long cpuMicrosWithReapedChildren() {
        return ProcFs.ticksToMicros(utimeTicks + stimeTicks + cutimeTicks + cstimeTicks);
    }

    /** Parses one {@code /proc/PID/stat} line. */
    static ProcStat parse(String line) {
        // The command name (field 2) is in parentheses and may hold spaces and ')'; the fixed
        // fields start after the last ')'.
        int close = line.lastIndexOf(')');
        long pid = Long.parseLong(line.substring(0, line.indexOf(' ')));
        String[] f = line.substring(close + 2).split(" ");
        // f[0] is field 3 (state), so field N is f[N - 3].
        return new ProcStat(pid, Long.parseLong(f[1]), f[0].charAt(0),
                Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14]),
                Integer.parseInt(f[17]));
    }
}
