// Mocha entry the extension host loads (extensionTestsPath): runs the bundled *.test.js beside it for this pass
// (BACKFILL_INTEGRATION_PASS): those under untrusted/ for `untrusted`, those under reload/ for `reload`, those under
// multiRoot/ for `multiRoot`, every other one for `trusted`. The reload pass has two phases, one per extension host: see reloadPhases.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { reloadPhase } from './reloadPhases';

// The harness reads this last line to decide the result when the web workbench never reports the exit code.
function printSummary(passed: number, failed: number, skipped: number): void {
  console.log(`integration: ${passed} passed, ${failed} failed` + (skipped > 0 ? `, ${skipped} skipped` : ''));
}

const PASS_FOLDERS = ['untrusted', 'reload', 'multiRoot'];

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60000 });
  if (process.env.MOCHA_GREP) mocha.grep(process.env.MOCHA_GREP);
  const pass = process.env.BACKFILL_INTEGRATION_PASS ?? (process.env.BACKFILL_INTEGRATION_TRUST === 'untrusted' ? 'untrusted' : 'trusted');
  const untrusted = pass === 'untrusted';
  return new Promise((resolve, reject) => {
    try {
      // A pass whose trust is not what it claims would test nothing it names: stop it before any test runs.
      if (vscode.workspace.isTrusted === untrusted) {
        throw new Error(`the ${pass} pass runs in a workspace that is ${vscode.workspace.isTrusted ? '' : 'not '}trusted`);
      }
      const phase = pass === 'reload' ? reloadPhase() : undefined;
      // Each reload phase is one story in steps: the first must not reload after a failure, nor the second wait on
      // a backfill no one adopted.
      if (phase) mocha.bail(true);
      const files = fs.readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
        .filter((f) => {
          if (!f.endsWith('.test.js')) return false;
          const [top, sub] = f.split(/[\\/]/);
          if (pass === 'trusted') return !PASS_FOLDERS.includes(top!);
          return top === pass && (!phase || sub === phase.folder);
        })
        .sort();
      for (const f of files) mocha.addFile(path.join(__dirname, f));
      const failedTitles: string[] = [];
      const runner = mocha.run((failures) => {
        const stats = runner.stats;
        // Named again just above the summary, so the tail of a CI log says which tests failed.
        for (const line of failedTitles) console.log(line);
        // Tests of an earlier phase passed in an extension host that is gone: counted here, where the pass ends.
        const passed = (stats?.passes ?? 0) + (phase?.passedBefore ?? 0);
        phase?.recordEnd(passed, failures);
        printSummary(passed, failures, stats?.pending ?? 0);
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
        else if (passed === 0) reject(new Error(`no integration test ran (${files.length} file(s) in ${__dirname}, MOCHA_GREP=${process.env.MOCHA_GREP ?? ''})`));
        else resolve();
      });
      if (phase) runner.on('pass', () => phase.recordPass());
      runner.on('fail', (test, error: unknown) => {
        const message = String((error as Error | undefined)?.message ?? error).split('\n')[0]!.slice(0, 300);
        failedTitles.push(`FAILED integration (${pass}): ${test.fullTitle()}: ${message}`);
      });
    } catch (e) {
      // A test file that throws while loading never reaches mocha's reporter: report it and still end with the summary.
      console.error('integration: loading the test files failed:', e);
      printSummary(0, 1, 0);
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
}
