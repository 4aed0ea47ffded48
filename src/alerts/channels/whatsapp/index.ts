import { z } from 'zod';
import { receiptOf, refusalOf } from '../../kit/answers.ts';
import { formatBody, textLength, truncate } from '../../kit/formats.ts';
import type { HttpAnswer } from '../../kit/http-sender.ts';
import type { AlertMessage } from '../../kit/message.ts';
import { apiBaseUrl, joinUrl, secretText } from '../../kit/settings.ts';
import { ChannelError } from '../../types.ts';
import type { ChannelContext, ChannelDefinition, OutgoingAlert, SendReceipt } from '../../types.ts';

/** text.body: "Maximum 4096 characters" (Cloud API, text messages). */
export const WHATSAPP_TEXT_LIMIT = 4096;
/** Template body parameters are kept short; Meta rejects long or multi-line parameters. */
const TEMPLATE_PARAMETER_LIMIT = 1000;
/** Graph error codes that mean "slow down" though they come with HTTP 400 (Graph API error codes). */
const THROTTLING_CODES = new Set([4, 80007, 130429, 131048, 131056]);

export const whatsappSettingsSchema = z.strictObject({
  apiUrl: apiBaseUrl('https://graph.facebook.com').describe('Graph API address'),
  apiVersion: z
    .string()
    .regex(/^v\d+\.\d+$/, { error: 'must look like v21.0' })
    .default('v21.0')
    .describe('Graph API version in the path'),
  phoneNumberId: z
    .string()
    .regex(/^\d+$/, { error: 'must be the numeric phone number ID' })
    .describe('Phone number ID of the sending business number (WhatsApp Manager → API Setup)'),
  accessToken: secretText().describe('System user access token with whatsapp_business_messaging'),
  to: z
    .string()
    .regex(/^\+?[1-9]\d{6,14}$/, { error: 'must be a phone number with country code' })
    .describe('Recipient phone number with country code, e.g. +16505551234'),
  template: z
    .strictObject({
      name: z.string().min(1).describe('Approved template name'),
      language: z.string().min(2).describe('Template language code, e.g. en_US'),
    })
    .optional()
    .describe(
      'An approved template with two body parameters ({{1}} title, {{2}} summary); needed to reach people who have not written to the number in the last 24 hours',
    ),
});

export type WhatsappSettings = z.infer<typeof whatsappSettingsSchema>;

const answerSchema = z.object({
  messages: z.array(z.object({ id: z.string() })).optional(),
  error: z.object({ code: z.number().optional(), message: z.string().optional() }).optional(),
});

/** Sends the alert with the WhatsApp Business Cloud API (text, or an approved template). */
export const whatsappChannel: ChannelDefinition<WhatsappSettings> = {
  type: 'whatsapp',
  title: 'WhatsApp',
  description: 'Send the alert as a WhatsApp message through the WhatsApp Business Cloud API',
  category: 'chat',
  docsUrl: 'https://developers.facebook.com/docs/whatsapp/cloud-api/messages/text-messages',
  settingsSchema: whatsappSettingsSchema,
  secrets: { accessToken: 'secret' },
  send: sendWhatsapp,
};

async function sendWhatsapp(
  alert: OutgoingAlert,
  settings: WhatsappSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  const answer = await ctx.http.send({
    url: joinUrl(settings.apiUrl, `${settings.apiVersion}/${settings.phoneNumberId}/messages`),
    headers: { authorization: `Bearer ${settings.accessToken}` },
    json: whatsappRequest(alert.message, settings),
    // Graph reports throttling as HTTP 400 with an error code; read it to retry those.
    accept: (status) => status === 400,
  });
  const parsed = answerSchema.safeParse(answer.json());
  if (answer.status === 400) throw graphRefusal(answer, parsed.data?.error?.code, ctx);
  return receiptOf(answer, ctx.secrets, parsed.data?.messages?.[0]?.id);
}

function graphRefusal(
  answer: HttpAnswer,
  code: number | undefined,
  ctx: ChannelContext,
): ChannelError {
  const error = refusalOf(answer, whatsappChannel.title, ctx);
  if (code === undefined || !THROTTLING_CODES.has(code)) return error;
  return new ChannelError(error.message, { retryable: true, status: answer.status });
}

/** The messages request: free-form text, or the configured template with title and summary. */
export function whatsappRequest(
  message: AlertMessage,
  settings: WhatsappSettings,
): Record<string, unknown> {
  const envelope = { messaging_product: 'whatsapp', recipient_type: 'individual', to: settings.to };
  if (settings.template !== undefined) {
    return {
      ...envelope,
      type: 'template',
      template: {
        name: settings.template.name,
        language: { code: settings.template.language },
        components: [
          {
            type: 'body',
            parameters: [message.title, message.text].map((text) => ({
              type: 'text',
              // Template parameters may not hold new lines or tabs.
              text: truncate(text.replace(/\s+/g, ' '), TEMPLATE_PARAMETER_LIMIT),
            })),
          },
        ],
      },
    };
  }
  return { ...envelope, type: 'text', text: { preview_url: false, body: whatsappText(message) } };
}

/** *Title* (WhatsApp's bold) and the plain body, within text.body's limit. */
function whatsappText(message: AlertMessage): string {
  const title = `*${message.title.replace(/\*/g, '')}*`;
  const room = WHATSAPP_TEXT_LIMIT - textLength(title) - 2;
  if (room <= 0) return truncate(title, WHATSAPP_TEXT_LIMIT);
  return `${title}\n\n${formatBody(message, { flavour: 'plain', limit: room })}`;
}
