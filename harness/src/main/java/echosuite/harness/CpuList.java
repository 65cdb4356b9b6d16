package echosuite.harness;

import echosuite.cli.UsageError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * A set of CPU numbers, written in taskset's list syntax: {@code 0}, {@code 0-3}, {@code 0,2,4},
 * {@code 0-1,4}. Kept sorted and without repeats; {@link #text()} writes runs back as ranges.
 *
 * @param cpus the CPU numbers, ascending, each once
 */
record CpuList(List<Integer> cpus) {

    private static final Pattern PART = Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?");
    /** Where Linux says which CPUs this process may run on (its affinity, as taskset set it). */
    static final Path STATUS = Path.of("/proc/self/status");

    CpuList {
        cpus = List.copyOf(new TreeSet<>(cpus));
    }

    static CpuList of(Integer... cpus) {
        return new CpuList(List.of(cpus));
    }

    /**
     * The list {@code text} names, which must be among {@code allowed}; a {@link UsageError} in one
     * sentence naming {@code option} otherwise.
     */
    static CpuList parse(String text, String option, CpuList allowed) {
        CpuList list = parse(text, option);
        List<Integer> missing = list.cpus.stream().filter(c -> !allowed.cpus.contains(c)).toList();
        if (!missing.isEmpty()) throw new UsageError(option + " " + text + " names " + (missing.size() == 1 ? "CPU " : "CPUs ")
                + new CpuList(missing).text() + ", which this machine does not offer (its CPUs: " + allowed.text() + ").");
        return list;
    }

    /** The list {@code text} names, unchecked against the machine; a {@link UsageError} if it is not a list. */
    static CpuList parse(String text, String option) {
        List<Integer> cpus = new ArrayList<>();
        for (String part : text.strip().split(",", -1)) {
            Matcher m = PART.matcher(part.strip());
            if (!m.matches()) throw new UsageError(option + " '" + text + "' is not a CPU list such as 0, 0-3 or 0,2,4.");
            int from = Integer.parseInt(m.group(1));
            int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
            if (to < from) throw new UsageError(option + " '" + text + "' has the range " + part.strip()
                    + ", which runs backwards; write " + to + "-" + from + ".");
            IntStream.rangeClosed(from, to).forEach(cpus::add);
        }
        return new CpuList(cpus);
    }

    /**
     * The CPUs this process may run on: {@code Cpus_allowed_list} of /proc/self/status (the online
     * CPUs, less any taskset or cpuset put the harness itself under), else CPUs 0 to
     * {@code availableProcessors() - 1}.
     */
    static CpuList allowed() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("Cpus_allowed_list:")) return parse(line.substring(line.indexOf(':') + 1), "Cpus_allowed_list");
            }
        } catch (IOException | UsageError e) {
            // not Linux, or a form we do not read: fall through
        }
        return new CpuList(IntStream.range(0, Runtime.getRuntime().availableProcessors()).boxed().toList());
    }

    int size() {
        return cpus.size();
    }

    boolean isEmpty() {
        return cpus.isEmpty();
    }

    /** Its first {@code n} CPUs (all of them if it has fewer). */
    CpuList first(int n) {
        return new CpuList(cpus.subList(0, Math.min(n, cpus.size())));
    }

    /** Its CPUs from the {@code n}th on. */
    CpuList from(int n) {
        return new CpuList(cpus.subList(Math.min(n, cpus.size()), cpus.size()));
    }

    /** Its CPUs that are not in {@code other}. */
    CpuList without(CpuList other) {
        return new CpuList(cpus.stream().filter(c -> !other.cpus.contains(c)).toList());
    }

    /** Its CPUs that are in {@code other} too. */
    CpuList shared(CpuList other) {
        return new CpuList(cpus.stream().filter(other.cpus::contains).toList());
    }

    /** In taskset's syntax, runs as ranges: {@code 0-3,6}, {@code 0-1}, {@code 0,2,4}. */
    String text() {
        StringBuilder s = new StringBuilder();
        int i = 0;
        while (i < cpus.size()) {
            int j = i;
            while (j + 1 < cpus.size() && cpus.get(j + 1) == cpus.get(j) + 1) j++;
            if (!s.isEmpty()) s.append(',');
            s.append(cpus.get(i));
            if (j > i) s.append('-').append(cpus.get(j));
            i = j + 1;
        }
        return s.toString();
    }

    /** "CPU 0" or "CPUs 0-3". */
    String words() {
        return (size() == 1 ? "CPU " : "CPUs ") + text();
    }

    @Override
    public String toString() {
        return text();
    }
}
