import type { Redis } from 'ioredis';
import {
  STEP_NAMES,
  TERMINAL_STATES,
  type JobResult,
  type JobState,
  type PartitionEntry,
} from '@dxa/contracts';
import type { JobListFilter, JobRecord, JobStore } from './api.js';

/** Finished records stay readable for a week, then Redis drops them. */
export const TERMINAL_RECORD_TTL_SECONDS = 7 * 24 * 60 * 60;
export const MAX_LIST_LIMIT = 500;

const RESULT_PARTS = ['extract', 'load', 'validation'] as const;
// Fields stored as one hash field per part, so parts written at different times never overwrite each other.
const SPLIT_FIELDS: Record<string, readonly string[]> = { result: RESULT_PARTS, steps: STEP_NAMES };
// Split by partition index (any number of parts), written only through the partition methods.
const PARTITIONS_FIELD = 'partitions';
const SCAN_BATCH = 200;

type Patch = Partial<Omit<JobRecord, 'id' | 'spec' | 'partitions' | 'partition_generation'>>;

// Drops every `partitions.*` field, then writes the new generation and its entries.
// ARGV: generation, then field/value pairs.
const START_PARTITIONS_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local fields = redis.call('HKEYS', KEYS[1])
for _, f in ipairs(fields) do
  if string.sub(f, 1, 11) == 'partitions.' then redis.call('HDEL', KEYS[1], f) end
end
redis.call('HSET', KEYS[1], 'partition_generation', ARGV[1])
for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
return 1
`;

// Writes one partition entry only while its generation is the record's current one.
// ARGV: generation, field, value.
const SET_PARTITION_SCRIPT = `
if redis.call('HGET', KEYS[1], 'partition_generation') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
return 1
`;

const partitionField = (index: number): string => `${PARTITIONS_FIELD}.${index}`;

// Applies a patch only to an existing record (no half-records appear after a removal), then sets
// or clears the expiry depending on the new state and returns the whole hash.
// ARGV: ttl mode ("expire" | "persist" | ""), ttl seconds, number of field/value pairs, pairs..., fields to delete...
const UPDATE_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
local n = tonumber(ARGV[3])
for i = 0, n - 1 do redis.call('HSET', KEYS[1], ARGV[4 + i * 2], ARGV[5 + i * 2]) end
for i = 4 + n * 2, #ARGV do redis.call('HDEL', KEYS[1], ARGV[i]) end
if ARGV[1] == 'expire' then redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2])) end
if ARGV[1] == 'persist' then redis.call('PERSIST', KEYS[1]) end
return redis.call('HGETALL', KEYS[1])
`;

function isTerminal(state: JobState): boolean {
  return TERMINAL_STATES.includes(state);
}

/** One hash field per top-level field, JSON-encoded; `result` and `steps` are split into their parts. */
function encodePatch(patch: Patch): { set: [string, string][]; del: string[] } {
  const set: [string, string][] = [];
  const del: string[] = [];
  for (const [key, value] of Object.entries(patch) as [string, unknown][]) {
    const parts = SPLIT_FIELDS[key];
    if (parts) {
      const whole = value as Record<string, unknown> | undefined;
      for (const part of parts) {
        const partValue = whole?.[part];
        if (partValue !== undefined) set.push([`${key}.${part}`, JSON.stringify(partValue)]);
        else if (whole === undefined) del.push(`${key}.${part}`);
      }
    } else if (value === undefined) {
      del.push(key);
    } else {
      set.push([key, JSON.stringify(value)]);
    }
  }
  return { set, del };
}

function decodeFields(fields: Record<string, string>): JobRecord | undefined {
  if (!fields.id || !fields.spec || !fields.state) return undefined;
  const record: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(fields)) {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      continue; // a field written by something else; ignore rather than fail the whole view
    }
    const dot = key.indexOf('.');
    const whole = dot === -1 ? undefined : key.slice(0, dot);
    if (whole !== undefined && (SPLIT_FIELDS[whole] || whole === PARTITIONS_FIELD)) {
      const parts = (record[whole] ??= {}) as Record<string, unknown>;
      parts[key.slice(dot + 1)] = value;
    } else record[key] = value;
  }
  return record as JobRecord;
}

