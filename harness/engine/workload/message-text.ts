import type { Workload } from '../../../scenarios/model/workload.js';
import type { Random } from '../../util/random.js';

const FILLER = 'The quick brown fox jumps over the lazy dog while the harness measures honest latency. ';

/**
 * Makes the workload's message content: the fixed `content`, or an arithmetic question
 * ("What is 17+25?", which the mock's assistant answers) padded with filler to a length drawn
 * from `sizeChars`. The filler is built once; a message costs one slice and one concatenation.
 *
 * @example
 * const text = createMessageText({ sizeChars: { min: 20, max: 200 } });
 * text(rand); // 'What is 3+9? The quick brown fox…' (20–200 characters)
 */
export function createMessageText(message: Workload['message']): (rand: Random) => string {
  if (message.content !== undefined) {
    const fixed = message.content;
    return () => fixed;
  }
  const size = message.sizeChars;
  const min = typeof size === 'number' ? size : size.min;
  const max = typeof size === 'number' ? size : size.max;
  const filler = FILLER.repeat(Math.ceil(max / FILLER.length) + 1);
  return (rand) => {
    const length = min + Math.floor(rand() * (max - min + 1));
    const question = `What is ${Math.floor(rand() * 50)}+${Math.floor(rand() * 50)}? `;
    return question.length >= length
      ? question.slice(0, length)
      : question + filler.slice(0, length - question.length);
  };
}
