import ipaddr from 'ipaddr.js';

/** One allowlist entry, normalised: IPv4-mapped IPv6 entries are stored as IPv4. */
interface AllowedRange {
	readonly entry: string;
	readonly network: ipaddr.IPv4 | ipaddr.IPv6;
	readonly prefixLength: number;
}

export interface IpAllowlist {
	readonly ranges: readonly AllowedRange[];
	/** Entries that are neither an address nor a CIDR range; they never match anything. */
	readonly invalidEntries: readonly string[];
}

const IPV4_MAPPED_PREFIX_BITS = 96;

/** Splits a comma, space or newline separated list and drops empty entries. */
export function splitAllowlistEntries(input: string | readonly string[]): string[] {
	const parts = typeof input === 'string' ? input.split(/[\s,]+/) : input.flatMap((part) => part.split(/[\s,]+/));
	return parts.map((part) => part.trim()).filter((part) => part.length > 0);
}

function parseEntry(entry: string): AllowedRange | undefined {
	const slash = entry.indexOf('/');
	const addressText = slash === -1 ? entry : entry.slice(0, slash);
	const prefixText = slash === -1 ? undefined : entry.slice(slash + 1);

	let address: ipaddr.IPv4 | ipaddr.IPv6;
	// Only dotted four-part decimal for IPv4: ipaddr.js also accepts forms like "10" or "0x0a.1", which confuse people.
	if (ipaddr.IPv4.isValidFourPartDecimal(addressText)) address = ipaddr.IPv4.parse(addressText);
	else if (ipaddr.IPv6.isValid(addressText)) address = ipaddr.IPv6.parse(addressText);
	else return undefined;

	const maxBits = address.kind() === 'ipv4' ? 32 : 128;
	let prefixLength = maxBits;
	if (prefixText !== undefined) {
		if (!/^\d{1,3}$/.test(prefixText)) return undefined;
		prefixLength = Number(prefixText);
		if (prefixLength > maxBits) return undefined;
	}

	if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() && prefixLength >= IPV4_MAPPED_PREFIX_BITS) {
		return { entry, network: (address as ipaddr.IPv6).toIPv4Address(), prefixLength: prefixLength - IPV4_MAPPED_PREFIX_BITS };
	}
	return { entry, network: address, prefixLength };
}

/** Parses IPv4/IPv6 addresses and CIDR ranges (e.g. `192.0.2.0/24`, `2001:db8::/32`, `::ffff:10.0.0.1`). */
export function parseIpAllowlist(input: string | readonly string[]): IpAllowlist {
	const ranges: AllowedRange[] = [];
	const invalidEntries: string[] = [];
	for (const entry of splitAllowlistEntries(input)) {
		const range = parseEntry(entry);
		if (range) ranges.push(range);
		else invalidEntries.push(entry);
	}
	return { ranges, invalidEntries };
}

/** Normalises a client address; IPv4-mapped IPv6 (`::ffff:203.0.113.9`) becomes IPv4. Zone ids are dropped. */
export function normalizeClientAddress(address: string | undefined): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
	if (!address) return undefined;
	const withoutZone = address.includes('%') ? address.slice(0, address.indexOf('%')) : address;
	if (!ipaddr.isValid(withoutZone)) return undefined;
	return ipaddr.process(withoutZone);
}

/** True when the address falls in any range of the list. An unparseable address never matches. */
export function isIpAllowed(allowlist: IpAllowlist, clientAddress: string | undefined): boolean {
	const client = normalizeClientAddress(clientAddress);
	if (!client) return false;
	return allowlist.ranges.some(
		(range) => range.network.kind() === client.kind() && client.match(range.network, range.prefixLength),
	);
}
