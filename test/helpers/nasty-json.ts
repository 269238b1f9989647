/**
 * Generated JSON *text* for feedback.submitted bodies that tries every way a value can fail to be stored:
 * keys named like Object.prototype members (written into the text, so `__proto__` reaches JSON.parse as
 * an own key), empty keys, keys and strings with lone surrogates, U+FFFE/U+FFFF and controls, numbers at
 * and beyond DynamoDB's and the marshaller's limits, deep nesting, and PII in keys and values.
 */
import fc from 'fast-check';

type Tree = { s: string } | { n: number } | { b: boolean } | { z: null } | { a: Tree[] } | { o: Array<[string, Tree]> };

const nastyKey = fc.oneof(
  fc.constantFrom(...Object.getOwnPropertyNames(Object.prototype), 'prototype', '', 'page', 'pageId', '13812345678', 'jane@example.com', 'a\uFFFE', 'b\uFFFF', '\uD800', 'c\u0000', '\u200B'),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
);

const nastyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('\uFFFE', '\uFFFF', '\uD800', 'x\uDC00y', '\u0000', '\u200B\u200B', '4111 1111 1111 1111', '13812345678', 'jane@example.com', '卡号６２２２０２１２３４５６７８９０１２'),
);

const nastyNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1e-130, 1e-131, 5e-324, 1e125, 9.9e125, 1e126, 1e300, 2 ** 53 - 1, 2 ** 53, -(2 ** 53), 0.1, 13812345678, 4111111111111111),
);

const tree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    nastyString.map((s) => ({ s })),
    nastyNumber.map((n) => ({ n })),
    fc.boolean().map((b) => ({ b })),
    fc.constant({ z: null }),
    fc.array(tie('tree'), { maxLength: 4 }).map((a) => ({ a })),
    fc.array(fc.tuple(nastyKey, tie('tree')), { maxLength: 5 }).map((o) => ({ o })),
  ),
})).tree;

/** Nests a tree `levels` deep in single-key objects and arrays (DynamoDB stops at 32 levels). */
const deep = fc.tuple(fc.nat({ max: 40 }), tree).map(([levels, inner]) => {
  let t = inner;
  for (let i = 0; i < levels; i++) t = i % 2 ? { a: [t] } : { o: [[`k${i}`, t]] };
  return t;
});

function write(t: Tree): string {
  if ('s' in t) return JSON.stringify(t.s);
  if ('n' in t) return Number.isFinite(t.n) ? JSON.stringify(t.n) : '0';
  if ('b' in t) return String(t.b);
  if ('z' in t) return 'null';
  if ('a' in t) return `[${t.a.map(write).join(',')}]`;
  return `{${t.o.map(([k, v]) => `${JSON.stringify(k)}:${write(v)}`).join(',')}}`;
}

/** A feedback.submitted body (JSON text) whose context, customer, subject, language and rating are generated. */
export const nastyFeedbackBody: fc.Arbitrary<string> = fc
  .record({
    text: fc.oneof(nastyString, fc.constant('My card was declined twice')),
    context: fc.oneof(tree, deep).map((t) => ('o' in t ? t : { o: [['value', t] as [string, Tree]] })),
    customer: fc.record({ id: nastyString, name: nastyString, email: nastyString }, { requiredKeys: [] }),
    subject: fc.option(nastyString, { nil: undefined }),
    language: fc.option(fc.oneof(fc.constantFrom('zh', 'en'), fc.string({ unit: 'binary', minLength: 2, maxLength: 16 })), { nil: undefined }),
    // Mostly valid ratings, so most bodies get past the schema to the values under test.
    rating: fc.option(fc.oneof({ weight: 4, arbitrary: fc.oneof(fc.integer({ min: 0, max: 10 }), fc.constantFrom(0.5, 2.5, 9.75)) }, { weight: 1, arbitrary: nastyNumber }), { nil: undefined }),
  })
  .map(({ text, context, customer, subject, language, rating }) => {
    const data = [
      `"text":${JSON.stringify(text)}`,
      `"context":${write(context)}`,
      `"customer":${JSON.stringify(customer)}`,
      ...(subject !== undefined ? [`"subject":${JSON.stringify(subject)}`] : []),
      ...(language !== undefined ? [`"language":${JSON.stringify(language)}`] : []),
      ...(rating !== undefined && Number.isFinite(rating) ? [`"rating":${JSON.stringify(rating)}`] : []),
    ];
    return `{"type":"feedback.submitted","data":{${data.join(',')}}}`;
  });
