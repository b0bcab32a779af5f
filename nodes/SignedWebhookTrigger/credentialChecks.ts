/**
 * Format checks behind the credential tests. Nothing to call remotely, so the test checks that each value is usable as
 * written. Messages name the field and the problem, never the value.
 */
import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { MIN_DECODED_KEY_BYTES, secretProblem } from '../core/signatures';
import type { ProviderOptions } from '../core/signatures';

export type FormatCheck = { ok: true; description: string } | { ok: false; problem: string };

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;
const HEX_32_BYTES = /^[0-9a-fA-F]{64}$/;
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Providers that base64-decode a `whsec_` secret; for the others (Stripe) it is plain text. */
export const WHSEC_DECODING_PROVIDERS = ['standard-webhooks', 'svix', 'gitlab'];

/**
 * A signing secret: non-empty, no surrounding whitespace, and a `whsec_` secret must base64-decode to at least
 * MIN_DECODED_KEY_BYTES (16) bytes unless the provider uses it as text (`whsecMustDecode: false`, e.g. Stripe).
 * The key rules are the signature core's (secretProblem), so activation, credential test and verify() agree.
 */
export function checkSigningSecret(value: string, whsecMustDecode = true): FormatCheck {
	const textProblem = secretProblem('github', value);
	if (textProblem) return { ok: false, problem: textProblem };
	if (value.startsWith('whsec_')) {
		const payload = value.slice('whsec_'.length);
		if (payload.length === 0) return { ok: false, problem: 'is whsec_ with nothing after it' };
		if (!STRICT_BASE64.test(payload)) {
			if (!whsecMustDecode) return { ok: true, description: `whsec_ secret used as text (${value.length} characters)` };
			return { ok: false, problem: 'starts with whsec_ but the rest is not base64 (Standard Webhooks and Svix secrets must decode)' };
		}
		const decodedProblem = whsecMustDecode ? secretProblem('standard-webhooks', value) : undefined;
		if (decodedProblem) return { ok: false, problem: `${decodedProblem} (Standard Webhooks, Svix and GitLab signing tokens use the decoded bytes as the key)` };
		const bytes = Buffer.from(payload, 'base64').length;
		return { ok: true, description: `whsec_ secret (${bytes} bytes once decoded for Standard Webhooks/Svix; used as text by Stripe)` };
	}
	return { ok: true, description: `secret of ${value.length} characters` };
}

/**
 * The exact check verify() applies for this provider (GitLab's mode, generic settings in `options`): use it at
 * activation when the provider is known. Messages name the problem, never the value.
 */
export function checkProviderSecret(provider: string, value: string, options?: ProviderOptions): FormatCheck {
	const problem = secretProblem(provider, value, options);
	return problem ? { ok: false, problem } : { ok: true, description: `usable ${provider} key` };
}

export { MIN_DECODED_KEY_BYTES };

function ed25519FromRaw(raw: Buffer): KeyObject {
	return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

function describeKey(key: KeyObject): string {
	if (key.asymmetricKeyType === 'ec') return `ECDSA public key (${key.asymmetricKeyDetails?.namedCurve ?? 'unknown curve'})`;
	return `${key.asymmetricKeyType ?? 'unknown'} public key`;
}

/** Parses a public key given as hex (Ed25519), whpk_… (Ed25519), PEM or base64 DER SPKI, with node:crypto. */
export function parsePublicKey(value: string): KeyObject | undefined {
	const text = value.trim();
	try {
		if (HEX_32_BYTES.test(text)) return ed25519FromRaw(Buffer.from(text, 'hex'));
		if (text.startsWith('whpk_')) {
			const payload = text.slice('whpk_'.length);
			if (!STRICT_BASE64.test(payload)) return undefined;
			const raw = Buffer.from(payload, 'base64');
			return raw.length === 32 ? ed25519FromRaw(raw) : undefined;
		}
		if (text.startsWith('-----BEGIN')) return createPublicKey(text);
		if (!STRICT_BASE64.test(text)) return undefined;
		return createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
	} catch {
		return undefined;
	}
}

export function checkPublicKey(value: string): FormatCheck {
	if (value.trim().length === 0) return { ok: false, problem: 'is empty' };
	const key = parsePublicKey(value);
	if (!key) {
		return { ok: false, problem: 'is not a public key (expected 64 hex characters, whpk_…, base64 DER or PEM)' };
	}
	if (key.asymmetricKeyType !== 'ed25519' && key.asymmetricKeyType !== 'ec') {
		return { ok: false, problem: `is a ${key.asymmetricKeyType ?? 'unknown'} key; only Ed25519 and ECDSA keys are used` };
	}
	return { ok: true, description: describeKey(key) };
}

/** Runs `check` on each named field that has a value; the first failure wins. */
export function checkFields(
	fields: Array<[label: string, value: unknown, required: boolean]>,
	check: (value: string) => FormatCheck,
): { status: 'OK' | 'Error'; message: string } {
	const found: string[] = [];
	for (const [label, value, required] of fields) {
		const text = typeof value === 'string' ? value : '';
		if (text.length === 0 && !required) continue;
		const result = check(text);
		if (!result.ok) return { status: 'Error', message: `${label} ${result.problem}` };
		found.push(`${label}: ${result.description}`);
	}
	return { status: 'OK', message: `Format looks right. ${found.join('; ')}.` };
}
