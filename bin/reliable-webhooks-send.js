#!/usr/bin/env node
'use strict';
/**
 * reliable-webhooks-send: sends one correctly signed webhook delivery for any provider the package verifies, signed
 * by the same sign() as the programmatic API, and prints the status and the answer (README "Test sender").
 *
 * The secret comes from an environment variable (WEBHOOK_SECRET, or the one --secret-env names) or from stdin
 * (--secret-stdin), never from an argument: other users of the machine can read arguments (ps, /proc/<pid>/cmdline).
 * Neither the secret nor the signature value is ever printed; both are masked in the printed answer too.
 *
 * Exit status: 0 = a 2xx answer (with --tamper: a 4xx answer, the forgery was refused); 1 = any other answer, or no
 * answer; 2 = a usage error or a delivery that cannot be signed.
 */
const fs = require('node:fs');
const { randomUUID } = require('node:crypto');
const { parseArgs } = require('node:util');

const COMMAND = 'reliable-webhooks-send';
const DEFAULT_SECRET_ENV = 'WEBHOOK_SECRET';
const DEFAULT_TIMEOUT_SECONDS = 30;
/** Longest answer printed, in bytes. */
const MAX_ANSWER_BYTES = 64 * 1024;

class UsageError extends Error {}

const ARGUMENTS = {
	provider: { type: 'string', short: 'p' },
	url: { type: 'string', short: 'u' },
	data: { type: 'string', short: 'd' },
	body: { type: 'string', short: 'b' },
	event: { type: 'string', short: 'e' },
	'delivery-id': { type: 'string' },
	method: { type: 'string', short: 'X' },
	'content-type': { type: 'string' },
	header: { type: 'string', short: 'H', multiple: true },
	option: { type: 'string', short: 'o', multiple: true },
	'secret-env': { type: 'string' },
	'secret-stdin': { type: 'boolean' },
	tamper: { type: 'boolean' },
	timeout: { type: 'string' },
	help: { type: 'boolean', short: 'h' },
};

/** Provider options that change what sign() produces (README "Programmatic API", Options); the value type of each. */
const PROVIDER_OPTIONS = {
	mode: 'string',
	header: 'string',
	algorithm: 'string',
	encoding: 'string',
	prefix: 'string',
	template: 'string',
	timestampHeader: 'string',
	timestampUnit: 'string',
	idHeader: 'string',
	bearer: 'boolean',
	keyId: 'string',
	notificationUrl: 'string',
};

const SECRET_REFUSED =
	'--secret is refused: a command-line argument can be read by every user of this machine (ps, /proc/<pid>/cmdline) ' +
	'and stays in your shell history. Put the secret in the environment variable ' +
	`${DEFAULT_SECRET_ENV} (or name another with --secret-env <name>), or pipe it in with --secret-stdin.`;

function loadCore() {
	try {
		return require('../index.js');
	} catch (error) {
		if (error && error.code === 'MODULE_NOT_FOUND' && /dist/.test(String(error.message))) {
			throw new UsageError('The built package is missing (dist/). In a clone of the repository, run `npm run build` first.');
		}
		throw error;
	}
}

// ---- arguments ---------------------------------------------------------------------------------------------------

function parseArguments(argv) {
	// Refused before parsing, so the value is never echoed and nothing else happens first.
	for (const arg of argv) {
		if (arg === '--') break;
		if (arg === '--secret' || arg.startsWith('--secret=')) throw new UsageError(SECRET_REFUSED);
	}
	try {
		return parseArgs({ args: argv, options: ARGUMENTS, allowPositionals: false, strict: true }).values;
	} catch (error) {
		// Node's message quotes a stray argument, which could be a pasted secret: name its position instead.
		if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
			throw new UsageError(`${COMMAND} takes no positional arguments (found one); every value follows its option. See --help.`);
		}
		throw new UsageError(`${error.message.replace(/[.]?$/, '.')} See --help.`);
	}
}

function parseProviderOptions(pairs) {
	const options = {};
	for (const pair of pairs ?? []) {
		const at = pair.indexOf('=');
		if (at <= 0) throw new UsageError(`--option takes key=value (for example -o algorithm=sha512); got one without "=".`);
		const key = pair.slice(0, at);
		const value = pair.slice(at + 1);
		const type = PROVIDER_OPTIONS[key];
		if (!type) throw new UsageError(`Unknown provider option "${key}". Known: ${Object.keys(PROVIDER_OPTIONS).join(', ')}.`);
		if (type === 'boolean') {
			if (value !== 'true' && value !== 'false') throw new UsageError(`Provider option ${key} takes true or false.`);
			options[key] = value === 'true';
		} else {
			options[key] = value;
		}
	}
	return options;
}

