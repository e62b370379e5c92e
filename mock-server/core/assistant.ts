import type { Random } from './random.js';

const ARITHMETIC = /(-?\d+(?:\.\d+)?)\s*([-+*/x×÷])\s*(-?\d+(?:\.\d+)?)/;

const CANNED_REPLIES = [
  'Thanks for your message. How can I help further?',
  'I understand. Could you tell me a little more?',
  'Got it. Here is what I suggest: start with the basics and iterate.',
  'That is a good question. Let me think about it with you.',
  'Noted. Is there anything else you would like to know?',
];

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return 'undefined';
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(6)));
}

function evaluate(left: number, operator: string, right: number): number {
  switch (operator) {
    case '+':
      return left + right;
    case '-':
      return left - right;
    case '*':
    case 'x':
    case '×':
      return left * right;
    default:
      return right === 0 ? Number.NaN : left / right;
  }
}

/**
 * The mock assistant's reply to a user message: simple arithmetic gets the right answer
 * ("What is 2+2?" → "2 + 2 = 4"), anything else one of a few canned replies chosen by the
 * seeded `rand`, so the same seed gives the same conversation.
 *
 * @example
 * assistantReply('What is 6 * 7?', rand); // '6 * 7 = 42'
 */
export function assistantReply(content: string, rand: Random): string {
  const match = ARITHMETIC.exec(content);
  if (match) {
    const [, a, op, b] = match as unknown as [string, string, string, string];
    // One flat string: a template literal makes a tree of pieces (V8 cons strings), several
    // times its size, and a reply is kept as long as its message.
    return [a, op, b, '=', formatNumber(evaluate(Number(a), op, Number(b)))].join(' ');
  }
  return CANNED_REPLIES[Math.floor(rand() * CANNED_REPLIES.length)]!;
}
