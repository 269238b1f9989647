import { reportBenchSection } from '/work/wt-evaluation/bench/lib/report-bench.ts';
const t=Date.now();
console.log(reportBenchSection({ items: Number(process.argv[2]), complaints: Number(process.argv[3]) }).join('\n'));
console.error('wall', Date.now()-t);
