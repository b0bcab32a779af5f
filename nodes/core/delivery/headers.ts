/** The header helpers of the delivery core: the shared ones of `core/http/headers` (case-insensitive, RFC 9110 §5.1). */
export { firstHeaderValue, setHeader } from '../http/headers';
