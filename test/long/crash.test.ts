/** The crash-recovery test at full size: CRASH_TOTAL (2,000) webhooks, kill -9 halfway, restart, exactly once. */
process.env.CRASH_TOTAL ??= '2000';
await import('../integration/crash-recovery.test.ts');