function parseHeaders(lines) {
	return (lines ?? []).map((line) => {
		const at = line.indexOf(':');
		const name = at > 0 ? line.slice(0, at).trim() : '';
		if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new UsageError('--header takes "Name: value" (for example -H "X-Request-Source: test").');
		return [name, line.slice(at + 1).trim()];
	});
}

function parseTimeout(text) {
	if (text === undefined) return DEFAULT_TIMEOUT_SECONDS;
	const seconds = Number(text);
	if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError('--timeout takes a number of seconds greater than 0.');
	return seconds;
}

// ---- provider facts (from the core's `providers`) ---------------------------------------------------------------

/**
 * Places a provider carries a value in, parsed from a `providers` source text such as "header X-GitHub-Event",
 * "body event.type | type", "header Idempotency-Key, then header X-Gitlab-Event-UUID" or
 * "body event-data.event, then form field event". Parts described only in words are not places to write to.
 */
function placesOf(source) {
	if (!source) return [];
	const places = [];
	for (const part of source.split(/, then |, or /)) {
		let match;
		if ((match = /^header (\S+)$/.exec(part))) places.push({ kind: 'header', name: match[1] });
		else if ((match = /^body (\S+(?: \| \S+)*)$/.exec(part))) places.push({ kind: 'body', paths: match[1].split(' | ') });
		else if ((match = /^form field (\S+)$/.exec(part))) places.push({ kind: 'form', name: match[1] });
	}
	return places;
}

const describePlace = (place) =>
	place.kind === 'header' ? `header ${place.name}` : place.kind === 'form' ? `form field ${place.name}` : `body ${place.path}`;

function canSign(info) {
	return info.kind !== 'ecdsa';
}

function secretHint(info) {
	if (info.id === 'discord') return 'Ed25519 private seed (hex); the trigger holds its public key';
	if (info.id === 'standard-webhooks') return 'whsec_ secret, or whsk_ Ed25519 private key (the trigger holds whpk_)';
	return info.secretLabel;
}

// ---- body --------------------------------------------------------------------------------------------------------

/** The request body and what it is: JSON (parsed without losing a digit), a urlencoded form, or other bytes. */
class Body {
	constructor(bytes, contentType, lossless) {
		this.bytes = bytes;
		this.contentType = contentType;
		this.lossless = lossless;
		this.json = undefined;
		this.jsonEdited = false;
		const type = (contentType ?? '').toLowerCase();
		if (type.startsWith('application/json') || /\+json\b/.test(type)) {
			try {
				const value = lossless.parse(bytes.toString('utf8'));
				if (value !== null && typeof value === 'object') this.json = value;
			} catch {
				// Not JSON after all: left as bytes, and nothing is written into it.
			}
		}
		this.isForm = type.startsWith('application/x-www-form-urlencoded');
	}

	/** The first of `paths` whose parent already exists; else the first that can be made in a JSON object. */
	choosePath(paths) {
		if (!this.json) return undefined;
		const parentOf = (path) => {
			let node = this.json;
			for (const key of path.split('.').slice(0, -1)) {
				node = node !== null && typeof node === 'object' ? node[key] : undefined;
			}
			if (node === null || typeof node !== 'object') return undefined;
			// A name is no place in an array: `type` set on `[1,2]` would vanish when the body is written out.
			return Array.isArray(node) && !/^\d+$/.test(path.split('.').pop()) ? undefined : node;
		};
		// The first path that exists or can be made without inventing an array element: Slack's `event.type` goes
		// into a new `event` object rather than over the envelope's own `type`; HubSpot's `0.x` only in an array.
		const creatable = (path) => !Array.isArray(this.json) && path.split('.').slice(0, -1).every((key) => !/^\d+$/.test(key));
		return paths.find((path) => parentOf(path) || creatable(path)) ?? (Array.isArray(this.json) ? undefined : paths[0]);
	}

	/** The text or number at `path` in the JSON body, if there is one (numbers keep every digit). */
	valueAt(path) {
		let node = this.json;
		for (const key of path.split('.')) node = node !== null && typeof node === 'object' ? node[key] : undefined;
		if (typeof node === 'string' && node !== '') return node;
		if (node instanceof this.lossless.LosslessNumber || typeof node === 'number') return String(node);
		return undefined;
	}

