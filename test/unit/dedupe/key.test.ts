import fc from 'fast-check';

import { canonicalJson, hashFields, hashValue, normaliseKey, storageKey, MAX_RAW_KEY_LENGTH } from '../../../nodes/core/dedupe';

function shuffleKeys(value: unknown, seed: number): unknown {
	if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, seed));
	if (value === null || typeof value !== 'object') return value;
	const names = Object.keys(value);
	const order = names.map((name, i) => ({ name, rank: (i * 7919 + seed) % (names.length + 3) })).sort((a, b) => a.rank - b.rank);
	const out: Record<string, unknown> = {};
	// defineProperty: fast-check generates own "__proto__" keys, which a plain assignment would turn into a prototype.
	for (const { name } of order) {
		Object.defineProperty(out, name, { value: shuffleKeys((value as Record<string, unknown>)[name], seed), enumerable: true, writable: true, configurable: true });
	}
	return out;
}

describe('dedupe key derivation', () => {
	it('hashes the same object the same way whatever its key order (property)', () => {
		fc.assert(
			fc.property(fc.jsonValue(), fc.nat(1000), (value, seed) => {
				expect(hashValue(shuffleKeys(value, seed))).toBe(hashValue(value));
			}),
		);
	});

	it('keeps apart what the reviewer found merged: missing vs null fields, non-finite numbers, a raw key spelled like a stored hash', () => {
		expect(hashFields({ a: 1 }, ['a', 'b'])).not.toBe(hashFields({ a: 1, b: null }, ['a', 'b']));
		expect(hashValue({ id: Infinity })).not.toBe(hashValue({ id: -Infinity }));
		expect(hashValue({ id: Infinity })).not.toBe(hashValue({ id: null }));
		expect(hashValue({ id: NaN })).not.toBe(hashValue({ id: null }));
		const long = 'k'.repeat(200);
		const forged = storageKey(long);
		expect(forged).toMatch(/^sha256:[0-9a-f]{64}$/);
		expect(storageKey(forged)).not.toBe(forged);
		expect(normaliseKey(new Date('invalid'))).toBeUndefined();
	});

	it('keeps an own "__proto__" member as data (as JSON.parse gives it)', () => {
		expect(canonicalJson(JSON.parse('{"__proto__":false,"a":1}'))).toBe('{"__proto__":false,"a":1}');
		expect(hashValue(JSON.parse('{"__proto__":{"x":1}}'))).not.toBe(hashValue(JSON.parse('{"__proto__":{"x":2}}')));
	});

	it('sorts nested keys and keeps array order', () => {
		expect(canonicalJson({ b: [2, 1], a: { d: 1, c: null } })).toBe('{"a":{"c":null,"d":1},"b":[2,1]}');
		expect(hashValue([1, 2])).not.toBe(hashValue([2, 1]));
	});

	it('is a 64-hex SHA-256 and differs for different values', () => {
		expect(hashValue({ id: 'evt_1' })).toMatch(/^[0-9a-f]{64}$/);
		expect(hashValue({ id: 'evt_1' })).not.toBe(hashValue({ id: 'evt_2' }));
	});

	it('hashes chosen fields (dot paths) and ignores the rest', () => {
		const a = { order: { id: 7, total: 3 }, receivedAt: 'x' };
		const b = { receivedAt: 'y', order: { total: 3, id: 7 } };
		expect(hashFields(a, ['order.id', 'order.total'])).toBe(hashFields(b, ['order.total', ' order.id ']));
		expect(hashFields(a, ['order.id'])).not.toBe(hashFields({ order: { id: 8 } }, ['order.id']));
		// Field names are part of the key.
		expect(hashFields({ a: 1 }, ['a'])).not.toBe(hashFields({ b: 1 }, ['b']));
	});

	it('has no key when every chosen field is missing', () => {
		expect(hashFields({ other: 1 }, ['id', 'meta.id'])).toBeUndefined();
		expect(hashFields({ id: 0 }, ['id', 'meta.id'])).toEqual(expect.any(String));
	});

	it('treats undefined, null and blank text as no key, numbers and objects as keys', () => {
		expect(normaliseKey(undefined)).toBeUndefined();
		expect(normaliseKey(null)).toBeUndefined();
		expect(normaliseKey('  ')).toBeUndefined();
		expect(normaliseKey(0)).toBe('0');
		expect(normaliseKey('evt_1')).toBe('evt_1');
		expect(normaliseKey({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
	});

	it('gives different keys for values that differ only beyond 2^53 or only in a Date (issue 10, kinds 3 and 4)', () => {
		// The order ids of the bug report, as the trigger now puts them out (exact digits as text), and as bigint.
		const a = { order_id: '8202522731445525542' };
		const b = { order_id: '8202522731445525543' };
		expect(hashValue(a)).not.toBe(hashValue(b));
		expect(hashFields(a, ['order_id'])).not.toBe(hashFields(b, ['order_id']));
		expect(normaliseKey(a.order_id)).not.toBe(normaliseKey(b.order_id));
		expect(normaliseKey(8202522731445525542n)).toBe('8202522731445525542');
		expect(hashValue({ id: 8202522731445525542n })).not.toBe(hashValue({ id: 8202522731445525543n }));
		const early = { at: new Date('2026-03-01T10:00:00.000Z') };
		const late = { at: new Date('2026-03-01T10:00:00.001Z') };
		expect(hashValue(early)).not.toBe(hashValue(late));
		expect(hashFields(early, ['at'])).not.toBe(hashFields(late, ['at']));
		expect(normaliseKey(early.at)).toBe('2026-03-01T10:00:00.000Z');
		expect(normaliseKey(early.at)).not.toBe(normaliseKey(late.at));
	});

	it('refuses circular structures with a clear error', () => {
		const loop: Record<string, unknown> = {};
		loop.self = loop;
		expect(() => hashValue(loop)).toThrow(/circular/);
	});

	it('stores short keys as they are and long keys as their SHA-256', () => {
		expect(storageKey('evt_1')).toBe('evt_1');
		const long = 'x'.repeat(MAX_RAW_KEY_LENGTH + 1);
		expect(storageKey(long)).toMatch(/^sha256:[0-9a-f]{64}$/);
		expect(storageKey(long)).not.toBe(storageKey(long + 'y'));
	});
});
