/** Which request headers never reach the output item: their values are replaced by `[redacted]` (see pipeline.ts). */
import { providers } from '../core/signatures';

/** HTTP's own credential headers: redacted whatever the provider. */
const HTTP_CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization'];

/**
 * Lower-case header names to redact: HTTP credentials, every provider's signature and token headers (a GitLab or
 * generic token IS the secret; ProviderInfo.signatureHeaders), and `extra` (a header configured per trigger).
 */
export function headersToRedact(extra: Array<string | undefined>): Set<string> {
	const names = new Set(HTTP_CREDENTIAL_HEADERS);
	for (const provider of providers) for (const name of provider.signatureHeaders) names.add(name);
	for (const name of extra) if (name) names.add(name.toLowerCase());
	return names;
}
