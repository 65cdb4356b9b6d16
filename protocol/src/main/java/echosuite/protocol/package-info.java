/**
 * The echo-with-logging protocol every server of the suite speaks (docs/protocol.md): how a byte
 * stream is cut into log records ({@link echosuite.protocol.RecordFramer}, into a
 * {@link echosuite.protocol.RecordBatch}), the {@code summary} line a server prints on exit
 * ({@link echosuite.protocol.Summary}), and the message format the load generator sends and the
 * log checker reads ({@link echosuite.protocol.SequencedMessage}). What a server process does
 * around its model is in {@code server-runtime}; checking a log is in {@code logcheck}.
 */
package echosuite.protocol;
