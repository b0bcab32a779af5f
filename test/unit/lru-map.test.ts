import fc from 'fast-check';
import { LruMap } from '../../nodes/core/lru-map';

describe('LruMap (the one bounded least-recently-used map)', () => {
	it('drops the least recently used beyond max; get and set refresh an entry, peek and has do not', () => {
		const map = new LruMap<string, number>(2);
		map.set('a', 1).set('b', 2);
		expect(map.get('a')).toBe(1); // a is now the most recent
		map.set('c', 3);
		expect([...map].map(([key]) => key)).toEqual(['a', 'c']);
		expect(map.peek('a')).toBe(1); // no refresh: a stays the oldest
		expect(map.has('a')).toBe(true);
		map.set('d', 4);
		expect([...map].map(([key]) => key)).toEqual(['c', 'd']);
		map.set('c', 30); // an update refreshes too
		map.set('e', 5);
		expect([...map]).toEqual([
			['c', 30],
			['e', 5],
		]);
	});

	it('keeps falsy values as entries', () => {
		const map = new LruMap<string, number>(2);
		map.set('zero', 0).set('one', 1);
		expect(map.get('zero')).toBe(0); // refreshed although the value is falsy
		map.set('two', 2);
		expect(map.has('zero')).toBe(true);
		expect(map.has('one')).toBe(false);
	});

	it('dropOldestWhile removes from the least recently used end until the test fails', () => {
		const map = new LruMap<string, number>(10);
		for (const [key, value] of [['a', 1], ['b', 2], ['c', 9], ['d', 1]] as const) map.set(key, value);
		expect(map.dropOldestWhile((value) => value < 5)).toBe(2);
		expect([...map].map(([key]) => key)).toEqual(['c', 'd']);
	});

	it('delete, clear and a bound of 0', () => {
		const map = new LruMap<string, number>(0);
		map.set('a', 1);
		expect(map.size).toBe(0);
		const other = new LruMap<string, number>(3);
		other.set('a', 1).set('b', 2);
		expect(other.delete('a')).toBe(true);
		expect(other.delete('a')).toBe(false);
		other.clear();
		expect(other.size).toBe(0);
		expect(() => new LruMap(-1)).toThrow(RangeError);
		expect(() => new LruMap(Number.NaN)).toThrow(RangeError);
	});

	it('behaves like a list model under any sequence of operations', () => {
		const op = fc.oneof(
			fc.record({ kind: fc.constant('set' as const), key: fc.integer({ min: 0, max: 6 }), value: fc.integer() }),
			fc.record({ kind: fc.constantFrom('get' as const, 'peek' as const, 'delete' as const), key: fc.integer({ min: 0, max: 6 }) }),
		);
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 5 }), fc.array(op, { maxLength: 60 }), (max, ops) => {
				const map = new LruMap<number, number>(max);
				let model: Array<[number, number]> = []; // oldest first
				for (const step of ops) {
					const at = model.findIndex(([key]) => key === step.key);
					if (step.kind === 'set') {
						if (at >= 0) model.splice(at, 1);
						model.push([step.key, step.value]);
						if (model.length > max) model = model.slice(model.length - max);
						map.set(step.key, step.value);
					} else if (step.kind === 'get') {
						const expected = at >= 0 ? model[at][1] : undefined;
						if (at >= 0) model.push(...model.splice(at, 1));
						if (map.get(step.key) !== expected) return false;
					} else if (step.kind === 'peek') {
						if (map.peek(step.key) !== (at >= 0 ? model[at][1] : undefined)) return false;
					} else {
						if (at >= 0) model.splice(at, 1);
						if (map.delete(step.key) !== at >= 0) return false;
					}
					if (map.size > max) return false;
				}
				return JSON.stringify([...map]) === JSON.stringify(model);
			}),
		);
	});
});
