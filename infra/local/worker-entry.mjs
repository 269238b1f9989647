// Entry of the stack's worker threads (process-worker-thread.ts, receipts-worker-thread.ts): plain
// JavaScript so that Node can start it however the stack itself was loaded (`npm start` under tsx, or
// vitest); it loads the TypeScript module named in workerData.script through tsx's namespaced API,
// which works whether or not tsx is also registered globally.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.script, import.meta.url);
