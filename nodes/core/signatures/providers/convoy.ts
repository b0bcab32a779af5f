import { keyValues, prefixed } from '../formats';
import { BODY, TIMESTAMP, checkHmacOptions, defineScheme, hmacKeys, signed } from '../scheme';
import type { Scheme, SchemeSettings } from '../scheme';
import type { HashAlgorithm, ProviderOptions, SignatureEncoding } from '../types';

const HEADER = 'X-Convoy-Signature';

/** The project's signature settings (options.algorithm, options.encoding); simple or advanced is read from the header. */
const PROJECT_SIGNATURE_SETTINGS: SchemeSettings = {
	parameter: 'convoy',
	displayName: 'Project Signature Settings',
	description: "As set in the Convoy project's signature settings; simple or advanced is read from the header",
	fields: [
		{
			displayName: 'Algorithm',
			name: 'algorithm',
			type: 'options',
			options: [
				{ name: 'SHA-256', value: 'sha256' },
				{ name: 'SHA-512', value: 'sha512' },
			],
			default: 'sha256',
		},
		{
			displayName: 'Encoding',
			name: 'encoding',
			type: 'options',
			options: [
				{ name: 'Hex', value: 'hex' },
				{ name: 'Base64', value: 'base64' },
			],
			default: 'hex',
		},
	],
};

function convoyScheme(advanced: boolean, algorithm: HashAlgorithm, encoding: SignatureEncoding): Scheme {
	return defineScheme({
		id: 'convoy',
		displayName: 'Convoy',
		kind: 'hmac',
		secretLabel: 'Secret',
		retries: { retries: true, horizon: 'as the sender configures it (linear or exponential)', source: 'https://www.getconvoy.io/docs/webhook-guides/webhook-retries' },
		signature: advanced
			? { header: HEADER, format: keyValues(',', 't', /^v\d+$/), encoding, algorithm }
			: { header: HEADER, format: prefixed(''), encoding, algorithm },
		timestamp: advanced ? { unit: 's', toleranceSeconds: 300, direction: 'both' } : undefined,
		content: advanced ? signed(TIMESTAMP, ',', BODY) : signed(BODY),
		keys: hmacKeys(),
		settings: PROJECT_SIGNATURE_SETTINGS,
		docs: {
			signature: '`X-Convoy-Signature` (simple, or `t=…,v1=…` advanced)',
			signed: 'body / `t,body`',
			tolerance: '— / 300 s both ways',
		},
	});
}

const settings = (options: ProviderOptions) =>
	[options.algorithm || 'sha256', options.encoding || 'hex'] as [HashAlgorithm, SignatureEncoding];

/**
 * Simple: signature of the body. Advanced: `t=<unix>,v1=<sig>[,v2=...]` over `t,body`, one entry per active secret.
 * The header's shape picks the mode (sign() uses options.mode === 'advanced'); options.algorithm / options.encoding
 * follow the project's settings (sha256/sha512, hex/base64).
 */
const convoy: Scheme = {
	...convoyScheme(false, 'sha256', 'hex'),
	validateOptions: (options) => checkHmacOptions('convoy', options),
	resolve(request) {
		const text = request.header(HEADER);
		const advanced = request.options.mode === 'advanced' || (typeof text === 'string' && text.trim().startsWith('t='));
		return convoyScheme(advanced, ...settings(request.options));
	},
};
export default convoy;
