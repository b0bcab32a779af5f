/**
 * Which HTTP methods the trigger serves, and so which ones get 405: the configured method plus the methods the
 * provider itself calls (ProviderInfo.extraMethods, e.g. a GET subscription check). With "Answer Other Methods
 * With 405" n8n registers every method and the pipeline's first step answers the others with 405 and `Allow`;
 * without it n8n registers only these and answers the rest with its own 404.
 */
import { PROVIDER_CHOICES, providerChoice } from './providerChoices';

/** Every method the node can register (HTTP Method options, and all of them with Answer Other Methods With 405). */
export const ALL_METHODS = ['DELETE', 'GET', 'HEAD', 'PATCH', 'POST', 'PUT'];

/** Methods the trigger answers for this provider choice: the configured one first, then the provider's extra ones. */
export function acceptedMethods(httpMethod: string, choice: string): string[] {
	const methods = [httpMethod.toUpperCase()];
	for (const method of providerChoice(choice)?.provider.extraMethods ?? []) if (!methods.includes(method)) methods.push(method);
	return methods;
}

/**
 * The accepted methods as n8n registers them (`POST,GET`), for every choice and configured method where they differ
 * from the configured method alone, keyed `<choice> <method>`. The webhook description's expression template reads
 * this table, so the editor, older n8n and the native resolver all register the same methods.
 */
export const EXTRA_METHOD_REGISTRATIONS: Record<string, string> = Object.fromEntries(
	PROVIDER_CHOICES.flatMap((choice) =>
		ALL_METHODS.map((method) => [`${choice.value} ${method}`, acceptedMethods(method, choice.value)] as const)
			.filter(([, methods]) => methods.length > 1)
			.map(([key, methods]) => [key, methods.join(',')]),
	),
);

/** The methods n8n registers for a node: all of them with Answer Other Methods With 405, else the accepted ones. */
export function registeredMethods(parameters: { httpMethod?: string; provider?: string; options?: { answerOtherMethods?: boolean } }): string {
	if (parameters.options?.answerOtherMethods) return ALL_METHODS.join(',');
	return EXTRA_METHOD_REGISTRATIONS[`${parameters.provider} ${parameters.httpMethod}`] ?? (parameters.httpMethod as string);
}
