/**
 * The life of a server process, shared by every model so that each server module holds only its
 * model: {@link echosuite.runtime.ServerRunner} (options checked, log opened, {@code listening on},
 * SIGTERM, the 5-second shutdown and the summary line), the options
 * ({@link echosuite.runtime.ServerOptions}), the logger thread ({@link echosuite.runtime.RecordLog}),
 * the counters, and the blocking per-client loop ({@link echosuite.runtime.BlockingConnection}) of
 * the models that give each client its own flow of control.
 */
package echosuite.runtime;
