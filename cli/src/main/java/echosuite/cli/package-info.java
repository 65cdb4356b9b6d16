/**
 * The exit policy every command of the suite follows ({@link echosuite.cli.ExitPolicy}: 0 done,
 * 1 failed, 2 bad usage as one sentence), and the version line of their {@code --version}.
 */
package echosuite.cli;
