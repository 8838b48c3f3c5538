import { cloneJson } from './json-clone';

/**
 * The read-only subgraph fetches of one client operation, kept for as long
 * as that operation runs, so that running it again in stages answers the
 * fetches an earlier stage made from memory. An operation with `@defer`
 * runs its primary part, then each deferred fragment together with what it
 * builds on (defer/); without this every stage would ask the subgraphs
 * again for the primary part's data, and could be answered differently.
 *
 * Each caller gets its own copy, because the executor merges into what it
 * receives.
 */
export class FetchReplay {
  private readonly answers = new Map<string, Promise<unknown>>();

  /** `key` names the fetch (subgraph, caller, body); `send` makes it when no earlier stage has. */
  async run<T>(key: string, send: () => Promise<T>): Promise<T> {
    let answer = this.answers.get(key);
    if (!answer) {
      answer = send();
      this.answers.set(key, answer);
      // A failed fetch is not remembered: the next stage may try again.
      answer.catch(() => this.answers.delete(key));
    }
    return cloneJson(await answer) as T;
  }
}
