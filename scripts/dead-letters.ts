/**
 * Lists and replays the events consumers gave up on.
 *
 *   npm run dead-letters -- list [queue]
 *   npm run dead-letters -- replay <queue> [--id EVENT_ID]
 *
 * Queues are named without the namespace (e.g. `payments.saga`); `list`
 * without one looks at every saga queue. AMQP_URL and EVENTS_NAMESPACE pick
 * the broker and deployment, as for the services.
 */
import { listDeadLetters, replayDeadLetters, type DeadLetter } from '@commerce/events';

const sagaQueues = ['catalog.saga', 'payments.saga', 'orders.saga', 'logistics.saga', 'orders.catalog-events'];
const usage = 'usage: npm run dead-letters -- list [queue] | replay <queue> [--id EVENT_ID]';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const namespace = process.env.EVENTS_NAMESPACE ?? 'commerce';

function print(letters: DeadLetter[]): void {
  for (const letter of letters) {
    const line = [letter.queue, letter.eventId ?? '-', letter.type ?? '-', `attempts=${letter.attempts}`, letter.deadLetteredAt || '-', letter.error];
    console.log(line.join('\t'));
  }
}

async function main(args: string[]): Promise<number> {
  const [command, queue, ...rest] = args;
  if (command === 'list' && rest.length === 0) {
    const letters = await listDeadLetters({ url, namespace, queues: queue ? [queue] : sagaQueues });
    print(letters);
    console.error(`${letters.length} dead letter(s)`);
    return 0;
  }
  const idIndex = rest.indexOf('--id');
  const id = idIndex >= 0 ? rest[idIndex + 1] : undefined;
  if (command === 'replay' && queue && (rest.length === 0 || (rest.length === 2 && id))) {
    const replayed = await replayDeadLetters({ url, namespace, queue, id });
    print(replayed);
    console.error(`replayed ${replayed.length} dead letter(s) into ${namespace}.${queue}`);
    return 0;
  }
  console.error(usage);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