	setJson(path, value) {
		const keys = path.split('.');
		let node = this.json;
		for (const key of keys.slice(0, -1)) {
			if (node[key] === undefined || node[key] === null) node[key] = {};
			node = node[key];
			if (typeof node !== 'object') throw new UsageError(`The body's ${path} cannot be written: ${key} is not an object.`);
		}
		node[keys[keys.length - 1]] = value;
		this.jsonEdited = true;
	}

	/** Sets form fields; appends to the exact bytes when none exists yet, so the rest of the body stays as given. */
	setForm(fields) {
		const current = new URLSearchParams(this.bytes.toString('utf8'));
		if (Object.keys(fields).some((name) => current.has(name))) {
			for (const [name, value] of Object.entries(fields)) current.set(name, value);
			this.bytes = Buffer.from(current.toString(), 'utf8');
			return;
		}
		const added = new URLSearchParams(fields).toString();
		this.bytes = Buffer.from(this.bytes.length > 0 ? `${this.bytes.toString('utf8')}&${added}` : added, 'utf8');
	}

	/** The bytes to send: as given, unless a value was written into the JSON (then re-serialised, digits kept). */
	finish() {
		if (this.jsonEdited) this.bytes = Buffer.from(this.lossless.stringify(this.json), 'utf8');
		this.jsonEdited = false;
		return this.bytes;
	}
}

function sniffContentType(bytes) {
	const text = bytes.toString('utf8').trim();
	if (text === '') return undefined;
	if (text.startsWith('{') || text.startsWith('[')) {
		try {
			JSON.parse(text);
			return 'application/json';
		} catch {
			// falls through
		}
	}
	if (/^[^=&\s]+=[^\s]*$/.test(text)) return 'application/x-www-form-urlencoded';
	return 'text/plain; charset=utf-8';
}

async function readStdin() {
	const chunks = [];
	for await (const chunk of process.stdin) chunks.push(chunk);
	return Buffer.concat(chunks);
}

async function readBody(values) {
	if (values.data !== undefined && values.body !== undefined) throw new UsageError('Give the body once: --data <text> or --body <file>.');
	if (values.data !== undefined) return Buffer.from(values.data, 'utf8');
	if (values.body === undefined) return Buffer.alloc(0);
	if (values.body === '-') return readStdin();
	try {
		return fs.readFileSync(values.body);
	} catch (error) {
		throw new UsageError(`Cannot read the body file ${values.body} (${error.code ?? error.message}).`);
	}
}

/** The secret from stdin (one trailing line break, as echo and editors add, is dropped) or from the environment. */
async function readSecret(values) {
	if (values['secret-stdin']) {
		if (values.body === '-') throw new UsageError('stdin cannot carry both the body and the secret: give the body with --data or --body <file>.');
		if (process.stdin.isTTY) {
			throw new UsageError(
				'--secret-stdin reads a pipe or a file (… --secret-stdin < secret.txt). On a terminal, use the environment: ' +
					`read -rs ${DEFAULT_SECRET_ENV}; export ${DEFAULT_SECRET_ENV}`,
			);
		}
		const secret = (await readStdin()).toString('utf8').replace(/\r?\n$/, '');
		if (secret === '') throw new UsageError('stdin gave an empty secret.');
		hideSecret(secret);
		return secret;
	}
	const name = values['secret-env'] ?? DEFAULT_SECRET_ENV;
	if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError('--secret-env takes the name of an environment variable (letters, digits, _).');
	const secret = process.env[name];
	if (secret === undefined || secret === '') {
		throw new UsageError(
			`No secret: set the environment variable ${name} (read -rs ${name}; export ${name}), or pipe the secret in with ` +
				'--secret-stdin. It is never taken from the command line.',
		);
	}
	hideSecret(secret);
	return secret;
}

function hideSecret(secret) {
	hideValue(secret);
	if (secret.length >= MIN_HIDDEN_LENGTH) return;
	process.stderr.write(
		`${COMMAND}: note: the secret is ${secret.length} characters long, too short to hide in this output (and to keep a sender's signature from being guessed). Use a long random secret outside tests.\n`,
	);
}

// ---- tampering and masking -----------------------------------------------------------------------------------------

/** Index of the letter or digit nearest the middle of `from`..end, or -1. */
function middleAlphanumeric(bytes, from = 0) {
	const isAlnum = (b) => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
	const middle = from + Math.floor((bytes.length - from) / 2);
	for (let step = 0; step < bytes.length; step++) {
		for (const at of [middle + step, middle - step - 1]) if (at >= from && at < bytes.length && isAlnum(bytes[at])) return at;
	}
	return -1;
}

