import type { AlertMessage } from './message.ts';

// Provider formatters: one rendered message → the text each provider shows, within its
// length limit. Truncation drops evidence lines first, then cuts the text, and says so.

const ELLIPSIS = '…';

/** Cuts text to at most `limit` characters (code points, so no broken emoji), marking the cut. */
export function truncate(text: string, limit: number): string {
  const points = Array.from(text);
  if (points.length <= limit) return text;
  if (limit <= 1) return points.slice(0, Math.max(0, limit)).join('');
  return points.slice(0, limit - 1).join('') + ELLIPSIS;
}

/** Length in code points, the unit providers count in (close enough for UTF-16 counters too). */
export function textLength(text: string): number {
  return Array.from(text).length;
}

interface Style {
  bold(text: string): string;
  link(label: string, url: string): string;
  escape(text: string): string;
  bullet: string;
}

const PLAIN: Style = {
  bold: (t) => t,
  link: (label, url) => `${label}: ${url}`,
  escape: (t) => t,
  bullet: '- ',
};

const MARKDOWN: Style = {
  bold: (t) => `**${t}**`,
  link: (label, url) => `[${label}](${url})`,
  escape: (t) => t.replace(/([\\`*_[\]<>])/g, '\\$1'),
  bullet: '- ',
};

/** Slack's mrkdwn: *bold*, <url|label>, and only &, < and > escaped. */
const SLACK: Style = {
  bold: (t) => `*${t}*`,
  link: (label, url) => `<${url}|${label}>`,
  escape: (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
  bullet: '• ',
};

export type TextFlavour = 'plain' | 'markdown' | 'slack';

const STYLES: Record<TextFlavour, Style> = { plain: PLAIN, markdown: MARKDOWN, slack: SLACK };

/**
 * The message body (without the title) in a flavour, at most `limit` characters: the text, the
 * facts, the link, then evidence lines while they fit ("… and N more nodes" for the rest).
 */
export function formatBody(
  message: AlertMessage,
  options: { flavour: TextFlavour; limit: number },
): string {
  const style = STYLES[options.flavour];
  const head: string[] = [style.escape(message.text)];
  if (message.facts.length > 0) {
    head.push(
      message.facts
        .map((f) => `${style.bold(style.escape(f.label))}: ${style.escape(f.value)}`)
        .join('\n'),
    );
  }
  if (message.url !== null) head.push(style.link('Open incident', message.url));
  const fixed = head.join('\n\n');
  if (textLength(fixed) >= options.limit) return truncate(fixed, options.limit);
  const lines: string[] = [];
  let used = textLength(fixed) + 2;
  for (const [index, line] of message.evidence.entries()) {
    const entry = `${style.bullet}${style.escape(line)}`;
    const remaining = message.evidence.length - index - 1;
    const reserve = remaining > 0 ? 32 : 0;
    if (used + textLength(entry) + 1 + reserve > options.limit) {
      lines.push(`${ELLIPSIS} and ${message.evidence.length - index} more nodes`);
      break;
    }
    lines.push(entry);
    used += textLength(entry) + 1;
  }
  const body = lines.length === 0 ? fixed : `${fixed}\n\n${lines.join('\n')}`;
  return truncate(body, options.limit);
}

/** Title and body as one text, at most `limit` characters. */
export function formatText(
  message: AlertMessage,
  options: { flavour: TextFlavour; limit: number },
): string {
  const style = STYLES[options.flavour];
  const title = style.bold(style.escape(message.title));
  const room = options.limit - textLength(title) - 2;
  if (room <= 0) return truncate(title, options.limit);
  return `${title}\n\n${formatBody(message, { ...options, limit: room })}`;
}

/** HTML for email and HTML-capable providers; every value escaped. */
export function formatHtml(message: AlertMessage): string {
  const facts = message.facts
    .map(
      (f) => `<tr><th align="left">${escapeHtml(f.label)}</th><td>${escapeHtml(f.value)}</td></tr>`,
    )
    .join('');
  const evidence = message.evidence.map((line) => `<li>${escapeHtml(line)}</li>`).join('');
  const link =
    message.url === null ? '' : `<p><a href="${escapeHtml(message.url)}">Open incident</a></p>`;
  return [
    `<h2>${escapeHtml(message.title)}</h2>`,
    `<p>${escapeHtml(message.text).replace(/\n/g, '<br>')}</p>`,
    facts === '' ? '' : `<table>${facts}</table>`,
    link,
    evidence === '' ? '' : `<ul>${evidence}</ul>`,
  ].join('\n');
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
