import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';

/** Who a process is: its id is `host:pid:random`, so it can be read back from a BullMQ worker's name. */
export interface ProcessIdentity {
  id: string;
  host: string;
  pid: number;
}

/** This process's identity (a random part, so a restarted process with a reused pid is another one). */
export function newProcessIdentity(): ProcessIdentity {
  // Colons separate the parts; a host name never has one, spaces are not allowed in Redis client names.
  const host = hostname().replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64) || 'host';
  const id = `${host}:${process.pid}:${randomBytes(3).toString('hex')}`;
  return { id, host, pid: process.pid };
}

/** Reads an identity back from its id; null when the id is not one of ours. */
export function parseProcessId(id: string): ProcessIdentity | null {
  const match = /^([A-Za-z0-9._-]+):(\d+):[0-9a-f]+$/.exec(id);
  return match ? { id, host: match[1], pid: Number(match[2]) } : null;
}
