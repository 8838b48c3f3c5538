import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.resolve(__dirname, '..');

/** Starts a service entry point as operators do, with a bad environment; resolves with how it ended. */
async function start(entry: string, env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  try {
    await run(process.execPath, ['--import', 'tsx', entry], { cwd: root, env: { PATH: process.env.PATH, APOLLO_TELEMETRY_DISABLED: 'true', ...env }, timeout: 60_000 });
    return { code: 0, stderr: '' };
  } catch (error) {
    const failed = error as { code?: number; stderr?: string };
    return { code: failed.code ?? -1, stderr: failed.stderr ?? '' };
  }
}

describe('a bad configuration', () => {
  it.each([
    ['the gateway', 'gateway/src/index.ts', { SUBGRAPH_USERS_URL: 'users:4001' }, ['SUBGRAPH_USERS_URL']],
    ['a subgraph', 'subgraphs/catalog/src/index.ts', { DATABASE_URL: 'not a url' }, ['DATABASE_URL']],
  ])('stops %s with a non-zero exit, naming every problem in one message', async (_name, entry, extra, named) => {
    const { code, stderr } = await start(entry, { PORT: 'eighty', LOG_LEVEL: 'loud', SHUTDOWN_TIMEOUT_MS: '-1', ...extra });
    expect(code).not.toBe(0);
    for (const variable of ['PORT', 'LOG_LEVEL', 'SHUTDOWN_TIMEOUT_MS', ...named]) expect(stderr).toContain(variable);
    expect(stderr.match(/Invalid configuration/g)).toHaveLength(1);
  });
});
