/**
 * n8n editor properties built from the signature core's plain-data provider facts (`settings` in a provider's
 * defineScheme). Shared by the Signed Webhook Trigger (one collection per provider) and the Outgoing Webhook Signing
 * API credential (top-level fields per scheme), so each setting is declared once, in its provider file.
 */
import type { INodeProperties } from 'n8n-workflow';

import type { SchemeSettingField, SchemeSettings } from '../core/signatures';

/** One editor property per field, as declared: name, type, default, and options, placeholder, description, hint when set. */
export function settingFieldProperties(fields: readonly SchemeSettingField[]): INodeProperties[] {
	return fields.map(({ name, displayName, type, default: fallback, options, placeholder, description, hint }) => ({
		displayName,
		name,
		type,
		...(options && { options }),
		default: fallback,
		...(placeholder !== undefined && { placeholder }),
		...(description !== undefined && { description }),
		...(hint !== undefined && { hint }),
	}));
}

/**
 * A provider's settings as one collection (Generic HMAC's Signature Scheme), shown only while `parameter` (the
 * trigger's `provider`) is `providerId`. Its name is `settings.parameter`, saved in workflows.
 */
export function settingsCollection(providerId: string, settings: SchemeSettings, parameter: string): INodeProperties {
	return {
		displayName: settings.displayName,
		name: settings.parameter,
		type: 'collection',
		placeholder: 'Add Setting',
		default: {},
		displayOptions: { show: { [parameter]: [providerId] } },
		...(settings.description !== undefined && { description: settings.description }),
		options: settingFieldProperties(settings.fields),
	};
}

/**
 * A scheme's settings as top-level fields (a credential has no collections), each shown only while `parameter` (the
 * credential's `scheme`) is `schemeId`. Field names are the saved keys: never rename them in the provider file.
 */
export function settingFields(schemeId: string, settings: SchemeSettings, parameter: string): INodeProperties[] {
	return settingFieldProperties(settings.fields).map((property) => ({ ...property, displayOptions: { show: { [parameter]: [schemeId] } } }));
}
