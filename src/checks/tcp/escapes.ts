const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  '0': '\0',
  '\\': '\\',
};

/**
 * Decodes the escapes people type on a command line (`\n`, `\r`, `\t`, `\0`, `\\`, `\xHH`) so
 * `--send 'PING\r\n'` sends a real CRLF. Unknown escapes are kept literally.
 */
export function decodeEscapes(text: string): string {
  return text.replace(/\\(x[0-9a-fA-F]{2}|[nrt0\\])/g, (_whole, code: string) =>
    code.startsWith('x')
      ? String.fromCharCode(parseInt(code.slice(1), 16))
      : (SIMPLE_ESCAPES[code] ?? code),
  );
}
