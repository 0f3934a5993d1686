// The schema of a PartitionKeyList as a message carries it: its own module, so the host's encoder does not bundle it.
import * as v from 'valibot';
import { exact, safeCount, text } from './messageSchema';
import { decodedProblem, type PartitionKeyList } from './partitionKeyList';

export const partitionKeyList: v.GenericSchema<unknown, PartitionKeyList> = v.pipe(
  exact({ count: safeCount, runs: text, text }, 'must have exactly count, runs and text', 'must be an object {count, runs, text}'),
  v.rawCheck(({ dataset, addIssue }) => {
    const problem = dataset.typed ? decodedProblem(dataset.value, '') : null;
    if (problem) addIssue({ message: problem });
  }),
);
