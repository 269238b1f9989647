/**
 * The size DynamoDB charges an item against its 400 KB limit, computed from the plain JavaScript value the
 * document client marshals (the way `lib-dynamodb` does with `removeUndefinedValues`), by the documented
 * rules (Amazon DynamoDB Developer Guide, "DynamoDB item sizes and formats"):
 *
 * - a string is its UTF-8 bytes (DynamoDB counts UTF-8; dynalite counts UTF-16 units, never more, so a
 *   size that fits here also fits locally);
 * - a number is about one byte per two significant digits plus one; the exact encoding (base-100 digit
 *   pairs aligned to the exponent, one more byte for a negative number) is used, as dynalite does, so the
 *   figure is never below DynamoDB's;
 * - binary is its raw bytes; null and booleans one byte;
 * - a list or map is 3 bytes plus its elements, each element one more byte; every attribute name and
 *   every map key counts its UTF-8 bytes.
 *
 * Pure, no SDK: the admin handler measures the item it is about to write, before writing it.
 */

/** DynamoDB's item size limit (400 KB, where 1 KB = 1,024 bytes). */
export const DYNAMO_ITEM_LIMIT_BYTES = 400 * 1024;

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

/**
 * Bytes of a number as DynamoDB stores it: its significant digits in pairs aligned to the decimal
 * exponent, plus an exponent byte, plus one for a negative sign. Zero is one byte.
 */
export function dynamoNumberSize(value: number | bigint): number {
  const text = typeof value === 'bigint' ? value.toString() : Number.isFinite(value) ? value.toExponential() : '0';
  const negative = text.startsWith('-');
  const [mantissa = '0', exp = '0'] = text.replace(/^-/, '').split('e');
  const [whole = '', fraction = ''] = mantissa.split('.');
  // Exponent of the first significant digit (123 → 2, 0.5 → -1): toExponential puts it after the `e`.
  const exponent = typeof value === 'bigint' ? whole.length - 1 : Number(exp);
  const significant = (whole + fraction).replace(/^0+/, '').replace(/0+$/, '');
  if (significant.length === 0) return 1;
  const n = significant.length;
  // An even digit count on an even exponent straddles one more base-100 pair.
  const straddles = n % 2 === 0 && exponent % 2 === 0 ? 1 : 0;
  return 1 + Math.ceil(n / 2) + straddles + (negative ? 1 : 0);
}

/** Bytes of one attribute value (without its name), or undefined when the marshaller would drop it. */
export function dynamoValueSize(value: unknown): number | undefined {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number' || typeof value === 'bigint') return dynamoNumberSize(value);
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) {
    // Sets have no per-element overhead.
    let sum = 0;
    for (const element of value) sum += dynamoValueSize(element) ?? 0;
    return sum;
  }
  if (Array.isArray(value)) {
    let sum = 3;
    for (const element of value) {
      const size = dynamoValueSize(element);
      if (size !== undefined) sum += 1 + size;
    }
    return sum;
  }
  if (value instanceof Date) return utf8(value.toISOString());
  let sum = 3;
  for (const [key, element] of Object.entries(value as Record<string, unknown>)) {
    const size = dynamoValueSize(element);
    if (size !== undefined) sum += 1 + utf8(key) + size;
  }
  return sum;
}

/** The size of a whole item: each top-level attribute's name plus its value (no per-attribute overhead). */
export function dynamoItemSize(item: Record<string, unknown>): number {
  let sum = 0;
  for (const [name, value] of Object.entries(item)) {
    const size = dynamoValueSize(value);
    if (size !== undefined) sum += utf8(name) + size;
  }
  return sum;
}
