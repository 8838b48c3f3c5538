/**
 * AMQP topic-exchange matching: keys and patterns are dot-separated words;
 * `*` stands for exactly one word, `#` for zero or more.
 */
export function topicMatches(pattern: string, routingKey: string): boolean {
  return matchWords(pattern.split('.'), routingKey.split('.'), 0, 0);
}

function matchWords(pattern: string[], key: string[], p: number, k: number): boolean {
  if (p === pattern.length) return k === key.length;
  const word = pattern[p];
  if (word === '#') {
    for (let next = k; next <= key.length; next++) {
      if (matchWords(pattern, key, p + 1, next)) return true;
    }
    return false;
  }
  if (k === key.length) return false;
  return (word === '*' || word === key[k]) && matchWords(pattern, key, p + 1, k + 1);
}
