// How long Paddock takes to start as users start it (`node bin/paddock.mjs serve`, what `npm start` and
// `npx paddock` run): from spawning the process to the first 200 of `GET /healthz`, the CPU the process used to
// get there, and its resident memory once idle; and how long a CLI command (`paddock --help`) takes.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { processSeconds } from './cpu.js';
import { SERVER_CORE, freePort, hasTaskset, startNode } from './processes.js';

export interface StartupReport {
  runs: number;
  /** Median wall time from spawn to the first 200 of /healthz (ms). */
  readyMs: number;
  /** Median CPU (user + system, every thread) the process used until then (ms). */
  readyCpuMs: number;
  /** Median resident memory one second after the first answer, nothing else asked (MB). */
  idleRssMb: number;
  /** Median wall time of `paddock --help` (ms). */
  helpMs: number;
  /** Median wall time of `node -e 0`: Node's own start, the floor under both (ms). */
  nodeMs: number;
  /** Every run's wall time to ready (ms), in run order. */
  readyAll: number[];
}

const IDLE_MS = 1000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function residentMb(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) / 1024;
  } catch {
    return Number.NaN;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function oneStart(root: string, databaseUrl: string): Promise<{ ms: number; cpuMs: number; rssMb: number }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl };
  const started = performance.now();
  const child = startNode('paddock (start-up)', ['bin/paddock.mjs', 'serve'], env, SERVER_CORE, root);
  try {
    for (;;) {
      const ended = child.exitReason();
      if (ended) throw new Error(`start-up: ${ended}:\n${child.output.join('\n')}`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}/healthz`);
        await response.arrayBuffer();
        if (response.status === 200) break;
      } catch {
        // not listening yet
      }
      await sleep(2);
    }
    const ms = performance.now() - started;
    const cpuMs = processSeconds(child.process.pid) * 1000;
    await sleep(IDLE_MS);
    return { ms, cpuMs, rssMb: residentMb(child.process.pid) };
  } finally {
    await child.stop();
  }
}

function timedRun(root: string, args: string[]): number {
  const command = hasTaskset() ? 'taskset' : process.execPath;
  const full = hasTaskset() ? ['-c', String(SERVER_CORE), process.execPath, ...args] : args;
  const started = performance.now();
  const result = spawnSync(command, full, { cwd: root, stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited with ${result.status}`);
  return performance.now() - started;
}

/**
 * Starts Paddock `runs` times on one SQLite file (migrated by a first, uncounted start, which also builds the
 * bundle if needed) and reports the medians.
 */
export async function measureStartup(root: string, databaseUrl: string, runs: number): Promise<StartupReport> {
  await oneStart(root, databaseUrl);
  const starts: Array<{ ms: number; cpuMs: number; rssMb: number }> = [];
  for (let n = 0; n < runs; n += 1) starts.push(await oneStart(root, databaseUrl));
  const help = Array.from({ length: runs }, () => timedRun(root, ['bin/paddock.mjs', '--help']));
  const node = Array.from({ length: runs }, () => timedRun(root, ['-e', '0']));
  return {
    runs,
    readyMs: median(starts.map((s) => s.ms)),
    readyCpuMs: median(starts.map((s) => s.cpuMs)),
    idleRssMb: median(starts.map((s) => s.rssMb)),
    helpMs: median(help),
    nodeMs: median(node),
    readyAll: starts.map((s) => s.ms),
  };
}
