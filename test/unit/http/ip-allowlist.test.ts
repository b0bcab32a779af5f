import { isIpAllowed, normalizeClientAddress, parseIpAllowlist } from '../../../nodes/core/http';

describe('parseIpAllowlist', () => {
	it('accepts addresses and CIDR ranges separated by commas, spaces or newlines', () => {
		const list = parseIpAllowlist('192.0.2.1, 198.51.100.0/24\n2001:db8::/32  ::1');
		expect(list.ranges.map((r) => r.entry)).toEqual(['192.0.2.1', '198.51.100.0/24', '2001:db8::/32', '::1']);
		expect(list.invalidEntries).toEqual([]);
	});

	it.each([
		['not-an-ip'],
		['10'], // ipaddr.js would read this as 0.0.0.10; we refuse it
		['0x0a.0.0.1'],
		['192.0.2.0/33'],
		['2001:db8::/129'],
		['192.0.2.0/'],
		['192.0.2.0/-1'],
		['192.0.2.0/abc'],
		['256.0.0.1'],
	])('reports %s as invalid and never matches it', (entry) => {
		const list = parseIpAllowlist([entry]);
		expect(list.ranges).toHaveLength(0);
		expect(list.invalidEntries).toEqual([entry]);
		expect(isIpAllowed(list, '0.0.0.10')).toBe(false);
		expect(isIpAllowed(list, '10.0.0.1')).toBe(false);
	});
});

describe('isIpAllowed', () => {
	const table: Array<[string, string, boolean]> = [
		// IPv4 single addresses and CIDR
		['192.0.2.1', '192.0.2.1', true],
		['192.0.2.1', '192.0.2.2', false],
		['198.51.100.0/24', '198.51.100.255', true],
		['198.51.100.0/24', '198.51.101.0', false],
		['10.0.0.0/8', '10.255.255.255', true],
		['0.0.0.0/0', '203.0.113.7', true],
		['0.0.0.0/0', '2001:db8::1', false], // an IPv4 range never matches a native IPv6 client
		// IPv6 single addresses and CIDR
		['2001:db8::1', '2001:db8:0:0:0:0:0:1', true],
		['2001:db8::/32', '2001:db8:ffff::1', true],
		['2001:db8::/32', '2001:db9::1', false],
		['::1', '::1', true],
		['::/0', '192.0.2.1', false],
		// IPv4-mapped IPv6 clients (what Node reports on a dual-stack socket) match IPv4 entries
		['192.0.2.1', '::ffff:192.0.2.1', true],
		['198.51.100.0/24', '::ffff:198.51.100.20', true],
		['198.51.100.0/24', '::ffff:198.51.101.20', false],
		['127.0.0.1', '::ffff:127.0.0.1', true],
		// IPv4-mapped entries match IPv4 clients too
		['::ffff:192.0.2.1', '192.0.2.1', true],
		['::ffff:10.0.0.0/104', '10.1.2.3', true],
		['::ffff:10.0.0.0/104', '11.1.2.3', false],
		// IPv6 zone ids are ignored
		['fe80::1', 'fe80::1%eth0', true],
		// garbage client addresses never match
		['0.0.0.0/0', 'garbage', false],
		['0.0.0.0/0', '', false],
	];
	it.each(table)('allowlist %s, client %s → %s', (entry, client, expected) => {
		expect(isIpAllowed(parseIpAllowlist(entry), client)).toBe(expected);
	});

	it('matches when any entry matches', () => {
		const list = parseIpAllowlist(['203.0.113.9', 'bogus', '2001:db8::/48']);
		expect(isIpAllowed(list, '2001:db8:0:1::5')).toBe(true);
		expect(isIpAllowed(list, '203.0.113.9')).toBe(true);
		expect(isIpAllowed(list, '203.0.113.10')).toBe(false);
	});

	it('an empty list allows nobody', () => {
		expect(isIpAllowed(parseIpAllowlist(''), '127.0.0.1')).toBe(false);
	});

	it('isIpAllowed with undefined client is false', () => {
		expect(isIpAllowed(parseIpAllowlist('0.0.0.0/0'), undefined)).toBe(false);
	});
});

describe('normalizeClientAddress', () => {
	it('turns IPv4-mapped IPv6 into IPv4', () => {
		expect(normalizeClientAddress('::ffff:127.0.0.1')?.toString()).toBe('127.0.0.1');
		expect(normalizeClientAddress('::1')?.kind()).toBe('ipv6');
	});
});
