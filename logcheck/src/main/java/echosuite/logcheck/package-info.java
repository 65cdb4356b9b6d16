/**
 * The log checker: a server's log file against what its clients sent. {@link
 * echosuite.logcheck.LogVerifier} checks records byte for byte against known streams (the tests);
 * {@link echosuite.logcheck.SequencedLogVerifier} checks the load generator's numbered messages
 * without keeping them. Used by the load generator ({@code --verify-log}) and the tests.
 */
package echosuite.logcheck;
