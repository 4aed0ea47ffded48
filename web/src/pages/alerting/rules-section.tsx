import { useState } from 'preact/hooks';
import { TableWrap } from '../../components/table-wrap.tsx';
import { api } from '../../api/client.ts';
import type { AlertRule, TargetView } from '../../api/forms-types.ts';
import { Empty, ErrorNote } from '../../components/feedback.tsx';
import { formatMinutes, RuleForm } from './rule-form.tsx';
import { showWarningsOf } from '../../state/managed-warnings.ts';

function scopeText(rule: AlertRule): string {
  switch (rule.scope.kind) {
    case 'group':
      return `group ${rule.scope.group}`;
    case 'tag':
      return `tag ${rule.scope.tag}`;
    case 'default':
      return 'default (monitors with no route)';
  }
}

/** Routing rules: a table, delete per rule, and the add form for editors. */
export function RulesSection(props: {
  rules: AlertRule[];
  targets: TargetView[];
  events: string[];
  editor: boolean;
  reload: () => void;
}) {
  const [error, setError] = useState<Error | undefined>(undefined);
  const remove = async (id: string): Promise<void> => {
    setError(undefined);
    try {
      showWarningsOf(await api.delete(`/api/v1/alert-rules/${encodeURIComponent(id)}`));
      props.reload();
    } catch (reason) {
      setError(reason instanceof Error ? reason : new Error(String(reason)));
    }
  };
  return (
    <section aria-labelledby="rules-heading" class="alerting-section">
      <h2 id="rules-heading">Routing rules</h2>
      <ErrorNote error={error} />
      {props.rules.length === 0 ? (
        <Empty>No routing rules: monitors page only the targets set on them.</Empty>
      ) : (
        <TableWrap label="Routing rules">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Applies to</th>
                <th scope="col">Target</th>
                <th scope="col">Events</th>
                <th scope="col">Repeat</th>
                <th scope="col">Escalate after</th>
                {props.editor && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {props.rules.map((rule) => (
                <tr key={rule.id} data-rule={rule.id}>
                  <td>{scopeText(rule)}</td>
                  <td>{rule.target}</td>
                  <td>{rule.events?.join(', ') ?? 'defaults'}</td>
                  <td>{formatMinutes(rule.repeatEveryMs)}</td>
                  <td>{formatMinutes(rule.escalateAfterMs)}</td>
                  {props.editor && (
                    <td>
                      <button class="button danger" onClick={() => void remove(rule.id)}>
                        Delete<span class="visually-hidden"> rule for {scopeText(rule)}</span>
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {props.editor &&
        (props.targets.length === 0 ? (
          <p class="muted">Create an alert target first to route to it.</p>
        ) : (
          <RuleForm targets={props.targets} events={props.events} onAdded={props.reload} />
        ))}
    </section>
  );
}
