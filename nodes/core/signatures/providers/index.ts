/** The registry: one line per provider file. */
import type { Scheme } from '../scheme';
import github from './github';
import gitlab from './gitlab';
import standardWebhooks from './standard-webhooks';
import stripe from './stripe';
import svix from './svix';

export const SCHEMES: readonly Scheme[] = [github, gitlab, stripe, standardWebhooks, svix];

const BY_ID = new Map(SCHEMES.map((scheme) => [scheme.id, scheme]));

/** Unknown ids are a programming error, so this one throws. */
export function schemeById(id: string): Scheme {
	const scheme = BY_ID.get(id);
	if (!scheme) throw new TypeError(`Unknown signature provider "${id}". Known: ${[...BY_ID.keys()].join(', ')}.`);
	return scheme;
}
