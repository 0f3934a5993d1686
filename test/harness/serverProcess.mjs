// Starts a VS Code / code-server process in its own session and ends its whole process group.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';

/** A free loopback TCP port (PORT in the environment wins, so a fixed port can be forced). */
export function freePort() {
  if (process.env.PORT) return Promise.resolve(Number(process.env.PORT));
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function groupAlive(pid) {
  try { process.kill(-pid, 0); return true; } catch { return false; }
}

/**
 * Spawns command in a new session (detached = setsid(2)) with output to logFile. Killing only the
 * server leaves its file watcher and extension host behind, so stop() signals the process group.
 */
export function startServerProcess(command, args, { logFile, env = process.env } = {}) {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(command, args, { detached: true, stdio: ['ignore', out, out], env });
  fs.closeSync(out);
  const pid = child.pid;
  let exitCode = null;
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => { exitCode = code ?? signal; resolve(exitCode); }));
  child.on('error', (e) => fs.appendFileSync(logFile, `\n[harness] spawn ${command} failed: ${e.message}\n`));
  // Last resort when the runner dies abruptly: never leave a server group running.
  const killOnExit = () => { if (pid && groupAlive(pid)) try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ } };
  process.on('exit', killOnExit);
  async function stop() {
    process.off('exit', killOnExit);
    if (!pid || !groupAlive(pid)) return;
    try { process.kill(-pid, 'SIGTERM'); } catch { return; }
    for (let i = 0; i < 50 && groupAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    if (groupAlive(pid)) try { process.kill(-pid, 'SIGKILL'); } catch { /* raced with its exit */ }
  }
  return { pid, exited, stop, get exitCode() { return exitCode; } };
}

/** Polls url until it answers 2xx; fails early with the log tail if the server process exits. */
export async function waitForHttp(url, server, logFile, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited (${server.exitCode}) before ${url} answered:\n${tail(logFile)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`server at ${url} did not answer within ${timeoutMs / 1000}s:\n${tail(logFile)}`);
}

export function tail(file, lines = 30) {
  try { return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n'); } catch { return `(no log at ${file})`; }
}
