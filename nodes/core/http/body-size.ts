export type BodySizeCheck = { ok: true } | { ok: false; declaredBytes?: number; actualBytes?: number };

/**
 * Checks a body against `maxBytes` (0 or less = no limit). The declared `Content-Length` is checked as well as the
 * bytes actually read, so a lying or missing header changes nothing.
 */
export function checkBodySize(
	maxBytes: number,
	actualBytes: number | undefined,
	contentLengthHeader?: string | string[] | undefined,
): BodySizeCheck {
	if (!(maxBytes > 0)) return { ok: true };
	const header = Array.isArray(contentLengthHeader) ? contentLengthHeader[0] : contentLengthHeader;
	const declaredBytes = header !== undefined && /^\d+$/.test(header.trim()) ? Number(header.trim()) : undefined;
	if (declaredBytes !== undefined && declaredBytes > maxBytes) return { ok: false, declaredBytes, actualBytes };
	if (actualBytes !== undefined && actualBytes > maxBytes) return { ok: false, declaredBytes, actualBytes };
	return { ok: true };
}
