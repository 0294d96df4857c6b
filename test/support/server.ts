// The server as users start it (`node bin/paddock.mjs serve`, what `npm start` and `npx paddock` run), for the
// end-to-end tests: a child process on a free port, answered once it has printed its start-up lines.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export const PADDOCK_BIN = new URL('../../bin/paddock.mjs', import.meta.url).pathname;

export interface RunningServer {
  child: ChildProcessWithoutNullStreams;
  /** Every line the process printed so far (stdout split into lines; stderr chunks as they came). */
  lines: string[];
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Settles when the process exits. */
  exited: Promise<void>;
}

/**
 * Starts `paddock serve` with `env` added to this process's environment (`PORT=0`: a free port) and answers once it
 * has printed its last start-up line (the live API key's). Rejects when it exits first or takes over `timeoutMs`.
 */
export function startServer(env: Record<string, string>, timeoutMs = 60_000): Promise<RunningServer> {
  const child = spawn(process.execPath, [PADDOCK_BIN, 'serve'], { env: { ...process.env, PORT: '0', ...env } });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines: string[] = [];
  let buffer = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${lines.join('\n')}`)), timeoutMs);
    child.stderr.on('data', (chunk) => lines.push(String(chunk)));
    child.stdout.on('data', (chunk) => {
      buffer += String(chunk);
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      lines.push(...parts);
      if (lines.some((line) => line.startsWith('live API key'))) {
        clearTimeout(timer);
        const port = Number(/listening on http:\/\/[^:]+:(\d+)/.exec(lines.join('\n'))?.[1]);
        resolve({ child, lines, port, url: `http://127.0.0.1:${port}`, exited });
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${lines.join('\n')}`)));
  });
}
