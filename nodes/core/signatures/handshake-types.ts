import type { ReasonCode, RequestView } from './types';

/** Parsed query string; values other than strings (or arrays of them) are ignored. */
export type QueryBag = Record<string, unknown>;

export interface HandshakeResponse {
	status: number;
	headers: Record<string, string>;
	body: string;
	/** Set when the handshake itself was refused (Meta's verify token did not match). */
	rejected?: ReasonCode;
}

export interface Handshake {
	/** e.g. 'slack-url-verification', 'zoom-url-validation', 'meta-subscribe'. */
	kind: string;
	/** true: answer only after verify() succeeded, and pass its secretIndex to respond(). */
	requiresVerification: boolean;
	respond(secretIndex?: number): HandshakeResponse;
	/**
	 * A secret the sender hands over in the handshake (Asana's X-Hook-Secret): later deliveries are signed with it, so
	 * the caller must keep it (see README "Handshakes"). Key material: never log it or put it in an output item.
	 */
	issuedSecret?: string;
}

export interface HandshakeContext {
	request: RequestView;
	query: QueryBag;
	secrets: readonly string[];
}

export type HandshakeDetector = (context: HandshakeContext) => Handshake | undefined;
