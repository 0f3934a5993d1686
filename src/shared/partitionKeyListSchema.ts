// The schema of a PartitionKeyList as a message carries it: its own module, so the host's encoder does not bundle it.
import * as v from 'valibot';
import { exact, rule, safeCount, text } from './messageSchema';
import { decodedProblem, type PartitionKeyList } from './partitionKeyList';

const WHAT = 'must be an object {count, runs, text}';

export const partitionKeyList: v.GenericSchema<unknown, PartitionKeyList> = v.pipe(
  // valibot's objects take arrays too (their indexes as keys); a list is never one.
  v.custom<object>((raw) => typeof raw === 'object' && raw !== null && !Array.isArray(raw), WHAT),
  exact({ count: safeCount, runs: text, text }, 'must have exactly count, runs and text', WHAT),
  rule((list: PartitionKeyList) => decodedProblem(list, '')),
);
