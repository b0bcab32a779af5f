import { canonicalHash, canonicalJson, parseJsonExact } from '../../../nodes/core/json';
import { deriveIdempotencyKey } from '../../../nodes/core/delivery';
import { hashFields, hashValue } from '../../../nodes/core/dedupe';

describe('parseJsonExact', () => {
	it('keeps every digit of integers beyond 2^53 (two orders stay two)', () => {
		const a = parseJsonExact('{"order_id":8202522731445525542}') as { order_id: unknown };
		const b = parseJsonExact('{"order_id":8202522731445525543}') as { order_id: unknown };
		expect(a.order_id).toBe('8202522731445525542');
		expect(b.order_id).toBe('8202522731445525543');
		expect(hashValue(a)).not.toBe(hashValue(b));
		expect(deriveIdempotencyKey(a as Record<string, unknown>)).not.toBe(deriveIdempotencyKey(b as Record<string, unknown>));
		expect(hashFields(a as Record<string, unknown>, ['order_id'])).not.toBe(hashFields(b as Record<string, unknown>, ['order_id']));
	});
	it('returns plain numbers for every value a double holds exactly', () => {
		expect(parseJsonExact('{"a":9007199254740991,"b":-9007199254740991,"c":0.1,"d":1.5e3,"e":[1,2]}')).toEqual({
			a: 9007199254740991, b: -9007199254740991, c: 0.1, d: 1500, e: [1, 2],
		});
	});
	it('keeps the text of short numbers that overflow or underflow (exponent of three digits)', () => {
		expect(parseJsonExact('{"a":1e400,"b":-1e400,"c":1E+400,"d":1e-400,"e":0.1e-330,"f":1e5,"g":2.5e-7}')).toEqual({
			a: '1e400', b: '-1e400', c: '1E+400', d: '1e-400', e: '0.1e-330', f: 100000, g: 2.5e-7,
		});
	});
	it('keeps the text of numbers that would round or overflow', () => {
		expect(parseJsonExact('[9007199254740993,-9007199254740993,1e400,0.12345678901234567890]')).toEqual([
			'9007199254740993', '-9007199254740993', '1e400', '0.12345678901234567890',
		]);
	});
	it('leaves long digit runs inside strings alone and parses like JSON.parse otherwise', () => {
		const text = '{"card":"12345678901234567890","n":12,"nested":{"x":[true,null,"é\\u00e9"]}}';
		expect(parseJsonExact(text)).toEqual(JSON.parse(text));
		expect(parseJsonExact('\uFEFF{"a":1}')).toEqual({ a: 1 });
	});
	it('throws a SyntaxError on invalid JSON, on both paths', () => {
		expect(() => parseJsonExact('{"a":')).toThrow(SyntaxError);
		expect(() => parseJsonExact('{"a":12345678901234567890,')).toThrow();
	});
});

describe('canonicalJson: one canonical form for every derived key', () => {
	it('sorts keys at every level', () => {
		expect(canonicalJson({ b: [2, 1], a: { d: 1, c: null } })).toBe('{"a":{"c":null,"d":1},"b":[2,1]}');
	});
	it('writes a Date as its ISO text, so different dates give different keys', () => {
		const one = { at: new Date('2026-01-01T00:00:00Z') };
		const two = { at: new Date('2026-01-02T00:00:00Z') };
		expect(canonicalJson(one)).toBe('{"at":"2026-01-01T00:00:00.000Z"}');
		expect(canonicalHash(one)).not.toBe(canonicalHash(two));
		expect(deriveIdempotencyKey(one)).not.toBe(deriveIdempotencyKey(two));
		expect(hashValue(one)).not.toBe(hashValue(two));
	});
	it('writes a bigint as exact digits, distinct from the same digits as a string', () => {
		expect(canonicalJson({ n: 8202522731445525542n })).toBe('{"n":8202522731445525542}');
		expect(canonicalHash({ n: 8202522731445525542n })).not.toBe(canonicalHash({ n: '8202522731445525542' }));
	});
	it('matches JSON.stringify for undefined and functions, and keeps non-finite numbers apart from null', () => {
		expect(canonicalJson({ u: undefined, f: () => 1, n: NaN, arr: [undefined, Infinity, -Infinity] })).toBe('{"arr":[null,Infinity,-Infinity],"n":NaN}');
		expect(canonicalJson(undefined)).toBe('null');
	});
	it('the dedupe hash and the idempotency key read the same canonical text', () => {
		const item = { z: 1, a: { y: [1, { b: 2, a: 1 }] } };
		expect(hashValue(item)).toBe(canonicalHash(item));
		expect(canonicalJson(item)).toBe('{"a":{"y":[1,{"a":1,"b":2}]},"z":1}');
	});
});
