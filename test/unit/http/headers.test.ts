import { firstHeaderValue, headersByLowerName, headerValue, removeHeader, setHeader } from '../../../nodes/core/http/headers';
import { requestView } from '../../../nodes/core/signatures/request';

// HTTP field names are case-insensitive (RFC 9110 §5.1): every look-up below must find a header in any spelling.
describe('case-insensitive header helpers', () => {
	it('headerValue returns the stored value under any spelling, the first spelling in key order winning', () => {
		expect(headerValue({ 'Content-Type': 'text/plain' }, 'content-type')).toBe('text/plain');
		expect(headerValue({ 'x-list': ['a', 'b'] }, 'X-LIST')).toEqual(['a', 'b']);
		expect(headerValue({ 'X-Id': 'first', 'x-id': 'second' }, 'x-id')).toBe('first');
		expect(headerValue({ other: '1' }, 'x-id')).toBeUndefined();
		expect(headerValue(undefined, 'x-id')).toBeUndefined();
	});

	it('firstHeaderValue keeps only text: a string, the first string of an array, or a number', () => {
		expect(firstHeaderValue({ 'RETRY-AFTER': ['3', '4'] }, 'retry-after')).toBe('3');
		expect(firstHeaderValue({ 'retry-after': [4] }, 'retry-after')).toBeUndefined();
		expect(firstHeaderValue({ 'retry-after': true }, 'retry-after')).toBeUndefined();
	});

	it('setHeader and removeHeader act on every spelling, so a name never appears twice', () => {
		const headers: Record<string, string> = { 'content-type': 'a', 'Content-Type': 'b', Accept: '*/*' };
		setHeader(headers, 'CONTENT-TYPE', 'c');
		expect(headers).toEqual({ Accept: '*/*', 'CONTENT-TYPE': 'c' });
		removeHeader(headers, 'accept');
		expect(headers).toEqual({ 'CONTENT-TYPE': 'c' });
	});

	it('headersByLowerName keys by lower-case name and leaves out undefined values', () => {
		expect([...headersByLowerName({ 'X-A': '1', 'x-b': ['2'], 'X-C': undefined })]).toEqual([
			['x-a', '1'],
			['x-b', ['2']],
		]);
		expect(headersByLowerName(undefined).size).toBe(0);
	});

	it('headersByLowerName keeps both values of a name given in two spellings, like a header sent twice', () => {
		expect([...headersByLowerName({ 'X-Sig': 'a', 'x-sig': ['b', 'c'], 'X-SIG': 'd' })]).toEqual([['x-sig', ['a', 'b', 'c', 'd']]]);
	});

	it('the signature core reads request headers through it, in any spelling', () => {
		const view = requestView({ headers: { 'X-Hub-Signature-256': 'sha256=ab', 'X-Twice': ['same', 'same'], 'X-Differs': ['a', 'b'] }, body: '' });
		expect(view.header('x-hub-signature-256')).toBe('sha256=ab');
		expect(view.header('X-TWICE')).toBe('same');
		expect(view.header('x-differs')).toBeNull();
		expect(view.header('x-absent')).toBeUndefined();
	});
});
