// Nothing in the test suite may call out beyond loopback.
process.env.APOLLO_TELEMETRY_DISABLED = 'true';
process.env.TURBO_TELEMETRY_DISABLED = '1';
process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';
