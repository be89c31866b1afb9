// Imported first by every entry point, so the defaults exist before any SDK module loads.

// Never let snowflake-sdk probe cloud metadata endpoints or send connection telemetry from a migration host.
process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION ??= 'true';
process.env.SF_TELEMETRY_DISABLE_CONNECTION_SHAPE ??= '1';
// The AWS SDK warns on every start that releases after January 2027 need Node 22; the image runs Node 22.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export {};
