import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { parser } from '@prometheus-io/lezer-promql';
import { parse as parseYaml } from 'yaml';

/** Why promtool tests cannot run here, or null when `promtool` is on PATH. */
export function promtoolMissing(): string | null {
  const probe = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  return probe.error === undefined && probe.status === 0
    ? null
    : 'promtool is not installed (Debian package `prometheus`; .ci/run installs it)';
}

/** Runs promtool with the given arguments (and stdin); exit status and everything it printed. */
export function promtool(
  args: string[],
  input?: string,
): { status: number | null; output: string } {
  const run = spawnSync('promtool', args, { encoding: 'utf8', input, timeout: 30_000 });
  if (run.error) throw run.error;
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** Metric names of a scrape: every sample's name (histograms give `_bucket`, `_sum`, `_count`). */
export function scrapedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/.exec(line);
    if (match?.[1] !== undefined) names.add(match[1]);
  }
  return names;
}

/** Grafana's interval variables, replaced so an expression is plain PromQL. */
const GRAFANA_RANGES = /\$__(rate_interval|interval|range)\b/g;

/**
 * The metric names one PromQL expression selects, from the official Prometheus grammar's
 * syntax tree; throws on a syntax error so a broken query fails its test.
 */
export function promqlMetricNames(expression: string): string[] {
  const expr = expression.replace(GRAFANA_RANGES, '5m');
  const names: string[] = [];
  const errors: number[] = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError) errors.push(node.from);
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector')
        names.push(expr.slice(node.from, node.to));
    },
  });
  if (errors.length > 0)
    throw new Error(`PromQL syntax error at ${errors.join(', ')} in: ${expression}`);
  return names;
}

/** Every expression of a Prometheus rules file, named by its alert or record. */
export function ruleExpressions(file: string): { where: string; expr: string }[] {
  const doc = parseYaml(fs.readFileSync(file, 'utf8')) as {
    groups: { name: string; rules: { alert?: string; record?: string; expr: string }[] }[];
  };
  return doc.groups.flatMap((group) =>
    group.rules.map((rule) => ({
      where: `${group.name}/${rule.alert ?? rule.record ?? '?'}`,
      expr: rule.expr,
    })),
  );
}

interface GrafanaPanel {
  title?: string;
  targets?: { expr?: string }[];
  panels?: GrafanaPanel[];
}

/**
 * Every PromQL expression of a Grafana dashboard: panel targets (rows included) and query
 * variables (`label_values(metric, label)` contributes its metric as a selector).
 */
export function dashboardExpressions(file: string): { where: string; expr: string }[] {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    panels: GrafanaPanel[];
    templating: { list: { name: string; query: string | { query: string } }[] };
  };
  const found: { where: string; expr: string }[] = [];
  const walk = (panels: GrafanaPanel[]) => {
    for (const panel of panels) {
      for (const target of panel.targets ?? [])
        if (target.expr !== undefined) found.push({ where: panel.title ?? '?', expr: target.expr });
      walk(panel.panels ?? []);
    }
  };
  walk(doc.panels);
  for (const variable of doc.templating.list) {
    const query = typeof variable.query === 'string' ? variable.query : variable.query.query;
    const labelValues = /^label_values\((.+),\s*\w+\)$/.exec(query);
    found.push({ where: `$${variable.name}`, expr: labelValues?.[1] ?? query });
  }
  return found;
}
