import express from 'express';

/** 1 MiB: a job spec is small; anything bigger is a mistake or an attack. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Parses JSON whatever the Content-Type (curl -d sends form encoding) and any top-level value;
 * routes decide what shape they accept so a non-object gets a clear 400, not a parse error.
 */
export const jsonBody = express.json({ limit: MAX_BODY_BYTES, strict: false, type: () => true });
