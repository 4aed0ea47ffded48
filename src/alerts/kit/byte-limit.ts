/**
 * Renders text within a byte limit for providers that count UTF-8 bytes (ntfy's message
 * limit, APNs payloads): `render(limit)` produces text of at most `limit` characters, and the
 * limit shrinks until the bytes fit. Multi-byte text (emoji, CJK) needs a few rounds at most.
 */
export function fitBytes(render: (charLimit: number) => string, maxBytes: number): string {
  let limit = maxBytes;
  let text = render(limit);
  for (let round = 0; round < 8; round += 1) {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes <= maxBytes) return text;
    limit = Math.max(1, Math.floor((limit * maxBytes) / bytes) - 1);
    text = render(limit);
  }
  return Buffer.from(text, 'utf8')
    .subarray(0, maxBytes)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
}
