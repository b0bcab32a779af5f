/**
 * Conditions without expressions: simple tests on a verified request (a header, or a dot path of the JSON body),
 * all of which must hold. Read from plain parameters, so checking them evaluates no n8n expression.
 */
import { readJsonPath } from '../json';
import { normaliseKey } from '../dedupe';
import type { HeaderBag } from '../signatures';
import { headerValue } from './repeats';

export type ConditionOperator = 'equals' | 'isOneOf' | 'exists' | 'startsWith';

export interface DoorCondition {
	/** A request header (name, any case) or a dot path into the verified JSON body (`data.object.status`, `items.0.id`). */
	source: 'header' | 'jsonPath';
	name: string;
	operator: ConditionOperator;
	/** Text to compare with; for `isOneOf` comma-separated values (spaces around each are ignored); unused by `exists`. */
	value: string;
}

/** A condition's parameters, as the node stores them (the fixedCollection's rows). */
export interface ConditionRow {
	source?: unknown;
	name?: unknown;
	operator?: unknown;
	value?: unknown;
}

const OPERATORS: readonly ConditionOperator[] = ['equals', 'isOneOf', 'exists', 'startsWith'];

/**
 * The rows as conditions. Throws an Error naming the row (1-based) when it has no header name or path, or an unknown
 * operator, so a mistake fails at activation instead of dropping every delivery.
 */
export function parseConditions(rows: readonly ConditionRow[] | undefined): DoorCondition[] {
	return (rows ?? []).map((row, index) => {
		const source = row.source === 'jsonPath' ? 'jsonPath' : 'header';
		const name = String(row.name ?? '').trim();
		if (name === '') throw new Error(`Conditions: row ${index + 1} names no ${source === 'header' ? 'header' : 'JSON path'}.`);
		const operator = String(row.operator ?? 'equals') as ConditionOperator;
		if (!OPERATORS.includes(operator)) throw new Error(`Conditions: row ${index + 1} has an unknown operator.`);
		return { source, name: source === 'header' ? name.toLowerCase() : name, operator, value: String(row.value ?? '') };
	});
}

/** The value a condition reads as text: a header's value, or a JSON value (objects as canonical JSON); undefined when absent or null. */
function conditionSubject(condition: DoorCondition, headers: HeaderBag, json: () => unknown): string | undefined {
	if (condition.source === 'header') return headerValue(headers, condition.name);
	return normaliseKey(readJsonPath(json(), condition.name));
}

/** Whether one condition holds. Comparisons are exact (case-sensitive) on text. */
export function conditionHolds(condition: DoorCondition, headers: HeaderBag, json: () => unknown): boolean {
	const subject = conditionSubject(condition, headers, json);
	if (subject === undefined) return false;
	switch (condition.operator) {
		case 'exists':
			return true;
		case 'equals':
			return subject === condition.value;
		case 'startsWith':
			return subject.startsWith(condition.value);
		case 'isOneOf':
			return condition.value.split(',').some((option) => option.trim() === subject);
	}
}

/** The index of the first condition that does not hold, or -1 when all hold (none is -1 too). */
export function firstFailingCondition(conditions: readonly DoorCondition[], headers: HeaderBag, json: () => unknown): number {
	return conditions.findIndex((condition) => !conditionHolds(condition, headers, json));
}
