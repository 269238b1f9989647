/**
 * DynamoDB's own rules for a PutItem, as the service applies them and dynalite does not all check: numbers
 * within 1E-130..9.9E+125 with at most 38 significant digits, strings that are valid Unicode (UTF-8 on the
 * wire), map keys of at least one character, nesting at most 32 levels, and an item of at most 400 KB.
 * Tests run marshalled items through it to prove that what ingest accepts, DynamoDB would take.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

const MAX_DEPTH = 32;
const MAX_ITEM_BYTES = 400 * 1024;

/** Everything in a marshalled item that DynamoDB would refuse (empty when it would take it). */
export function dynamoRuleViolations(item: Record<string, AttributeValue>): string[] {
  const problems: string[] = [];
  let size = 0;
  const visit = (value: AttributeValue, path: string, depth: number): void => {
    if (depth > MAX_DEPTH) problems.push(`${path}: nested deeper than ${MAX_DEPTH} levels`);
    if (value.S !== undefined) {
      if (!wellFormed(value.S)) problems.push(`${path}: string is not valid Unicode`);
      size += Buffer.byteLength(value.S, 'utf8');
    } else if (value.N !== undefined) {
      const problem = numberProblem(value.N);
      if (problem) problems.push(`${path}: ${problem}`);
      size += Math.ceil(value.N.replace(/[^0-9]/g, '').length / 2) + 1;
    } else if (value.M !== undefined) {
      size += 3;
      for (const [key, child] of Object.entries(value.M)) {
        if (key.length === 0) problems.push(`${path}: empty map key`);
        if (!wellFormed(key)) problems.push(`${path}: map key is not valid Unicode`);
        size += Buffer.byteLength(key, 'utf8') + 1;
        visit(child, `${path}.${key}`, depth + 1);
      }
    } else if (value.L !== undefined) {
      size += 3;
      value.L.forEach((child, i) => {
        size += 1;
        visit(child, `${path}.${i}`, depth + 1);
      });
    } else if (value.BOOL !== undefined || value.NULL !== undefined) {
      size += 1;
    } else {
      problems.push(`${path}: not an attribute value DynamoDB knows (${Object.keys(value).join(',')})`);
    }
  };
  for (const [name, value] of Object.entries(item)) {
    size += Buffer.byteLength(name, 'utf8');
    visit(value, name, 1);
  }
  if (size > MAX_ITEM_BYTES) problems.push(`item is ${size} bytes, over 400 KB`);
  return problems;
}

/** No lone surrogate: the string has a UTF-8 encoding (String.prototype.isWellFormed, without the ES2024 lib). */
const wellFormed = (s: string): boolean => !/\p{Cs}/u.test(s);

function numberProblem(n: string): string | undefined {
  const match = /^-?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(n);
  if (!match) return `"${n}" is not a number`;
  const digits = `${match[1]}${match[2] ?? ''}`.replace(/^0+/, '').replace(/0+$/, '');
  if (digits.length === 0) return undefined;
  if (digits.length > 38) return 'more than 38 significant digits';
  const magnitude = Math.abs(Number(n));
  if (magnitude > 9.9999999999999999e125) return 'number overflow';
  if (magnitude < 1e-130) return 'number underflow';
  return undefined;
}
