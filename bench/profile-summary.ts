// Summarises a V8 .cpuprofile (from `node --cpu-prof`): where the samples fall by area (our source folders,
// each npm package, Node internals, GC, idle), the functions with the most self time, and the functions of
// src/ with the most inclusive time. Also runnable alone: `npx tsx bench/profile-summary.ts <file>`.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A stretch of the profile to look at alone (µs on the monotonic clock `process.hrtime` also reads). */
export interface ProfileWindow {
  name: string;
  fromUs: number;
  toUs: number;
  /** Requests answered in the window, to express time per request. */
  requests: number;
}

function area(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] as string;
  const own = /\/(src\/[^/]+(?:\/[^/]+)?)\//.exec(url);
  if (own) return own[1] as string;
  const file = /\/(src\/[^/]+)$/.exec(url);
  if (file) return file[1] as string;
  if (url.startsWith('node:')) return 'node internals';
  return url.replace(/^file:\/\//, '');
}

/**
 * Paddock's code: its sources (through tsx) or the bundle `paddock serve` runs (dist/paddock.js: src/ and the
 * packages bundled with it, Fastify and Kysely among them, with their function names kept).
 */
const OWN_CODE = /\/src\/|\/dist\/paddock\.js$/;

function frameKey(frame: CallFrame): string {
  const file = frame.url.replace(/^file:\/\/.*?\/(node_modules|src|dist)\//, '$1/').replace(/^file:\/\//, '');
  return `${frame.functionName || '(anonymous)'} ${file}${file ? `:${frame.lineNumber + 1}` : ''}`;
}

function top(map: Map<string, number>, total: number, count: number, requests: number | undefined): string[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, micros]) => {
      const perRequest = requests ? `  ${(micros / requests).toFixed(1).padStart(6)} µs/req` : '';
      return `  ${((micros / total) * 100).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(6)} ms${perRequest}  ${name}`;
    });
}

/** The whole profile, or only the samples taken inside `window`. */
export function summariseProfile(file: string, window?: ProfileWindow, count = 40): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const selfByArea = new Map<string, number>();
  const selfByFunction = new Map<string, number>();
  const inclusiveOwn = new Map<string, number>();
  let total = 0;
  let idle = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    at += delta;
    if (window && (at < window.fromUs || at > window.toUs)) return;
    const node = byId.get(id);
    if (!node) return;
    total += delta;
    if (node.callFrame.functionName === '(idle)') idle += delta;
    const a = area(node.callFrame.url, node.callFrame.functionName);
    selfByArea.set(a, (selfByArea.get(a) ?? 0) + delta);
    const key = frameKey(node.callFrame);
    selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + delta);
    const seen = new Set<string>();
    for (let up: number | undefined = id; up !== undefined; up = parent.get(up)) {
      const frame = byId.get(up)!.callFrame;
      if (!OWN_CODE.test(frame.url)) continue;
      const k = frameKey(frame);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusiveOwn.set(k, (inclusiveOwn.get(k) ?? 0) + delta);
    }
  });

  if (total === 0) return window ? `no samples inside the window of ${window.name}` : 'no samples';
  const busy = total - idle;
  // @NOTE a process that sat idle through the window was not the one under load then.
  if (window && busy < total * 0.05) return `no samples: idle through the window of ${window.name}`;
  const requests = window?.requests;
  return [
    `${window ? `${window.name}: ` : ''}sampled ${(total / 1e6).toFixed(1)} s, busy ${(busy / 1e6).toFixed(1)} s (${((busy / total) * 100).toFixed(0)}%)` +
      (requests ? `, ${requests} requests, ${(busy / requests).toFixed(1)} µs busy per request` : ''),
    'self time by area:',
    ...top(selfByArea, total, count, requests),
    'self time by function:',
    ...top(selfByFunction, total, count, requests),
    'inclusive time of functions of src/ or of the bundle (dist/paddock.js):',
    ...top(inclusiveOwn, total, count, requests),
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const file of process.argv.slice(2)) console.log(summariseProfile(file));
}
