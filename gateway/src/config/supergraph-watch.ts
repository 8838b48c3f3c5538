import { readFile } from 'node:fs/promises';
import { unwatchFile, watchFile } from 'node:fs';
import type { Logger } from '@commerce/service-kit';

/** How often the file's modification time is compared; a deploy is not that hurried. */
const intervalMs = 1_000;

/**
 * Reloads the supergraph whenever its file changes (a deploy writes a newly
 * composed one), without a restart and without dropping live subscriptions.
 * A file that does not load is logged and the current supergraph stays.
 * Polling rather than fs.watch: it survives editors and deploys that replace
 * the file instead of writing into it. Returns the function that stops watching.
 */
export function watchSupergraph(path: string, current: string, reload: (supergraphSdl: string) => Promise<void>, logger: Logger): () => void {
  let loaded = current;
  let pending = Promise.resolve();
  const onChange = () => {
    pending = pending.then(async () => {
      let supergraphSdl: string;
      try {
        supergraphSdl = await readFile(path, 'utf8');
      } catch (error) {
        logger.error({ err: error, supergraph: path }, 'could not read the changed supergraph; keeping the current one');
        return;
      }
      if (supergraphSdl === loaded) return;
      try {
        await reload(supergraphSdl);
        loaded = supergraphSdl;
        logger.info({ supergraph: path }, 'supergraph reloaded');
      } catch (error) {
        logger.error({ err: error, supergraph: path }, 'the changed supergraph does not load; keeping the current one');
      }
    });
  };
  watchFile(path, { interval: intervalMs, persistent: false }, onChange);
  return () => unwatchFile(path, onChange);
}
