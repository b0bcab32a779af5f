/** The `X-Hub-Signature-256` / legacy `X-Hub-Signature` pair that GitHub and Meta share, with its SHA-1 switch. */
import { prefixed } from './formats';
import type { SchemeSwitch, SignatureSource } from './scheme';

/** `sha256=` hex HMAC-SHA256 of the body. */
export const HUB_SIGNATURE_256: SignatureSource = { header: 'X-Hub-Signature-256', format: prefixed('sha256='), encoding: 'hex', algorithm: 'sha256' };

/** The switch that lets the legacy SHA-1 header count; its name is saved in workflows (never rename). */
export const ALLOW_SHA1: SchemeSwitch = {
	option: 'allowSha1',
	displayName: 'Accept Legacy SHA-1 Signature',
	description: 'Whether to accept the X-Hub-Signature (HMAC-SHA1) header when the SHA-256 one is absent. Only for old senders.',
	warningWhenOn: { text: 'SHA-1 is weak: accept it only if this sender cannot send X-Hub-Signature-256', parameter: 'sha1Notice' },
};

/** `sha1=` hex HMAC-SHA1 of the body, counted only with ALLOW_SHA1 on and when X-Hub-Signature-256 is absent. */
export const LEGACY_HUB_SIGNATURE_SHA1: SignatureSource = {
	header: 'X-Hub-Signature',
	format: prefixed('sha1='),
	encoding: 'hex',
	algorithm: 'sha1',
	enabledBy: ALLOW_SHA1.option,
};
