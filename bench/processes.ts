// Child processes for the benchmark: each server runs in its own process pinned to one core, and every
// child started here is stopped again, even when the run fails or is interrupted.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

export const SERVER_CORE = 0;
export const LOAD_CORE = 1;

let tasksetAvailable: boolean | undefined;

export function hasTaskset(): boolean {
  if (tasksetAvailable === undefined) {
    try {
      execFileSync('taskset', ['-V'], { stdio: 'ignore' });
      tasksetAvailable = true;
    } catch {
      tasksetAvailable = false;
    }
  }
  return tasksetAvailable;
}

/** Pins this process (every thread, and so every thread it starts later) to one core; false if it cannot. */
export function pinSelf(core: number): boolean {
  if (!hasTaskset()) return false;
  try {
    execFileSync('taskset', ['-a', '-c', '-p', String(core), String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface Child {
  name: string;
  process: ChildProcess;
  /** Every line the child printed so far (stdout and stderr). */
  output: string[];
  /** Resolves with the first match of `pattern` in a printed line; rejects if the child exits first or after `ms`. */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
  /** Why the child ended, or undefined while it runs. */
  exitReason(): string | undefined;
  stop(): Promise<void>;
}

const running = new Set<Child>();

/** Starts `node <nodeArgs…>` pinned to `core` (when taskset exists) in the repository root. */
export function startNode(name: string, nodeArgs: string[], env: NodeJS.ProcessEnv, core: number, cwd: string): Child {
  const command = hasTaskset() ? 'taskset' : process.execPath;
  const args = hasTaskset() ? ['-c', String(core), process.execPath, ...nodeArgs] : nodeArgs;
  // @NOTE taskset execs node in place, so the child's pid is the server's own and signals reach it directly.
  const proc = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (m: RegExpMatchArray) => void }> = [];
  let exited: string | undefined;
  const exitListeners: Array<(reason: string) => void> = [];

  const onLine = (line: string) => {
    output.push(line);
    for (const waiter of [...waiters]) {
      const match = waiter.pattern.exec(line);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  };
  createInterface({ input: proc.stdout! }).on('line', onLine);
  createInterface({ input: proc.stderr! }).on('line', onLine);

  let stopping = false;
  const exitedPromise = new Promise<void>((resolve) => {
    proc.once('exit', (code, signal) => {
      exited = `${name} exited (${signal ?? `code ${code}`})`;
      if (!stopping) console.error(`${exited} unexpectedly; its last lines:\n${output.slice(-30).join('\n')}`);
      for (const listener of exitListeners) listener(exited);
      resolve();
    });
  });

  const child: Child = {
    name,
    process: proc,
    output,
    waitFor(pattern, ms = 30_000) {
      const seen = output.map((line) => pattern.exec(line)).find((m) => m);
      if (seen) return Promise.resolve(seen);
      if (exited) return Promise.reject(new Error(`${exited} before printing ${pattern}:\n${output.join('\n')}`));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${name} did not print ${pattern} within ${ms} ms:\n${output.join('\n')}`)),
          ms,
        );
        waiters.push({
          pattern,
          resolve: (match) => {
            clearTimeout(timer);
            resolve(match);
          },
        });
        exitListeners.push((reason) => {
          clearTimeout(timer);
          reject(new Error(`${reason} before printing ${pattern}:\n${output.join('\n')}`));
        });
      });
    },
    exitReason: () => exited,
    async stop() {
      running.delete(child);
      stopping = true;
      if (exited) return;
      proc.kill('SIGTERM');
      const killTimer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exitedPromise;
      clearTimeout(killTimer);
    },
  };
  running.add(child);
  return child;
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => child.stop()));
}

/** Last resort on an abrupt exit: no waiting is possible, so kill what is left. */
export function killAllNow(): void {
  for (const child of running) {
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
  }
  running.clear();
}
