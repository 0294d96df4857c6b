// Where the CPU went during a measured run, read from /proc (Linux): the server under test, PostgreSQL's
// processes, the load generator (this process) and everything else on the machine. The machine is shared
// with other work, so "everything else" tells whether a run was disturbed.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

export interface CpuSnapshot {
  at: bigint;
  /** CPU seconds all cores spent busy since boot; NaN without /proc. */
  machine: number;
  server: number;
  /** CPU seconds of each running `postgres` process, by pid. */
  postgres: Map<string, number>;
  load: number;
}

/** Shares of one core over the interval between two snapshots. */
export interface CpuShares {
  server: number;
  postgres: number;
  load: number;
  other: number;
}

let clockTicks: number | undefined;

function ticks(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** [command name, CPU seconds (user + system, all threads)] of one process. */
function processStat(pid: number | string): [string, number] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // @NOTE the command name (field 2) may hold spaces, so count the other fields from its closing parenthesis.
  const close = stat.lastIndexOf(')');
  const fields = stat.slice(close + 2).split(' ');
  return [stat.slice(stat.indexOf('(') + 1, close), (Number(fields[11]) + Number(fields[12])) / ticks()];
}

/** CPU seconds (user + system, all threads) a process has used so far; NaN when it cannot be read. */
export function processSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    return processStat(pid)[1];
  } catch {
    return Number.NaN;
  }
}

function postgresSeconds(): Map<string, number> {
  const byPid = new Map<string, number>();
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const [name, seconds] = processStat(entry);
        if (name === 'postgres') byPid.set(entry, seconds);
      } catch {
        // the process ended while we looked
      }
    }
  } catch {
    // no /proc: nothing to count
  }
  return byPid;
}

/**
 * CPU the `postgres` processes used between two snapshots. A process that started in between counts
 * whole; one that ended is lost (so this may undercount, but never goes negative).
 */
function postgresDelta(before: Map<string, number>, after: Map<string, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += Math.max(0, seconds - (before.get(pid) ?? 0));
  return total;
}

/** How many cores the whole machine keeps busy over `ms` milliseconds (NaN without /proc). */
export async function machineBusyCores(ms: number): Promise<number> {
  const before = machineSeconds();
  const from = process.hrtime.bigint();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return (machineSeconds() - before) / (Number(process.hrtime.bigint() - from) / 1e9);
}

function machineSeconds(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / ticks();
  } catch {
    return Number.NaN;
  }
}

export function snapshot(serverPid: number | undefined): CpuSnapshot {
  const load = process.cpuUsage();
  return {
    at: process.hrtime.bigint(),
    machine: machineSeconds(),
    server: processSeconds(serverPid),
    postgres: postgresSeconds(),
    load: (load.user + load.system) / 1e6,
  };
}

export function shares(before: CpuSnapshot, after: CpuSnapshot): CpuShares {
  const wall = Number(after.at - before.at) / 1e9;
  const server = (after.server - before.server) / wall;
  const postgres = postgresDelta(before.postgres, after.postgres) / wall;
  const load = (after.load - before.load) / wall;
  const machine = (after.machine - before.machine) / wall;
  return { server, postgres, load, other: Math.max(0, machine - server - postgres - load) };
}

/** The 1, 5 and 15-minute load averages, as a hint of how busy the machine was. */
export function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'n/a';
  }
}
