import { unwatchFile, watchFile } from 'node:fs';
import type { Logger } from '@commerce/service-kit';
import { ClientRegistry } from './clients';

const intervalMs = 1_000;

/**
 * The client configuration in force, reloaded when its file or one of the
 * manifests it names changes: new keys, rotations, modes and listed
 * operations apply to the next request, without a restart and without
 * touching live subscriptions (which were admitted when they started). A
 * change that does not load is logged and the configuration in force stays.
 */
export class ClientPolicies {
  private watched: readonly string[] = [];
  private pending = Promise.resolve();

  private constructor(
    private registry: ClientRegistry,
    private readonly file: string,
    private readonly logger: Logger,
  ) {}

  /** Loads `file` (failing at start-up if it does not load) and watches it. */
  static async watch(file: string, logger: Logger): Promise<ClientPolicies> {
    const policies = new ClientPolicies(await ClientRegistry.load(file), file, logger);
    policies.rewatch();
    return policies;
  }

  readonly current = (): ClientRegistry => this.registry;

  stop(): void {
    for (const file of this.watched) unwatchFile(file, this.onChange);
    this.watched = [];
  }

  private readonly onChange = (): void => {
    this.pending = this.pending.then(async () => {
      try {
        this.registry = await ClientRegistry.load(this.file);
        this.logger.info({ clients: this.file }, 'client configuration reloaded');
      } catch (error) {
        this.logger.error({ err: error, clients: this.file }, 'the changed client configuration does not load; keeping the current one');
      }
      // The manifests it names may have changed too.
      this.rewatch();
    });
  };

  private rewatch(): void {
    this.stop();
    this.watched = this.registry.files;
    for (const file of this.watched) watchFile(file, { interval: intervalMs, persistent: false }, this.onChange);
  }
}
