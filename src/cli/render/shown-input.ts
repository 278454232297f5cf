/**
 * An input string as `validate` echoes it: as typed, between single quotes,
 * so that backslash escapes read as written (`'\x41'`, not `"\\x41"`); in
 * bash's $'...' form, where a backslash is doubled, only when it holds a
 * control character or a quote that a plain quote cannot show. A line
 * longer than ECHO_MAX characters is cut there, with its length.
 */

/** Characters echoed of one input: past the kernel's 1920-byte register limit, the rest says nothing more. */
export const ECHO_MAX = 200;

const CONTROL_NAMES: Record<string, string> = { '\n': '\\n', '\t': '\\t', '\r': '\\r' };

export function shownInput(text: string): string {
  const cut = text.length > ECHO_MAX ? text.slice(0, ECHO_MAX) : text;
  const more = cut === text ? '' : `… (${text.length} characters in all)`;
  if (!/[\x00-\x1f\x7f']/.test(cut)) return `'${cut}'${more}`;
  const escaped = [...cut]
    .map((c) => {
      if (c === '\\' || c === "'") return `\\${c}`;
      const code = c.charCodeAt(0);
      if (code < 0x20 || code === 0x7f) return CONTROL_NAMES[c] ?? `\\x${code.toString(16).padStart(2, '0')}`;
      return c;
    })
    .join('');
  return `$'${escaped}'${more}`;
}
