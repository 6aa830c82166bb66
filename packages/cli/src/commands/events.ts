import type { JobEventMessage, JobKind, JobState } from '@kiln/client';
import { type Command, list, str } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { print } from '../output.js';

/** One line per event: JSON lines with --json, else `time  kind  job  event  what`. */
function line(m: JobEventMessage, json: boolean): string {
  if (json) return JSON.stringify({ id: m.id, event: m.event, ...m.data });
  const d = m.data;
  const what =
    m.event === 'state'
      ? `${d.state}${d.attempt ? ` (attempt ${d.attempt})` : ''}${d.error ? `: ${(d.error as { code?: string }).code}` : ''}`
      : JSON.stringify(m.event === 'progress' ? d.progress : d.result);
  return `${String(d.at ?? '')}  ${String(d.kind)}  ${String(d.jobId)}  ${m.event}  ${what}`;
}

async function stream(gen: AsyncGenerator<JobEventMessage>, ctx: Parameters<Command['run']>[0]): Promise<number> {
  for await (const m of gen) {
    if (ctx.io.json) ctx.io.out.write(`${line(m, true)}\n`);
    else print(ctx.io, line(m, false));
  }
  return EXIT.ok;
}

export const eventCommands: Command[] = [
  {
    words: ['jobs', 'events'],
    args: 'ID',
    positionals: 1,
    summary: "A job's events (progress, state, result) from the first until it ends",
    description: 'Server-Sent Events of GET /v1/jobs/ID/events; --after resumes after an event id. With --json, one JSON object per line.',
    options: { after: { type: 'string', value: 'EVENT_ID', describe: 'resume after this event id' } },
    async run(ctx) {
      const after = str(ctx, 'after');
      return stream(ctx.client.jobEvents(ctx.positionals[0] as string, { signal: ctx.signal, ...(after ? { lastEventId: after } : {}) }), ctx);
    },
  },
  {
    words: ['events'],
    summary: "Every job's events as they happen, until Ctrl-C",
    description: 'Server-Sent Events of GET /v1/events, filtered; --after resumes after an event id. With --json, one JSON object per line.',
    options: {
      kind: { type: 'string', multiple: true, value: 'KIND', describe: 'only these job kinds (repeatable)' },
      type: { type: 'string', multiple: true, value: 'TYPE', describe: 'only these events: progress, state, result (repeatable)' },
      state: { type: 'string', multiple: true, value: 'STATE', describe: 'state events of these states only (repeatable)' },
      after: { type: 'string', value: 'EVENT_ID', describe: 'resume after this event id' },
    },
    examples: ['kiln events --kind ssm.train --type state', 'kiln events --json | jq .'],
    async run(ctx) {
      const after = str(ctx, 'after');
      const query = {
        kind: list(ctx, 'kind') as JobKind[],
        type: list(ctx, 'type') as Array<'progress' | 'state' | 'result'>,
        state: list(ctx, 'state') as JobState[],
      };
      return stream(ctx.client.events(query, { signal: ctx.signal, ...(after ? { lastEventId: after } : {}) }), ctx);
    },
  },
];
