/** Which URLs the forward may call: https always; plain http only when allowed or on the loopback interface. */
import ipaddr from 'ipaddr.js';

export type TargetCheck = { ok: true; url: URL } | { ok: false; message: string };

export function isLoopbackHost(hostname: string): boolean {
	const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	if (host === 'localhost' || host.endsWith('.localhost')) return true;
	if (!ipaddr.isValid(host)) return false;
	let address = ipaddr.parse(host);
	if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
		address = (address as ipaddr.IPv6).toIPv4Address();
	}
	return address.range() === 'loopback';
}

export function checkTargetUrl(raw: string, allowPlainHttp: boolean): TargetCheck {
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		return { ok: false, message: `The URL "${raw.slice(0, 200)}" is not a valid absolute URL` };
	}
	if (url.protocol === 'https:') return { ok: true, url };
	if (url.protocol !== 'http:') {
		return { ok: false, message: `Only http and https URLs can be called (got ${url.protocol})` };
	}
	if (allowPlainHttp || isLoopbackHost(url.hostname)) return { ok: true, url };
	return {
		ok: false,
		message: `Refusing plain http to ${url.host}: the body and signature would travel unencrypted. Use https, or turn on "Allow Plain HTTP"`,
	};
}
