import { readFileSync } from 'node:fs';

export interface SocketLimits {
  /** `ulimit -n` of this process, which the gateway process inherits: every socket is a descriptor. */
  openFiles: { soft: number | null; hard: number | null };
  /** The local ports a client socket to one address and port can take; null off Linux. */
  ephemeralPorts: { from: number; to: number } | null;
}

function readOr<T>(file: string, parse: (text: string) => T | null): T | null {
  try {
    return parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** What bounds how many sockets one process, and one client address, can hold (Linux's /proc). */
export function socketLimits(): SocketLimits {
  const openFiles = readOr('/proc/self/limits', (text) => {
    const match = /^Max open files\s+(\S+)\s+(\S+)/m.exec(text);
    const value = (raw: string | undefined) => (raw === undefined || raw === 'unlimited' ? null : Number(raw));
    return match ? { soft: value(match[1]), hard: value(match[2]) } : null;
  });
  const ephemeralPorts = readOr('/proc/sys/net/ipv4/ip_local_port_range', (text) => {
    const [from, to] = text.trim().split(/\s+/).map(Number);
    return from && to ? { from, to } : null;
  });
  return { openFiles: openFiles ?? { soft: null, hard: null }, ephemeralPorts };
}

/** Why `sockets` more sockets would not fit, or null when they would (with room for the process' other descriptors). */
export function socketShortfall(limits: SocketLimits, sockets: number): string | null {
  const spare = 512;
  const { soft } = limits.openFiles;
  if (soft !== null && sockets + spare > soft) return `ulimit -n is ${soft}; ${sockets} sockets need about ${sockets + spare}`;
  const ports = limits.ephemeralPorts;
  if (ports && sockets + spare > ports.to - ports.from + 1) return `only ${ports.to - ports.from + 1} ephemeral ports (${ports.from}–${ports.to})`;
  return null;
}
