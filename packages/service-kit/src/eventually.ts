/**
 * Retries `fn` until it resolves, for state that arrives asynchronously (events
 * reaching a read model, a saga moving on); rethrows the last error after
 * `timeoutMs`.
 */
export async function eventually<T>(fn: () => Promise<T>, timeoutMs = 20_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
