import { AppError } from '@kiln/contracts';

/** What still uses a resource a DELETE names (ids, at most a few of each). */
export interface Users {
  models?: string[];
  jobs?: string[];
}

/** 409 KILN_ERR_IN_USE: the resource stays while these use it; the message and `details` name them. */
export function inUse(what: string, id: string, users: Users): AppError {
  const parts = [
    users.models && users.models.length > 0 ? `model${users.models.length > 1 ? 's' : ''} ${users.models.join(', ')}` : null,
    users.jobs && users.jobs.length > 0 ? `unfinished job${users.jobs.length > 1 ? 's' : ''} ${users.jobs.join(', ')}` : null,
  ].filter(Boolean);
  return new AppError('KILN_ERR_IN_USE', `${what} ${id} is in use by ${parts.join(' and ')}`, {
    details: { models: users.models ?? [], jobs: users.jobs ?? [] },
  });
}
