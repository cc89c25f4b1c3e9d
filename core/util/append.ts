/** Appends to the list kept under `key`, creating it on first use. */
export function appendTo<V>(record: Record<string, V[]>, key: string, value: V): void {
  const list = record[key];
  if (list) list.push(value);
  else record[key] = [value];
}
