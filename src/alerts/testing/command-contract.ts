import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { redactSettings, secretValues } from '../kit/secrets.ts';
import type { AnyAlertChannel } from '../registry.ts';
import type { CommandChannelFixture } from './channel-fixture.ts';
import {
  assertNoSecret,
  dispatchOnce,
  failureOf,
  sendThrough,
  type SendOptions,
} from './contract-support.ts';
import { SAMPLE_EVENTS, sampleOutgoing } from './sample-alerts.ts';

const TIMEOUT_MS = 5000;
const HANG_TIMEOUT_MS = 400;

/** The scripts the suite runs; each is a real executable file in a temporary directory. */
const SCRIPTS = {
  record: '#!/bin/sh\ncat > "$1"\n',
  tempfail: '#!/bin/sh\necho "queue full, try later" >&2\nexit 75\n',
  fail: '#!/bin/sh\necho "refused: token $ALERT_TOKEN is wrong" >&2\nexit 1\n',
  hang: '#!/bin/sh\nexec sleep 30\n',
  unlisted: '#!/bin/sh\ntouch "$1"\n',
} as const;

/**
 * The contract of a channel that runs a command: the alert JSON arrives on stdin for every
 * sample alert; exit 75 is retryable and any other failure final, with a masked stderr
 * excerpt; a command past its time limit is killed (retryable); an executable that is not
 * allow-listed never runs; and the environment's secrets never show in errors or logs.
 */
export function describeCommandChannelContract(
  channel: AnyAlertChannel,
  fixture: CommandChannelFixture,
): void {
  describe(`channel ${channel.type}: command contract`, () => {
    let dir = '';
    const script = (name: keyof typeof SCRIPTS) => path.join(dir, `${name}.sh`);
    const env = (): Record<string, string> => ({ ALERT_TOKEN: fixture.secrets[0] ?? 'token' });
    let options: SendOptions = { timeoutMs: TIMEOUT_MS };
    const settingsFor = (name: keyof typeof SCRIPTS, args: readonly string[] = []) =>
      fixture.settings({ command: script(name), args, env: env() });

    before(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'crosscheck-command-'));
      for (const [name, text] of Object.entries(SCRIPTS)) {
        await fs.writeFile(path.join(dir, `${name}.sh`), text, { mode: 0o755 });
      }
      const listed = (['record', 'tempfail', 'fail', 'hang'] as const).map(script);
      options = { timeoutMs: TIMEOUT_MS, allowedCommands: listed };
    });
    after(() => fs.rm(dir, { recursive: true, force: true }));

    it('its settings parse, declare the env secrets, show none, and refuse relative paths', () => {
      const parsed = channel.settingsSchema.parse(settingsFor('record', ['/tmp/x']));
      const declared = secretValues(channel.secrets, parsed);
      for (const secret of fixture.secrets) assert.ok(declared.includes(secret));
      assertNoSecret(
        JSON.stringify(redactSettings(channel.secrets, parsed)),
        fixture.secrets,
        'redacted settings',
      );
      const relative = fixture.settings({ command: 'record.sh', args: [], env: {} });
      assert.equal(channel.settingsSchema.safeParse(relative).success, false);
      assert.equal(channel.adminOnly, true, 'only admins may create command targets');
      z.toJSONSchema(channel.settingsSchema, { io: 'input', unrepresentable: 'any' });
    });

    for (const [label, key] of [
      ['down', 'down'],
      ['recovered', 'recovered'],
      ['regional', 'regional'],
      ['retracted', 'retracted'],
      ['node-missing', 'nodeMissing'],
      ['node-online', 'nodeOnline'],
      ['a huge message', 'huge'],
    ] as const) {
      it(`runs the command with ${label} as JSON on stdin`, async () => {
        const out = path.join(dir, `stdin-${key}.json`);
        const alert = sampleOutgoing(SAMPLE_EVENTS[key]);
        const receipt = await sendThrough(channel, settingsFor('record', [out]), alert, options);
        assert.equal(receipt.status, 0);
        const received = JSON.parse(await fs.readFile(out, 'utf8')) as Record<string, unknown>;
        assert.deepEqual(received['event'], alert.event);
        assert.deepEqual(received['message'], alert.message);
      });
    }

    it('exit 75 (EX_TEMPFAIL) is retryable, with the stderr excerpt', async () => {
      const alert = sampleOutgoing(SAMPLE_EVENTS.down);
      const failure = await failureOf(channel, settingsFor('tempfail'), alert, options);
      assert.equal(failure.retryable, true);
      assert.match(failure.message, /75.*queue full, try later/);
    });

    it('another non-zero exit is final, and its stderr shows no secret', async () => {
      const alert = sampleOutgoing(SAMPLE_EVENTS.down);
      const failure = await failureOf(channel, settingsFor('fail'), alert, options);
      assert.equal(failure.retryable, false);
      assert.match(failure.message, /exited with code 1: refused: token \*\*\* is wrong/);
      assertNoSecret(failure.message, fixture.secrets, 'the error');
    });

    it('a command past its time limit is killed: retryable timeout', async () => {
      const started = performance.now();
      const failure = await failureOf(
        channel,
        settingsFor('hang'),
        sampleOutgoing(SAMPLE_EVENTS.down),
        { ...options, timeoutMs: HANG_TIMEOUT_MS },
      );
      assert.equal(failure.retryable, true);
      assert.match(failure.message, /timed out/);
      assert.ok(performance.now() - started < 5000);
    });

    it('an executable missing from the allow-list never runs: final error', async () => {
      const marker = path.join(dir, 'unlisted-ran');
      const failure = await failureOf(
        channel,
        settingsFor('unlisted', [marker]),
        sampleOutgoing(SAMPLE_EVENTS.down),
        options,
      );
      assert.equal(failure.retryable, false);
      assert.match(failure.message, /not allow-listed in this node's local config/);
      await assert.rejects(fs.access(marker), 'the script did not run');
    });

    it('never logs or stores a secret, even when the command prints it', async () => {
      const { stored, logLines } = await dispatchOnce(
        channel,
        settingsFor('fail'),
        sampleOutgoing(SAMPLE_EVENTS.down),
        options,
      );
      assert.equal(stored?.status, 'failed');
      assertNoSecret(JSON.stringify(stored?.lastError), fixture.secrets, 'the stored error');
      assertNoSecret(logLines.join('\n'), fixture.secrets, 'the log');
    });
  });
}
