/** "1 entry", "2 entries", "0 errors": a number with the noun in the right form. */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
