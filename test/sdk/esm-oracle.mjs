// Runs ESM-only SDKs for the CommonJS jest suites (Node 20 has no require(esm)): reads a JSON array of calls on
// stdin, answers a JSON array of { ok: true, value } | { ok: false, error } on stdout, one per call, in order.
// Bodies travel as UTF-8 strings; nothing here decides pass or fail, the tests do.
import { sign as octokitSign, verify as octokitVerify } from '@octokit/webhooks-methods';
import { Webhook as SvixWebhook } from 'svix';
import { LinearWebhookClient } from '@linear/sdk/webhooks';

const handlers = {
	'octokit.sign': (secret, payload) => octokitSign(secret, payload),
	'octokit.verify': (secret, payload, signature) => octokitVerify(secret, payload, signature),
	// timestamp: epoch seconds (the svix-timestamp header value).
	'svix.sign': (secret, id, timestampSeconds, payload) => new SvixWebhook(secret).sign(id, new Date(timestampSeconds * 1000), payload),
	'svix.verify': (secret, payload, headers) => {
		new SvixWebhook(secret).verify(payload, headers); // throws when it refuses
		return true;
	},
	'linear.verify': (secret, payload, signature) => new LinearWebhookClient(secret).verify(Buffer.from(payload, 'utf8'), signature),
	'linear.parseData': (secret, payload, signature) => new LinearWebhookClient(secret).parseData(Buffer.from(payload, 'utf8'), signature),
};

let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const { fn, args } of JSON.parse(input)) {
	try {
		if (!handlers[fn]) throw new Error(`unknown oracle call ${fn}`);
		results.push({ ok: true, value: await handlers[fn](...args) });
	} catch (error) {
		results.push({ ok: false, error: String(error?.message ?? error) });
	}
}
process.stdout.write(JSON.stringify(results));