/** One byte changed: a letter or digit becomes the next one (z→a, 9→0), else the middle byte's low bit flips. */
function changeOneByte(bytes, from = 0) {
	const copy = Buffer.from(bytes);
	if (copy.length === 0) return { bytes: Buffer.from('x'), at: 0 };
	let at = middleAlphanumeric(copy, from);
	if (at === -1) {
		at = Math.max(from, Math.floor(copy.length / 2));
		copy[at] ^= 0x01;
		return { bytes: copy, at };
	}
	const b = copy[at];
	copy[at] = b === 0x39 ? 0x30 : b === 0x5a ? 0x41 : b === 0x7a ? 0x61 : b + 1;
	return { bytes: copy, at };
}

/** Changes a character of the signature itself: after its prefix (`sha256=`, `Bearer `), before base64 padding. */
function changeSignatureText(text) {
	const unpadded = text.replace(/=+$/, '');
	const start = Math.max(unpadded.lastIndexOf('='), unpadded.lastIndexOf(','), unpadded.lastIndexOf(' ')) + 1;
	const from = start < unpadded.length ? start : 0;
	// A hex signature stays hex (f→0, F→0), so the receiver sees a wrong signature, not a malformed one.
	if (/^[0-9a-f]+$/i.test(unpadded.slice(from))) {
		const at = from + Math.floor((unpadded.length - from) / 2);
		const digit = (parseInt(text[at], 16) + 1) % 16;
		const next = text[at] === text[at].toUpperCase() ? digit.toString(16).toUpperCase() : digit.toString(16);
		return text.slice(0, at) + next + text.slice(at + 1);
	}
	return changeOneByte(Buffer.from(text, 'latin1'), from).bytes.toString('latin1');
}

/** Values never printed: the secret and the signature (and each long piece of a signature header). */
const hiddenValues = new Set();

/**
 * Shortest value hidden in the output. Masking a shorter one shows it anyway by the gaps it leaves (a secret `test`
 * turned `/webhook-test/` into `/webhook-[hidden]/`), and garbles every line (`e` in `provid[hidden]r`).
 */
const MIN_HIDDEN_LENGTH = 8;

function hideValue(value) {
	if (typeof value !== 'string' || value.length < MIN_HIDDEN_LENGTH) return;
	for (const piece of [value, ...value.split(/[\s,;=]+/).filter((part) => part.length >= 12)]) {
		for (const spelling of spellingsOf(piece)) hiddenValues.add(spelling);
	}
}

/**
 * The other spellings of the same value a receiver may echo: upper- or lower-case hex (verify accepts both),
 * the same bytes in base64 or hex, and `/` escaped as `\/` (PHP's json_encode).
 */
