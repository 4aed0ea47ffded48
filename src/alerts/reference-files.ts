import fs from 'node:fs';
import path from 'node:path';
import { applyTemplate, parseTemplate } from './kit/template.ts';
import { templateVariables } from './kit/template-variables.ts';
import { listChannels } from './registry.ts';
import { renderAlertDocs, type AlertDocFile } from './reference.ts';
import { TEMPLATE_EXAMPLES } from './reference-templates.ts';
import { SAMPLE_EVENTS, sampleOutgoing } from './testing/sample-alerts.ts';

// Reads what the alert docs are made from (channel guides, the sample alert) for
// `npm run docs` and the staleness test; the rendering itself is pure (reference.ts).

/** The folder the alert docs are written to. */
export const ALERT_DOCS_DIR = path.resolve(import.meta.dirname, '../../docs/alerts');

const CHANNELS_DIR = path.join(import.meta.dirname, 'channels');

/** Every file docs/alerts/ should hold, for the channels registered now (not yet prettier-formatted). */
export async function generateAlertDocs(): Promise<AlertDocFile[]> {
  const channels = listChannels();
  const guides = new Map<string, string>();
  for (const channel of channels) {
    const file = path.join(CHANNELS_DIR, channel.type, 'guide.md');
    if (fs.existsSync(file)) guides.set(channel.type, fs.readFileSync(file, 'utf8'));
  }
  const sample = sampleOutgoing(SAMPLE_EVENTS.down);
  const outputs = [];
  for (const example of TEMPLATE_EXAMPLES) {
    const templated = await applyTemplate(sample.message, parseTemplate(example.template), sample);
    if (templated.failure !== null) {
      throw new Error(`template example "${example.heading}" failed: ${templated.failure}`);
    }
    outputs.push({ title: templated.message.title, text: templated.message.text });
  }
  return renderAlertDocs(channels, {
    guides,
    templates: { sample: templateVariables(sample), outputs },
  });
}

/** The Markdown files now in docs/alerts/ (generated ones and stale ones alike). */
export function existingAlertDocs(): string[] {
  if (!fs.existsSync(ALERT_DOCS_DIR)) return [];
  return fs
    .readdirSync(ALERT_DOCS_DIR)
    .filter((name) => name.endsWith('.md'))
    .sort();
}
