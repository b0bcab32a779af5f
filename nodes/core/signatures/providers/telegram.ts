import { prefixed } from '../formats';
import { fromBody } from '../request';
import { defineScheme, signed, tokenKeys } from '../scheme';

/**
 * The `secret_token` given to setWebhook comes back verbatim in `X-Telegram-Bot-Api-Secret-Token` (a token, not a
 * signature: the body is not authenticated); `update_id` identifies the update.
 * Source: https://core.telegram.org/bots/api#setwebhook.
 */
export default defineScheme({
	id: 'telegram',
	displayName: 'Telegram',
	kind: 'token',
	secretLabel: 'Secret token',
	signature: { header: 'X-Telegram-Bot-Api-Secret-Token', format: prefixed(''), encoding: 'text' },
	content: signed(),
	keys: tokenKeys(),
	deliveryId: fromBody('update_id'),
	docs: { signature: '`X-Telegram-Bot-Api-Secret-Token` (token)', signed: '— (token only)' },
});
