import { websubIntent } from '../handshakes';
import { BODY, defineScheme, hmacKeys, parseSignatureText, signed } from '../scheme';
import type { Located, SignatureSource } from '../scheme';
import { prefixed } from '../formats';
import type { HashAlgorithm, RequestView } from '../types';

const HEADER = 'X-Hub-Signature';

/** `method=signature`, the methods WebSub allows (section 8): hex HMAC of the body with the subscription's hub.secret. */
const SOURCES: Record<string, SignatureSource> = Object.fromEntries(
	(['sha1', 'sha256', 'sha384', 'sha512'] as HashAlgorithm[]).map((algorithm) => [
		algorithm,
		{ header: HEADER, format: prefixed(`${algorithm}=`), encoding: 'hex', algorithm } satisfies SignatureSource,
	]),
);

function locate(request: RequestView): Located {
	const text = request.header(HEADER);
	if (text === undefined) return { reject: 'missing_signature', message: `The ${HEADER} header is missing.` };
	if (text === null) return { reject: 'malformed_signature', message: `The ${HEADER} header appears more than once.` };
	const method = /^([a-z0-9]+)=/.exec(text.trim())?.[1];
	const source = method === undefined ? undefined : SOURCES[method];
	if (!source) return parseSignatureText(text, SOURCES.sha256); // empty → missing; anything else → malformed
	return parseSignatureText(text, source);
}

/**
 * WebSub (W3C): content distribution carries `X-Hub-Signature: method=signature`, a hex HMAC of the body keyed with
 * the `hub.secret` the subscriber chose, method one of sha1, sha256, sha384, sha512 (the hub picks; older hubs use
 * sha1). The hub's GET intent verification (`hub.mode=subscribe|unsubscribe`, `hub.challenge`) is echoed.
 * Source: https://www.w3.org/TR/websub/ (5.3 Hub Verifies Intent, 7 Content Distribution, 8 Authenticated Content
 * Distribution).
 */
export default defineScheme({
	id: 'websub',
	displayName: 'WebSub (PubSubHubbub)',
	kind: 'hmac',
	secretLabel: 'hub.secret',
	signature: SOURCES.sha256,
	locate,
	extraMethods: ['GET'],
	content: signed(BODY),
	keys: hmacKeys(),
	handshake: websubIntent,
	docs: { signature: '`X-Hub-Signature` (`sha1=`/`sha256=`/`sha384=`/`sha512=` hex)', signed: 'body, key = hub.secret', handshake: 'GET hub.challenge' },
});
