/**
 * The forking server, {@code echo_storeserv.c} in Java: the classes to read beside the C listing,
 * in the order its {@code main} runs. Java has no {@code fork()}, so each child here is a JVM
 * of its own, started with {@code posix_spawn}; the rest keeps the C program's shape.
 *
 * <ol>
 * <li>{@link echosuite.forking.ForkingServer}: {@code main(argc, argv)} and the usage check;
 *     {@link echosuite.forking.ForkingOptions} holds the options beyond {@code <port>}.</li>
 * <li>{@link echosuite.forking.ForkingModel#start}: the body of {@code main}, step by step in the
 *     C order below.</li>
 * <li>{@link echosuite.forking.Reaper}: {@code sigaction(SIGCHLD, &act, 0)} and the handler
 *     {@code read_childproc}'s {@code waitpid(-1, &status, WNOHANG)}, as a thread blocked in
 *     {@code waitpid}.</li>
 * <li>{@link echosuite.forking.ListeningSocket}: {@code socket(PF_INET, SOCK_STREAM, 0)},
 *     {@code bind(serv_sock, ...)}, {@code listen(serv_sock, 5)}.</li>
 * <li>{@link echosuite.forking.LoggerSupervisor}: {@code pipe(fds); pid = fork();} for the
 *     logger, and the parent keeping it alive (the C program does not).</li>
 * <li>{@link echosuite.forking.LoggerProcess}: the logger child's branch,
 *     {@code if (pid == 0) { fp = fopen("echomsg.txt", "wt"); for (...) { read(fds[0], ...);
 *     fwrite(...); } }}.</li>
 * <li>{@link echosuite.forking.ProcessPerClientServer}: the parent's
 *     {@code while (1) { clnt_sock = accept(serv_sock, ...); pid = fork(); ... close(clnt_sock); }}.</li>
 * <li>{@link echosuite.forking.ChildLauncher}: the {@code fork()} itself, as
 *     {@code posix_spawn} with the descriptors each child keeps ({@code clnt_sock},
 *     {@code fds[1]}) and no others; {@link echosuite.forking.Posix} binds those calls through
 *     FFM.</li>
 * <li>{@link echosuite.forking.HandlerProcess}: the handler child's branch,
 *     {@code close(serv_sock); while ((str_len = read(clnt_sock, buf, BUF_SIZE)) > 0) {
 *     write(clnt_sock, buf, str_len); write(fds[1], buf, str_len); }}.</li>
 * <li>{@link echosuite.forking.HandlerChildren}: what the C parent leaves to the SIGCHLD handler
 *     (a child that ends, reported if it failed) and what it lacks (ending the children at
 *     shutdown); {@link echosuite.forking.RestartBackoff} paces the restart of a child that
 *     keeps dying.</li>
 * </ol>
 *
 * <p>The extras, which the course program does not have, each in a package of its own:
 * <ul>
 * <li>{@link echosuite.forking.frames}: the pipe carries checksummed frames no larger than
 *     {@code PIPE_BUF} instead of raw bytes, and the shared counters page;</li>
 * <li>{@link echosuite.forking.spares}: warm spare children, handed the accepted client with
 *     {@code SCM_RIGHTS};</li>
 * <li>{@link echosuite.forking.prefork}: {@code --prefork}, a fixed pool of children that accept
 *     by themselves, and their scoreboard;</li>
 * <li>{@link echosuite.forking.aot}: training the children's AOT cache;</li>
 * <li>{@link echosuite.forking.relay}: the handler children's standard output and error, passed
 *     on by the parent a line at a time, so a storm of failing children is reported once.</li>
 * </ul>
 */
package echosuite.forking;