function spellingsOf(piece) {
	const spellings = new Set([piece]);
	let bytes;
	if (/^[0-9a-fA-F]+$/.test(piece) && piece.length % 2 === 0) bytes = Buffer.from(piece, 'hex');
	else if (piece.length >= 12 && /^[A-Za-z0-9+/_-]+=*$/.test(piece)) bytes = Buffer.from(piece, 'base64');
	if (bytes && bytes.length >= 8) {
		const hex = bytes.toString('hex');
		for (const form of [hex, hex.toUpperCase(), bytes.toString('base64'), bytes.toString('base64url')]) spellings.add(form);
	}
	if (/^[0-9a-fA-F]+$/.test(piece)) {
		spellings.add(piece.toLowerCase());
		spellings.add(piece.toUpperCase());
	}
	for (const form of [...spellings]) if (form.includes('/')) spellings.add(form.replace(/\//g, '\\/'));
	return spellings;
}

/** JSON string escapes undone (`\u0053` → `S`, `\/` → `/`), so an escaped echo cannot slip past the masking. */
const unescapeJson = (text) => text.replace(/\\u([0-9a-fA-F]{4})/g, (_, code) => String.fromCharCode(parseInt(code, 16))).replace(/\\\//g, '/');

/** `text` with every hidden value replaced by a marker; everything printed goes through here. */
function hide(text) {
	const sorted = [...hiddenValues].sort((a, b) => b.length - a.length);
	const mask = (input) => sorted.reduce((out, piece) => out.split(piece).join('[hidden]'), input);
	const raw = String(text);
	const unescaped = unescapeJson(raw);
	// Print the unescaped form only when escaping hid something: otherwise the answer stays exactly as received.
	return unescaped !== raw && mask(unescaped) !== unescaped ? mask(unescaped) : mask(raw);
}

// ---- the delivery ------------------------------------------------------------------------------------------------

/**
 * Builds the signed request. Returns { body, headers (Headers), notes (lines to print), tamper, method, contentType }.
 * Throws UsageError for what the user can fix, and passes on sign()'s TypeError (it names the field, never a value).
 */
function buildDelivery(core, info, values, bytes, secret) {
	const options = parseProviderOptions(values.option);
	const method = (values.method ?? 'POST').toUpperCase();
	const url = values.url;
	const extraHeaders = parseHeaders(values.header);
	const explicitType = extraHeaders.find(([name]) => name.toLowerCase() === 'content-type')?.[1];
	const contentType = explicitType ?? values['content-type'] ?? sniffContentType(bytes);
	const lossless = require('lossless-json');
	const body = new Body(bytes, contentType, lossless);
	const headers = new Headers();
	if (contentType !== undefined) headers.set('Content-Type', contentType);
	for (const [name, value] of extraHeaders) headers.set(name, value);
	const notes = [];
	const now = new Date();

	/** Writes `value` where the provider carries it: the first place this body offers. */
	const place = (what, source, value) => {
		const places = placesOf(source);
		if (places.length === 0) {
			throw new UsageError(`${info.displayName} carries no ${what}${source ? ` we can write (${source})` : ''}; leave the option out, or add a header with -H.`);
		}
		for (const candidate of places) {
			if (candidate.kind === 'header') {
				headers.set(candidate.name, value);
				return candidate;
			}
			if (candidate.kind === 'form' && body.isForm) {
				body.setForm({ [candidate.name]: value });
				return candidate;
			}
			if (candidate.kind === 'body') {
				const path = body.choosePath(candidate.paths);
				if (path !== undefined) {
					body.setJson(path, value);
					return { kind: 'body', path };
				}
			}
		}
		throw new UsageError(
			`${info.displayName} carries the ${what} in ${source}, and this body is not ${places.some((p) => p.kind === 'form') ? 'JSON or a form' : 'a JSON object'}` +
				` (Content-Type ${contentType ?? 'none'}): put it in the body yourself, or leave the option out.`,
		);
	};

	const idSource = info.deliveryIdSource ?? (options.idHeader ? `header ${options.idHeader}` : undefined);
	let deliveryId = values['delivery-id'];
	const idPlaces = placesOf(idSource);
	// A provider that carries the id in a header always sends one: a fresh UUID when none was given.
	if (deliveryId === undefined && idPlaces[0]?.kind === 'header') deliveryId = randomUUID();
	let idInHeader = false;
	if (deliveryId !== undefined) {
		const where = place('delivery id', idSource, deliveryId);
		idInHeader = where.kind === 'header';
		notes.push(['delivery id', `${deliveryId}  (${describePlace(where)})`]);
	} else {
		// The body already carries one (Stripe's `id`, Slack's `event_id`): the trigger reads that, so show it.
		const found = idPlaces.flatMap((candidate) => (candidate.kind === 'body' ? candidate.paths : [])).find((path) => body.valueAt(path) !== undefined);
		if (found !== undefined) notes.push(['delivery id', `${body.valueAt(found)}  (body ${found}, as given: sending this body again is a repeat)`]);
	}
	if (values.event !== undefined) {
		const where = place('event type', info.eventTypeSource, values.event);
		notes.push(['event type', `${values.event}  (${describePlace(where)})`]);
	}
	// A timestamp signed inside the body (Linear's webhookTimestamp) is written at sending time, as the provider does.
	const bodyTimestamp = /^body ([\w.-]+)$/.exec(info.timestampSource ?? '')?.[1];
	if (bodyTimestamp && body.json && !Array.isArray(body.json)) {
		const value = info.timestampUnit === 'ms' ? now.getTime() : Math.floor(now.getTime() / 1000);
		body.setJson(bodyTimestamp, value);
		notes.push(['timestamp', `${value}  (body ${bodyTimestamp}, the signing time)`]);
	}

	const finalBytes = body.finish();
	const signInput = {
		provider: info.id,
		secret,
		body: finalBytes,
		method,
		url,
		options,
		timestamp: now,
		...(idInHeader && { id: deliveryId }),
	};
	const signed = core.sign(signInput);
	let signatureHeader;
	let sendBytes = finalBytes;

	if (info.id === 'mailgun') {
		// sign() returns Mailgun's three values, which travel in the body (JSON `signature` object or form fields).
		if (body.json && !Array.isArray(body.json)) {
			body.setJson('signature', signed);
			sendBytes = body.finish();
		} else if (body.isForm || finalBytes.length === 0) {
			if (!body.isForm) headers.set('Content-Type', 'application/x-www-form-urlencoded');
			body.isForm = true;
			body.setForm(signed);
			sendBytes = body.bytes;
		} else {
			throw new UsageError('Mailgun carries its signature in the body: give a JSON object or a urlencoded form body.');
		}
		hideValue(signed.signature);
		notes.push(['signed', 'body signature (timestamp, token, signature; value not shown)']);
	} else {
		for (const [name, value] of Object.entries(signed)) headers.set(name, value);
		const wanted = (options.header || info.signatureHeader).toLowerCase();
		signatureHeader = Object.keys(signed).find((name) => name.toLowerCase() === wanted) ?? Object.keys(signed)[0];
		hideValue(signed[signatureHeader]);
		notes.push(['signed', `${Object.keys(signed).join(', ')}  (signature value not shown)`]);
		const replaced = extraHeaders.filter(([name]) => Object.keys(signed).some((set) => set.toLowerCase() === name.toLowerCase())).map(([name]) => name);
		if (replaced.length > 0) notes.push(['note', `-H ${[...new Set(replaced)].join(', ')} replaced by what signing set (use --tamper to send a wrong signature)`]);
	}

	let tamper;
	if (values.tamper) tamper = tamperDelivery(core, info, signInput, signed, signatureHeader, sendBytes, headers);
	return { body: tamper ? tamper.body : sendBytes, headers, notes, tamper, method, contentType: headers.get('content-type') };
}

/**
 * The tampered copy. When the signature covers the body (probe: signing a changed body with the same time and id
 * gives another signature, or cannot be done, as with Twilio's bodySHA256), one byte of the body changes; otherwise
 * (tokens, Mailgun, templates without {body}) one character of the signature itself changes.
 */
function tamperDelivery(core, info, signInput, signed, signatureHeader, bytes, headers) {
	const changed = changeOneByte(bytes);
	const probe = { ...signInput, body: bytes, id: signInput.id ?? 'tamper-probe' };
	let covered;
	try {
		const a = core.sign(probe);
		const b = core.sign({ ...probe, body: changed.bytes });
		covered = JSON.stringify(a) !== JSON.stringify(b);
	} catch {
		covered = true;
	}
	if (covered) {
		const description = bytes.length === 0 ? 'one byte added to the empty body' : `one byte of the body changed (byte ${changed.at + 1} of ${bytes.length})`;
		return { body: changed.bytes, description };
	}
	if (info.id === 'mailgun') {
		const form = headers.get('content-type')?.startsWith('application/x-www-form-urlencoded');
		const text = bytes.toString('utf8');
		const forged = changeSignatureText(signed.signature);
		hideValue(forged); // one character from the real signature: as telling as the real one
		const body = Buffer.from(form ? text.replace(`signature=${signed.signature}`, `signature=${forged}`) : text.replace(`"${signed.signature}"`, `"${forged}"`), 'utf8');
		return { body, description: 'one character of the body signature changed (Mailgun signs the timestamp and token, not the body)' };
	}
	if (Object.keys(signed).length === 0) {
		// The token travels in the body (Microsoft Graph's clientState): change one character of each copy of it.
		const quoted = JSON.stringify(signInput.secret);
		const forged = changeSignatureText(signInput.secret);
		hideValue(forged);
		const text = bytes.toString('utf8');
		if (!text.includes(quoted)) throw new UsageError(`${info.displayName} carries the secret in the body, and the body does not contain it.`);
		return { body: Buffer.from(text.split(quoted).join(JSON.stringify(forged)), 'utf8'), description: `one character of the token in the body changed (${info.displayName} sends no signature header)` };
	}
	const forged = changeSignatureText(signed[signatureHeader]);
	hideValue(forged); // for a token, one character from the secret itself
	headers.set(signatureHeader, forged);
	return { body: bytes, description: `one character of ${signatureHeader} changed (${info.displayName} does not sign the body)` };
}

// ---- help ----------------------------------------------------------------------------------------------------------

function helpText(core) {
	const width = Math.max(...core.providers.map((info) => info.id.length)) + 4;
	const rows = core.providers.map((info) => {
		if (!canSign(info)) return [info.id, `${info.displayName}: verify only, cannot be signed here (see below)`];
		const lines = [`${info.displayName}; secret: ${secretHint(info)}`];
		if (info.eventTypeSource) lines.push(`event type: ${info.eventTypeSource}`);
		if (info.deliveryIdSource) lines.push(`delivery id: ${info.deliveryIdSource}`);
		return [info.id, lines.join(`\n${' '.repeat(width + 2)}`)];
	});
	return `Usage: ${COMMAND} --provider <id> --url <url> [--data <text> | --body <file|->] [options]

Sends one webhook delivery signed with this package's own sign() (the code the Signed Webhook Trigger verifies
with) and prints the status and the answer. The secret is read from the environment variable ${DEFAULT_SECRET_ENV}
(or the one --secret-env names) or from stdin, never from an argument: other users can read arguments with ps.
Neither the secret nor the signature is printed.

Options:
  -p, --provider <id>          provider id, from the list below
  -u, --url <url>              where to send. Twilio, Square, HubSpot (and generic-hmac's {url}) sign this exact URL:
                               give the URL the trigger sees (its test URL while the editor listens)
  -d, --data <text>            the body as text
  -b, --body <file>            the body from a file; "-" reads stdin (default: an empty body)
  -e, --event <type>           event type, written where the provider carries it (header or body, list below)
      --delivery-id <id>       delivery id, likewise (default: a new UUID when the provider carries it in a header)
  -X, --method <method>        default POST
      --content-type <type>    default: application/json for a JSON body, application/x-www-form-urlencoded for
                               a=1&b=2, else text/plain
  -H, --header 'Name: value'   an extra header (repeatable)
  -o, --option key=value       a provider option (repeatable, list below)
      --secret-env <name>      environment variable holding the secret (default ${DEFAULT_SECRET_ENV})
      --secret-stdin           read the secret from stdin, a pipe or a file (one trailing line break is dropped)
      --tamper                 send a copy with one byte changed: a verifying receiver answers 401
      --timeout <seconds>      default ${DEFAULT_TIMEOUT_SECONDS}
  -h, --help                   this text
  (--secret is refused on purpose.)

When a value must go into a JSON body (Stripe's type and id, Linear's webhookTimestamp, Mailgun's signature), the
body is re-serialised with every number kept exactly; otherwise the bytes are sent as given.

Provider options (-o key=value):
  mode=token|signing-token          gitlab (default token; signing-token takes a whsec_ secret); convoy: mode=advanced
  algorithm=sha256                  twilio: HMAC-SHA256 with a Webhook Setting's SharedKey (default: Auth Token, SHA-1)
  keyId=<id>                        twilio with algorithm=sha256: key= of X-Twilio-Webhooks-Signature-Settings
  header=<name>                     generic-hmac (default X-Signature), generic-token (default Authorization)
  algorithm=sha1|sha256|sha512      generic-hmac, convoy (default sha256)
  encoding=hex|base64               generic-hmac, convoy (default hex)
  prefix=<text>                     generic-hmac, e.g. prefix=sha256=
  template=<text>                   generic-hmac: what is signed, from {timestamp} {id} {method} {url} {body}
  timestampHeader=<name>            generic-hmac, with timestampUnit=s|ms
  idHeader=<name>                   generic-hmac: header carrying the delivery id ({id})
  bearer=true|false                 generic-token: "Bearer <token>" (default true for Authorization)
  notificationUrl=<url>             square: the notification URL as registered, when it differs from --url

Providers:
${rows.map(([id, text]) => `  ${id.padEnd(width)}${text}`).join('\n')}

sendgrid cannot be signed: SendGrid signs with an ECDSA private key only SendGrid holds, and the trigger keeps only
the public verification key. Send a test event from SendGrid instead.

Exit status: 0 = a 2xx answer (with --tamper: a 4xx answer, the forgery was refused); 1 = any other answer or no
answer; 2 = a usage error, or a delivery that cannot be signed.

Examples:
  read -rs ${DEFAULT_SECRET_ENV}; export ${DEFAULT_SECRET_ENV}
  ${COMMAND} -p github -u http://localhost:5678/webhook-test/github -e push -d '{"ref":"refs/heads/main"}'
  ${COMMAND} -p stripe -u http://localhost:5678/webhook/stripe -e payment_intent.succeeded \\
      --delivery-id evt_test_1 --body event.json --tamper
  pass show stripe/whsec | ${COMMAND} -p stripe -u … --secret-stdin --body event.json
`;
}

// ---- main ----------------------------------------------------------------------------------------------------------

async function main(argv) {
	const values = parseArguments(argv);
	const core = loadCore();
	if (values.help) {
		process.stdout.write(helpText(core));
		return 0;
	}
	if (!values.provider) throw new UsageError(`--provider is required. Providers: ${core.providerIds.join(', ')}. See --help.`);
	const info = core.providers.find((candidate) => candidate.id === values.provider);
	if (!info) {
		const near = core.providerIds.find((id) => id.toLowerCase() === String(values.provider).toLowerCase().replace(/[\s_]+/g, '-'));
		if (near) throw new UsageError(`Unknown provider "${values.provider}". Did you mean ${near}? Provider ids are lower case.`);
		throw new UsageError(`Unknown provider "${values.provider}". Providers: ${core.providerIds.join(', ')}.`);
	}
	if (!canSign(info)) {
		throw new UsageError(
			`${info.id} cannot be signed here: ${info.displayName} signs with an ECDSA private key that only the provider holds, ` +
				'and the trigger keeps only the public verification key (verify only). Send a test event from the provider instead.',
		);
	}
	if (!values.url) throw new UsageError('--url is required: the webhook URL to send to.');
	let parsedUrl;
	try {
		parsedUrl = new URL(values.url);
	} catch {
		throw new UsageError('--url is not a URL (expected http://… or https://…).');
	}
	if (parsedUrl.protocol !== 'http:' && parsedUrl.protocol !== 'https:') throw new UsageError('--url must start with http:// or https://.');
	if (parsedUrl.username !== '' || parsedUrl.password !== '') {
		// fetch refuses such URLs, and printing it would show the password.
		throw new UsageError("--url carries a user name or password (user:pass@host), which fetch refuses: send them as a header instead, -H 'Authorization: Basic <base64 of user:pass>'.");
	}
	const timeoutSeconds = parseTimeout(values.timeout);

	const bytes = await readBody(values);
	const secret = await readSecret(values);
	let delivery;
	try {
		delivery = buildDelivery(core, info, values, bytes, secret);
	} catch (error) {
		if (error instanceof UsageError) throw error;
		const hint = info.kind === 'ed25519' ? ` (${info.id} signs with an Ed25519 private key: ${secretHint(info)})` : '';
		// sign()'s messages name the API call; on the command line the call is this command.
		throw new UsageError(`Cannot sign: ${String(error.message).replace(/^sign\(\): /, '')}${hint}`);
	}
	if (['GET', 'HEAD'].includes(delivery.method) && delivery.body.length > 0) throw new UsageError(`A ${delivery.method} request cannot carry a body.`);

	const out = [`${delivery.method} ${values.url}`, ...[
		['provider', `${info.id} (${info.displayName})`],
		['body', `${delivery.body.length} ${delivery.body.length === 1 ? 'byte' : 'bytes'}${delivery.contentType ? `, ${delivery.contentType}` : ''}`],
		...delivery.notes,
		...(delivery.tamper ? [['tampered', `${delivery.tamper.description}; expect 401`]] : []),
	].map(([label, text]) => `  ${label.padEnd(12)}${text}`)];
	if (parsedUrl.href !== values.url) out.push(`  note        fetch sends the URL as ${parsedUrl.href}; the signature covers the URL as given`);
	process.stdout.write(`${hide(out.join('\n'))}\n`);

	let response;
	try {
		response = await fetch(values.url, {
			method: delivery.method,
			headers: delivery.headers,
			body: ['GET', 'HEAD'].includes(delivery.method) ? undefined : delivery.body,
			redirect: 'manual',
			signal: AbortSignal.timeout(timeoutSeconds * 1000),
		});
	} catch (error) {
		const reason = error.name === 'TimeoutError' ? `no answer within ${timeoutSeconds} s` : (error.cause?.code ?? error.cause?.message ?? error.message);
		process.stderr.write(`${hide(`${COMMAND}: no answer from ${values.url}: ${reason}`)}\n`);
		return 1;
	}
	const answer = Buffer.from(await response.arrayBuffer());
	const shown = answer.subarray(0, MAX_ANSWER_BYTES).toString('utf8');
	const lines = [`HTTP ${response.status} ${response.statusText}`.trimEnd()];
	const location = response.headers.get('location');
	if (location) lines.push(`Location: ${location}`);
	if (shown !== '') lines.push(shown);
	if (answer.length > MAX_ANSWER_BYTES) lines.push(`… (${answer.length - MAX_ANSWER_BYTES} more bytes not shown)`);
	process.stdout.write(`${hide(lines.join('\n'))}\n`);

	const ok = response.status >= 200 && response.status < 300;
	if (delivery.tamper) {
		if (ok) {
			process.stderr.write('The receiver ACCEPTED the tampered delivery: it does not verify this signature.\n');
			return 1;
		}
		return response.status >= 400 && response.status < 500 ? 0 : 1;
	}
	return ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
	(code) => {
		process.exitCode = code;
	},
	(error) => {
		if (error instanceof UsageError) {
			process.stderr.write(`${COMMAND}: ${hide(error.message)}\n`);
			process.exitCode = 2;
			return;
		}
		process.stderr.write(`${COMMAND}: unexpected error: ${hide(error && error.stack ? error.stack : error)}\n`);
		process.exitCode = 1;
	},
);
