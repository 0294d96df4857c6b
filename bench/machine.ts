// What the benchmark ran on, for BENCHMARKS.md. Read before the process pins itself to one core, since
// `nproc` counts only the cores a process may use.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem, type as osType } from 'node:os';

export interface Machine {
  cores: number;
  cpuModel: string;
  memory: string;
  os: string;
  node: string;
}

function nproc(): number {
  try {
    return Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
  } catch {
    return cpus().length;
  }
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.split(':').slice(1).join(':').trim();
  } catch {
    // not Linux: fall back to what Node reports
  }
  return cpus()[0]?.model ?? 'unknown';
}

export function describeMachine(): Machine {
  return {
    cores: nproc(),
    cpuModel: cpuModel(),
    memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    os: `${osType()} ${release()}`,
    node: process.version,
  };
}
