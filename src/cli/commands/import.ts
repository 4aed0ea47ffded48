import { Command } from 'commander';
import { validationError } from '../../lib/errors.ts';
import { applySteps } from '../../importers/apply-steps.ts';
import type { ApplySteps } from '../../importers/apply-steps.ts';
import { presentPlan } from '../../importers/present.ts';
import { IMPORTERS } from '../../importers/registry.ts';
import type { AnyImporter } from '../../importers/registry.ts';
import type { ImportPlan } from '../../importers/types.ts';
import { createAlertTarget, listAlertTargets } from '../../operations/alert-target-ops.ts';
import { bulkMonitors } from '../../operations/bulk-ops.ts';
import { listMonitors } from '../../operations/monitor-ops.ts';
import { MAX_BULK_ITEMS } from '../../services/monitors/monitor-bulk.ts';
import type { CliBackend } from '../backend.ts';
import { collectPages } from '../backend.ts';
import type { CliContext } from '../context.ts';
import { withBackend } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import type { Output } from '../output.ts';
import { renderTable } from '../output.ts';

interface ImportFlags {
  dryRun?: boolean;
  json?: boolean;
}

/** `crosscheck import <source> <file>`: one subcommand per importer of the registry. */
export function importCommand(ctx: CliContext): Command {
  const command = new Command('import').description(
    'bring monitors and alert channels over from another monitoring tool (docs/importing.md)',
  );
  for (const importer of IMPORTERS) {
    command.addCommand(
      new Command(importer.name)
        .description(`import ${importer.description}`)
        .argument(importer.fileArgument, 'the file to import')
        .option('--dry-run', 'print what would be created and what is not imported; write nothing')
        .option('--json', 'print JSON')
        .addHelpText(
          'after',
          '\nExit codes: 0 all imported, 1 some objects have no equivalent (listed), 2 bad file.',
        )
        .action(async (file: string, flags: ImportFlags, cmd: Command) => {
          await runImport(importer, file, flags, cmd, ctx);
        }),
    );
  }
  return command;
}

async function runImport(
  importer: AnyImporter,
  file: string,
  flags: ImportFlags,
  cmd: Command,
  ctx: CliContext,
): Promise<void> {
  const plan = importer.plan(file);
  const shown = presentPlan(plan);
  if (flags.dryRun === true) {
    if (flags.json === true) ctx.out.json({ dryRun: true, plan: shown });
    else printPlan(ctx.out, shown, 'would create');
  } else {
    const steps = await withBackend(cmd, ctx, (backend) => applyPlan(backend, plan));
    if (flags.json === true) ctx.out.json({ dryRun: false, plan: shown, ...written(steps) });
    else {
      printPlan(ctx.out, { ...shown, ...created(shown, steps) }, 'created');
      printSkipped(ctx.out, steps);
    }
  }
  if (plan.unmapped.length > 0) process.exitCode = EXIT.down;
}

/** Targets first (monitors route to them by name), then every monitor in atomic bulk calls. */
async function applyPlan(backend: CliBackend, plan: ImportPlan): Promise<ApplySteps> {
  const [monitors, targets] = await Promise.all([
    collectPages(backend, listMonitors, {}),
    collectPages(backend, listAlertTargets, {}),
  ]);
  const steps = applySteps(plan, {
    monitorNames: new Set(monitors.map((m) => m.name)),
    targetNames: new Set(targets.map((t) => t.name)),
  });
  for (const target of steps.alertTargets) await backend.call(createAlertTarget, target.input);
  for (let start = 0; start < steps.monitors.length; start += MAX_BULK_ITEMS) {
    const chunk = steps.monitors.slice(start, start + MAX_BULK_ITEMS);
    const result = await backend.call(bulkMonitors, {
      atomic: true,
      items: chunk.map((m) => ({ op: 'create', monitor: m.input })),
    });
    const failed = result.results.flatMap((r) =>
      r.ok ? [] : [{ index: start + r.index, error: r.error }],
    );
    // The plan passed the same schemas, so a refusal here means the daemon disagrees (another version).
    if (failed.length > 0) {
      throw validationError(
        failed.flatMap(({ index, error }) =>
          (error.issues.length > 0 ? error.issues : [{ path: '', message: error.message }]).map(
            (issue) => ({
              path: `monitor "${steps.monitors[index]?.input.name ?? index}"${issue.path === '' ? '' : `.${issue.path}`}`,
              message: issue.message,
            }),
          ),
        ),
        'the daemon refused monitors of the import; nothing of them was written',
      );
    }
  }
  return steps;
}

function written(steps: ApplySteps) {
  return {
    created: {
      alertTargets: steps.alertTargets.map((t) => t.input.name),
      monitors: steps.monitors.map((m) => m.input.name),
    },
    skipped: { alertTargets: steps.skippedTargets, monitors: steps.skippedMonitors },
  };
}

/** The plan's parts that were written (skipped ones are listed apart). */
function created(
  plan: ImportPlan,
  steps: ApplySteps,
): Pick<ImportPlan, 'alertTargets' | 'monitors'> {
  const targets = new Set(steps.skippedTargets);
  const monitors = new Set(steps.skippedMonitors);
  return {
    alertTargets: plan.alertTargets.filter((t) => !targets.has(t.input.name)),
    monitors: plan.monitors.filter((m) => !monitors.has(m.input.name)),
  };
}

function printPlan(out: Output, plan: ImportPlan, verb: string): void {
  out.line(
    `${plan.source}: ${verb} ${plan.alertTargets.length} alert targets and ${plan.monitors.length} monitors`,
  );
  if (plan.alertTargets.length > 0) {
    out.line();
    out.line(
      renderTable(
        out,
        ['TARGET', 'CHANNEL', 'FROM', 'SETTINGS'],
        plan.alertTargets.map((t) => [
          t.input.name,
          t.input.type,
          `${t.sourceName} (${t.sourceType})`,
          JSON.stringify(t.input.settings).slice(0, 80),
        ]),
      ),
    );
  }
  if (plan.monitors.length > 0) {
    out.line();
    out.line(
      renderTable(
        out,
        ['MONITOR', 'TYPE', 'TARGET', 'GROUP', 'ALERTS', 'FROM'],
        plan.monitors.map(({ input, sourceType }) => [
          input.name,
          input.type,
          input.target.slice(0, 60),
          input.group ?? '-',
          (input.alerts ?? []).map((a) => ('target' in a ? a.target : a.channel)).join(', ') || '-',
          sourceType,
        ]),
      ),
    );
  }
  if (plan.unmapped.length > 0) {
    out.line();
    out.line(`Not imported (${plan.unmapped.length}):`);
    out.line(
      renderTable(
        out,
        ['KIND', 'NAME', 'SOURCE TYPE', 'WHY'],
        plan.unmapped.map((u) => [u.kind, u.name, u.sourceType, u.reason]),
      ),
    );
  }
  if (plan.warnings.length > 0) {
    out.line();
    out.line(`Warnings (${plan.warnings.length}):`);
    for (const w of plan.warnings) out.line(`  ${w.name}: ${w.message}`);
  }
}

function printSkipped(out: Output, steps: ApplySteps): void {
  const skipped = [
    ...steps.skippedTargets.map((name) => `alert target ${name}`),
    ...steps.skippedMonitors.map((name) => `monitor ${name}`),
  ];
  if (skipped.length === 0) return;
  out.line();
  out.line(`Skipped, the name exists already (${skipped.length}):`);
  for (const line of skipped) out.line(`  ${line}`);
}
