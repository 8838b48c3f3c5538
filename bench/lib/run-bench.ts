/**
 * Runs a bench's `main` and exits: with the exit code it set (a failed check sets 1 and still
 * writes its report), or 1 when it threw. Exiting at once also ends what its children or open
 * sockets would otherwise keep alive.
 */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(process.exitCode ?? 0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
