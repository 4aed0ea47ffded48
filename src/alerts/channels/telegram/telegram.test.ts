import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SAMPLE_EVENTS, sampleOutgoing } from '../../testing/sample-alerts.ts';
import { telegramHtml, telegramRequest } from './index.ts';

const settings = { apiUrl: 'https://api.telegram.org', botToken: '1:abc', chatId: '-100123' };

describe('telegram', () => {
  it('escapes HTML in every part of the message and bolds the title', () => {
    const alert = sampleOutgoing(SAMPLE_EVENTS.down);
    const html = telegramHtml({ ...alert.message, title: 'DOWN: <a&b>', text: '1 < 2 & "x"' });
    assert.ok(html.startsWith('<b>DOWN: &lt;a&amp;b&gt;</b>\n\n'));
    assert.ok(html.includes('1 &lt; 2 &amp; &quot;x&quot;'));
  });

  it('replies to the opening message when its id is known', () => {
    const request = telegramRequest(sampleOutgoing(SAMPLE_EVENTS.recovered, '4242'), settings);
    assert.deepEqual(request['reply_parameters'], {
      message_id: 4242,
      allow_sending_without_reply: true,
    });
    assert.equal(
      telegramRequest(sampleOutgoing(SAMPLE_EVENTS.down), settings)['reply_parameters'],
      undefined,
    );
  });
});
