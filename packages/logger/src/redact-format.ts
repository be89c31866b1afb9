import winston from 'winston';
import { sanitizeFields } from './sanitize.js';

type Info = winston.Logform.TransformableInfo;

/** `logger.error(err)` makes the Error itself the record; its message and name are not enumerable. */
function errorFields(info: Info): Record<string, unknown> {
  if (!(info instanceof Error)) return { ...info };
  const code = (info as { code?: unknown }).code;
  return { ...info, message: info.message, error: { name: info.name, message: info.message, code } };
}

/** Winston format that must run before json(): masks secrets and caps sizes in every record. */
export const redactFormat = winston.format((info: Info): Info => {
  const fields = sanitizeFields(errorFields(info));
  const out: Info = { ...fields, level: info.level, message: fields.message };
  // Winston keeps its routing data (level, splat, formatted message) under symbols.
  for (const symbol of Object.getOwnPropertySymbols(info)) out[symbol] = info[symbol];
  return out;
});
