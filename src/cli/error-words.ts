/**
 * A BinfmtError in the CLI's words: its message and fix (src/core/fix.ts
 * parts) with options and commands spelled as the CLI spells them, the fix
 * in parentheses after the message, and its field as the option's word when
 * it names one (`--state-dir`).
 */
import type { BinfmtError } from '../core/binfmt-error.js';
import { renderFix } from './fix-command.js';
import { optionWord } from './option-words.js';

export interface ErrorWords {
  message: string;
  field: string | null;
}

export function errorWords(e: BinfmtError): ErrorWords {
  const fix = e.fix ? ` (${renderFix(e.fix, [])})` : '';
  return {
    message: renderFix(e.words, []) + fix,
    field: e.option !== undefined ? optionWord(e.option) : (e.field ?? null),
  };
}
