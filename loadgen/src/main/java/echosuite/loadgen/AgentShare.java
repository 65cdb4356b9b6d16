package echosuite.loadgen;

/**
 * {@code --agent I/N}: agent {@code I} (1-based) of {@code N} load generators driving one server
 * together. The run's connections are numbered {@code 0 .. C-1} as if one generator ran them all;
 * agent {@code I} takes those with {@code c mod N == I-1}. So the shares are disjoint, sum to
 * {@code C} and differ by at most one, and an agent's connection ids are
 * {@code --first-connection-id + (I-1) + k·N}: unique across agents, whatever each opens (churn
 * opens new connections all the time), so the server's log can be checked against all agents'
 * messages together. Every connection of every agent sends at the same rate {@code R / C}, so
 * agent {@code I}'s rate is {@code R · share / C}: the shares add up to {@code R} (up to the
 * rounding of doubles, about 1e-15 relative; nothing is rounded to whole messages).
 *
 * @param index 1-based, at most {@code count}
 * @param count agents in all, at least 1
 */
record AgentShare(int index, int count) {

    /** The lone generator of an ordinary run: everything is its share. */
    static final AgentShare ALONE = new AgentShare(1, 1);

    AgentShare {
        if (count < 1 || index < 1 || index > count) throw new IllegalArgumentException("agent " + index + "/" + count);
    }

    /** Parses "I/N"; throws IllegalArgumentException with a sentence saying what is wrong. */
    static AgentShare parse(String text) {
        String[] parts = text.strip().split("/", -1);
        int i, n;
        try {
            if (parts.length != 2) throw new NumberFormatException();
            i = Integer.parseInt(parts[0].strip());
            n = Integer.parseInt(parts[1].strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--agent takes I/N, this agent's number and the number of agents (e.g. 2/3), not '" + text + "'.");
        }
        if (n < 1 || i < 1 || i > n) {
            throw new IllegalArgumentException("--agent I/N needs 1 <= I <= N (e.g. 2/3 is the second of three agents), got " + text.strip() + ".");
        }
        return new AgentShare(i, n);
    }

    /** Of the items {@code 0 .. total-1}, how many are this agent's ({@code item mod N == I-1}). */
    long of(long total) {
        if (total <= index - 1) return 0;
        return (total - index) / count + 1;
    }

    /** This agent's share of {@code total} connections. */
    int connections(int total) {
        return (int) of(total);
    }

    /** This agent's share of a rate of {@code rate} over {@code connections} connections in all. */
    double rate(double rate, int connections) {
        return rate * of(connections) / connections;
    }

    /**
     * This agent's share of {@code messages} messages spread over {@code connections} connections
     * as one generator would spread them (connection {@code c} sends {@code messages / C}, one more
     * if {@code c < messages mod C}).
     */
    long messages(long messages, int connections) {
        return of(connections) * (messages / connections) + of(messages % connections);
    }

    /** The id of this agent's first connection, when the run's ids start at {@code firstId}. */
    long firstId(long firstId) {
        return firstId + index - 1;
    }

    /** "2/3" */
    @Override
    public String toString() {
        return index + "/" + count;
    }
}
