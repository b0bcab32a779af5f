/** How a signature header's text is laid out: parse it into entries, and format one for sign(). */

export interface ParsedHeader {
	entries: Array<{ version?: string; value: string }>;
	/** Timestamp carried inside the signature header (Stripe `t=`, Paddle `ts=`). */
	timestamp?: string;
}

export interface SignatureFormat {
	/** undefined = malformed. */
	parse(text: string): ParsedHeader | undefined;
	format(signature: string, timestamp?: string, version?: string): string;
}

/** One signature after a fixed prefix (`sha256=`), or bare when the prefix is empty. The prefix is case-sensitive. */
export function prefixed(prefix: string): SignatureFormat {
	return {
		parse: (text) => (text.startsWith(prefix) ? { entries: [{ value: text.slice(prefix.length) }] } : undefined),
		format: (signature) => prefix + signature,
	};
}

/**
 * `t=1,v1=abc,v1=def` (Stripe, Calendly, Convoy advanced) or `ts=1;h1=abc` (Paddle).
 * Every entry under `signatureKey` is a candidate (several during a secret roll). Parts we do not understand (Stripe's
 * v0, a future key, a part without `=`, an empty part) are ignored, as stripe-node's parseHeader does: only the
 * signature entries and one timestamp count, and a header without a signature entry is still malformed. Two
 * timestamps are ambiguous and refused.
 */
export function keyValues(separator: string, timestampKey: string, signatureKey: string | RegExp): SignatureFormat {
	const isSignature = (key: string) => (typeof signatureKey === 'string' ? key === signatureKey : signatureKey.test(key));
	const signKey = typeof signatureKey === 'string' ? signatureKey : 'v1';
	return {
		parse(text) {
			const entries: ParsedHeader['entries'] = [];
			let timestamp: string | undefined;
			for (const part of text.split(separator)) {
				const at = part.indexOf('=');
				if (at <= 0) continue;
				const key = part.slice(0, at).trim();
				const value = part.slice(at + 1).trim();
				if (key === timestampKey) {
					if (timestamp !== undefined) return undefined; // two timestamps: ambiguous
					timestamp = value;
				} else if (isSignature(key)) entries.push({ value });
			}
			return { entries, timestamp };
		},
		format: (signature, timestamp) => `${timestampKey}=${timestamp}${separator}${signKey}=${signature}`,
	};
}

/**
 * Standard Webhooks: space-separated `version,signature` entries (`v1,abc v1a,def`); unknown versions are kept and
 * ignored later, and a part without `,` is ignored (same rule as keyValues; the standardwebhooks library skips it too).
 */
export function versionedList(defaultVersion: string): SignatureFormat {
	return {
		parse(text) {
			const entries: ParsedHeader['entries'] = [];
			for (const part of text.split(' ')) {
				if (part === '') continue;
				const at = part.indexOf(',');
				if (at <= 0) continue;
				entries.push({ version: part.slice(0, at), value: part.slice(at + 1) });
			}
			return { entries };
		},
		format: (signature, _timestamp, version) => `${version ?? defaultVersion},${signature}`,
	};
}
