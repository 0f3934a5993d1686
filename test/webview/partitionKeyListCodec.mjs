// The real PartitionKeyList codec (src/shared/partitionKeyList.ts) for the browser tests and the bench, bundled on import.
import * as esbuild from 'esbuild';
import * as path from 'node:path';

const source = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../src/shared/partitionKeyList.ts');
const { outputFiles } = await esbuild.build({ entryPoints: [source], bundle: true, write: false, format: 'esm', platform: 'neutral', logLevel: 'warning' });
const codec = await import(`data:text/javascript;base64,${Buffer.from(outputFiles[0].text).toString('base64')}`);

/** @type {(keys: readonly string[]) => { count: number, runs: string, text: string }} */
export const encodePartitionKeyList = codec.encodePartitionKeyList;
export const decodePartitionKeyList = codec.decodePartitionKeyList;
/** The codec's source, bundled as a script that defines `partitionKeyListCodec` (for page.addInitScript or evaluate). */
export async function partitionKeyListCodecScript() {
  const { outputFiles: out } = await esbuild.build({ entryPoints: [source], bundle: true, write: false, format: 'iife', globalName: 'partitionKeyListCodec', platform: 'browser', logLevel: 'warning' });
  return out[0].text;
}
