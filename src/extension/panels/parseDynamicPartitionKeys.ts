// parseDynamicPartitionKeys: the keys a user typed into "Add partitions…".

/** Keys as typed: separated by commas or new lines, surrounding blanks dropped, each once, in the order given. */
export function parseDynamicPartitionKeys(text: string): string[] {
  const keys = text.split(/[,\n]/).map((k) => k.trim()).filter((k) => k !== '');
  return [...new Set(keys)];
}
