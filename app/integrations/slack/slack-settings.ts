import { z } from "zod";

/**
 * A Slack destination's settings. Its secret is the incoming-webhook URL (that URL is the credential); its `url`
 * is only what people read (a link to the channel).
 */
export const SlackSettings = z.object({
  /** At most one message per this many seconds per destination: Critical tickets in between wait and go together. */
  intervalSeconds: z.number().int().min(1).max(86_400).default(60),
  /** The dashboard's address, for a link to each ticket (e.g. https://feedback.example.com). */
  dashboardUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Alert when the dead-letter queue grew by at least this many messages since the last alert; 0: never. */
  dlqGrowth: z.number().int().min(0).default(10),
});
export type SlackSettings = z.infer<typeof SlackSettings>;

/** The settings, or why they cannot be used (retrying cannot help until they are fixed). */
export function slackSettingsOf(settings: Record<string, unknown>): SlackSettings | { error: string } {
  const parsed = SlackSettings.safeParse(settings);
  return parsed.success ? parsed.data : { error: `invalid Slack settings: ${z.prettifyError(parsed.error)}` };
}