function pairsToObject(flat: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]!] = flat[i + 1]!;
  return out;
}

function matches(record: JobRecord, filter: JobListFilter): boolean {
  if (filter.state && record.state !== filter.state) return false;
  if (filter.affinity && record.spec.affinity !== filter.affinity) return false;
  return true;
}

export function createJobStore(redis: Redis, prefix: string): JobStore {
  const keyOf = (id: string): string => `${prefix}:job:${id}`;
  const indexKey = `${prefix}:jobs`;

  async function update(id: string, patch: Patch): Promise<JobRecord | undefined> {
    const { set, del } = encodePatch(patch);
    const ttlMode = patch.state === undefined ? '' : isTerminal(patch.state) ? 'expire' : 'persist';
    const args = [ttlMode, String(TERMINAL_RECORD_TTL_SECONDS), String(set.length), ...set.flat(), ...del];
    const flat = (await redis.eval(UPDATE_SCRIPT, 1, keyOf(id), ...args)) as string[] | null;
    return flat ? decodeFields(pairsToObject(flat)) : undefined;
  }

  /** Reads a batch of records; ids whose hash has expired are dropped from the index. */
  async function readBatch(ids: string[]): Promise<{ records: JobRecord[]; removed: number }> {
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.hgetall(keyOf(id));
    const replies = (await pipeline.exec()) ?? [];
    const out: JobRecord[] = [];
    const gone: string[] = [];
    replies.forEach(([err, fields], i) => {
      if (err) throw err;
      const record = decodeFields(fields as Record<string, string>);
      if (record) out.push(record);
      else gone.push(ids[i]!);
    });
    if (gone.length > 0) await redis.zrem(indexKey, ...gone);
    return { records: out, removed: gone.length };
  }

  return {
    async create(record) {
      const { set } = encodePatch(record);
      const multi = redis.multi().hset(keyOf(record.id), Object.fromEntries(set));
      if (isTerminal(record.state)) multi.expire(keyOf(record.id), TERMINAL_RECORD_TTL_SECONDS);
      multi.zadd(indexKey, Date.parse(record.created_at) || Date.now(), record.id);
      await multi.exec();
    },
    async get(id) {
      return decodeFields(await redis.hgetall(keyOf(id)));
    },
    async list(filter) {
      const limit = Math.max(1, Math.min(filter.limit, MAX_LIST_LIMIT));
      const out: JobRecord[] = [];
      // Newest first, in bounded batches, until enough records match.
      let start = 0;
      while (out.length < limit) {
        const ids = await redis.zrevrange(indexKey, start, start + SCAN_BATCH - 1);
        if (ids.length === 0) break;
        const { records, removed } = await readBatch(ids);
        for (const record of records) if (matches(record, filter) && out.length < limit) out.push(record);
        // Expired ids were just removed from the index, which shifted later ranks down.
        start += ids.length - removed;
      }
      return out;
    },
    update,
    async setResult(id, part) {
      const result: JobResult = {};
      for (const key of RESULT_PARTS)
        if (part[key] !== undefined) Object.assign(result, { [key]: part[key] });
      if (Object.keys(result).length > 0) await update(id, { result });
    },
    async setStep(id, name, step) {
      await update(id, { steps: { [name]: step } });
    },
    async remove(id) {
      await redis.multi().del(keyOf(id)).zrem(indexKey, id).exec();
    },
    async startPartitions(id, generation, entries) {
      const pairs = entries.flatMap((e) => [partitionField(e.index), JSON.stringify(e)]);
      await redis.eval(START_PARTITIONS_SCRIPT, 1, keyOf(id), JSON.stringify(generation), ...pairs);
    },
    async updatePartition(id, index, generation, patch) {
      const raw = await redis.hget(keyOf(id), partitionField(index));
      if (raw === null) return false;
      const entry = { ...(JSON.parse(raw) as PartitionEntry), ...patch };
      if (entry.generation !== generation) return false;
      const field = partitionField(index);
      const args = [JSON.stringify(generation), field, JSON.stringify(entry)];
      return (await redis.eval(SET_PARTITION_SCRIPT, 1, keyOf(id), ...args)) === 1;
    },
  };
}
