import { readPath } from '../../../nodes/core/dedupe/key';
import { readJsonPath } from '../../../nodes/core/json';
import { jsonPath } from '../../../nodes/core/signatures/request';

const doc = { event: { type: 'order.paid', id: 12, ok: true, none: null, tags: ['a', { name: 'b' }] }, list: [{ eventId: 'e1' }] };

describe('readJsonPath (the one dotted-path reader)', () => {
	it('returns the raw value at a dotted path; a number step indexes an array', () => {
		expect(readJsonPath(doc, 'event.type')).toBe('order.paid');
		expect(readJsonPath(doc, 'event.tags')).toEqual(['a', { name: 'b' }]);
		expect(readJsonPath(doc, 'event.tags.1.name')).toBe('b');
		expect(readJsonPath(doc, 'list.0.eventId')).toBe('e1');
		expect(readJsonPath(doc, 'event.none')).toBeNull();
		expect(readJsonPath([{ eventId: 'top' }], '0.eventId')).toBe('top');
	});

	it('is undefined when a step is missing or meets a non-object', () => {
		expect(readJsonPath(doc, 'event.missing')).toBeUndefined();
		expect(readJsonPath(doc, 'event.type.length')).toBeUndefined();
		expect(readJsonPath(doc, 'event.none.x')).toBeUndefined();
		expect(readJsonPath(undefined, 'a')).toBeUndefined();
		expect(readJsonPath('text', 'a')).toBeUndefined();
	});

	it('is what the Dedupe key reader is, and what the signature extractors format', () => {
		expect(readPath).toBe(readJsonPath);
		// jsonPath keeps only strings and numbers, as text.
		expect(jsonPath(doc, 'event.type')).toBe('order.paid');
		expect(jsonPath(doc, 'event.id')).toBe('12');
		expect(jsonPath(doc, 'event.ok')).toBeUndefined();
		expect(jsonPath(doc, 'event.none')).toBeUndefined();
		expect(jsonPath(doc, 'event.tags')).toBeUndefined();
		expect(jsonPath(doc, 'event.missing')).toBeUndefined();
	});
});
