// Mocha entry the extension host loads (extensionTestsPath): runs the bundled *.test.js beside it for this pass,
// those under untrusted/ when BACKFILL_INTEGRATION_TRUST=untrusted, every other one otherwise.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

// The harness reads this last line to decide the result when the web workbench never reports the exit code.
function printSummary(passed: number, failed: number, skipped: number): void {
  console.log(`integration: ${passed} passed, ${failed} failed` + (skipped > 0 ? `, ${skipped} skipped` : ''));
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60000 });
  if (process.env.MOCHA_GREP) mocha.grep(process.env.MOCHA_GREP);
  const untrusted = process.env.BACKFILL_INTEGRATION_TRUST === 'untrusted';
  return new Promise((resolve, reject) => {
    try {
      // A pass whose trust is not what it claims would test nothing it names: stop it before any test runs.
      if (vscode.workspace.isTrusted === untrusted) {
        throw new Error(`the ${untrusted ? 'untrusted' : 'trusted'} pass runs in a workspace that is ${vscode.workspace.isTrusted ? '' : 'not '}trusted`);
      }
      const files = fs.readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.test.js') && (f.split(/[\\/]/)[0] === 'untrusted') === untrusted)
        .sort();
      for (const f of files) mocha.addFile(path.join(__dirname, f));
      const runner = mocha.run((failures) => {
        const stats = runner.stats;
        const passed = stats?.passes ?? 0;
        printSummary(passed, failures, stats?.pending ?? 0);
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
        else if (passed === 0) reject(new Error(`no integration test ran (${files.length} file(s) in ${__dirname}, MOCHA_GREP=${process.env.MOCHA_GREP ?? ''})`));
        else resolve();
      });
    } catch (e) {
      // A test file that throws while loading never reaches mocha's reporter: report it and still end with the summary.
      console.error('integration: loading the test files failed:', e);
      printSummary(0, 1, 0);
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
}
