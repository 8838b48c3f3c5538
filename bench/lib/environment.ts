import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

/** The machine a result was measured on, written beside every result. */
export function machine(): { cpuModel: string; cores: number; totalMemoryGb: number; platform: string } {
  return {
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    totalMemoryGb: Math.round(os.totalmem() / 1e9),
    platform: `${os.platform()} ${os.release()}`,
  };
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Node's version and those of the named packages, as installed. */
export function versions(packages: string[]): Record<string, string> {
  return { node: process.version, ...Object.fromEntries(packages.map((name) => [name, packageVersion(name)])) };
}

/** The 1, 5 and 15 minute load averages now: other work on the machine skews every figure. */
export function loadAverage(): number[] {
  return os.loadavg().map((n) => Math.round(n * 100) / 100);
}
