/**
 * Field-by-field comparison of two entries (enabled and name are not compared):
 * what `register` checks after reading an entry back, and what a plan shows
 * for a changed entry ("flags: kernel has OP, config has OPF").
 */
import { toHex, type Entry } from './entry.js';

export interface FieldDifference {
  field: 'type' | 'interpreter' | 'flags' | 'offset' | 'magic' | 'mask' | 'extension';
  a: string | number | null;
  b: string | number | null;
}

export function entryDifferences(a: Entry, b: Entry): FieldDifference[] {
  const out: FieldDifference[] = [];
  const cmp = (field: FieldDifference['field'], x: string | number | null, y: string | number | null): void => {
    if (x !== y) out.push({ field, a: x, b: y });
  };
  cmp('type', a.type, b.type);
  cmp('interpreter', a.interpreter, b.interpreter);
  cmp('flags', a.flags, b.flags);
  if (a.type === 'magic' && b.type === 'magic') {
    cmp('offset', a.offset, b.offset);
    cmp('magic', toHex(a.magic), toHex(b.magic));
    cmp('mask', toHex(a.mask), toHex(b.mask));
  } else if (a.type === 'extension' && b.type === 'extension') {
    cmp('extension', a.extension, b.extension);
  }
  return out;
}

export function describeDifference(d: FieldDifference, aName = 'expected', bName = 'got'): string {
  const show = (v: string | number | null): string => (v === null || v === '' ? '(none)' : String(v));
  return `${d.field}: ${aName} ${show(d.a)}, ${bName} ${show(d.b)}`;
}
