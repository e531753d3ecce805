import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/**
 * A process's start time, as an opaque string that identifies it together with its pid. A pid alone is not an
 * identity: after a crash the OS may hand the same pid to an unrelated process, so every kill of a remembered
 * pid first checks the start time. Linux reads /proc; macOS (no /proc, and no parent-death signal, so reaping
 * at the next start is what cleans up after a killed daemon) asks `ps`; Windows asks PowerShell.
 */
export function procStartTime(pid: number): Promise<string | undefined> {
  if (process.platform === 'linux') return procStatStartTime(pid);
  if (process.platform === 'win32') return windowsStartTime(pid);
  return psStartTime(pid);
}

/** Runs a command and resolves with its trimmed stdout, or undefined on any failure. */
function output(cmd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 5000, windowsHide: true }, (err, stdout) => resolve(err ? undefined : stdout.trim() || undefined));
  });
}

/** `ps -o lstart=` (BSD and procps alike): the start time to the second, e.g. "Sun Nov 29 09:02:08 2026". */
export function psStartTime(pid: number): Promise<string | undefined> {
  return output('ps', ['-o', 'lstart=', '-p', String(pid)]);
}

function windowsStartTime(pid: number): Promise<string | undefined> {
  return output('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', `(Get-Process -Id ${pid}).StartTime.ToUniversalTime().ToString('o')`]);
}

async function procStatStartTime(pid: number): Promise<string | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: parse after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // rest[0] is field 3 (state); starttime is field 22.
    return rest[19];
  } catch {
    return undefined;
  }
}

export async function procCmdline(pid: number): Promise<string[] | undefined> {
  try {
    const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return raw.split('\0').filter((s) => s.length > 0);
  } catch {
    return undefined;
  }
}

/** True while the pid exists and is not a zombie. */
export async function isRunning(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

/** Signals the process group first (the child is a session leader, so its own helpers go too), then the pid. */
export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
    return;
  } catch {
    // Not a group leader (or already gone): fall back to the pid itself.
  }
  try {
    process.kill(pid, sig);
  } catch {
    // Already exited.
  }
}
