// one-off analysis (not committed): where the written messages' CV answers fall short
import { crossValidationAnswers, fitCalibration, recalibrate } from './lib/evaluation.ts';
import { trainModel } from './train-classifier.ts';
import { trainingRows } from './lib/written-messages.ts';
import { SEVERITIES } from '../schemas/feedback.ts';
const rows = trainingRows('/work/shared/datasets');
const { oof } = crossValidationAnswers(rows, (r, s) => trainModel(r, { split: s }));
const cal = fitCalibration(oof);
const w = recalibrate(oof, cal).filter((r) => r.row.src === 'written');
const tab = new Map<string, number>();
const inc = (k: string) => tab.set(k, (tab.get(k) ?? 0) + 1);
for (const r of w) {
  const g = r.row.gold;
  inc(`kind ${g.lang} ${g.kinds![0]} -> ${r.c.kind}`);
  if (g.cats![0] !== r.c.category) inc(`cat ${g.lang} ${g.cats![0]} -> ${r.c.category}`);
  if (g.severity !== 'low' && SEVERITIES.indexOf(r.c.severity) < SEVERITIES.indexOf(g.severity!)) {
    const why = r.row.gold.kinds![0] === 'complaint' && r.c.kind !== 'complaint' ? 'kind-missed' : g.cats![0] !== r.c.category ? 'cat-wrong' : 'rule';
    inc(`sev ${why} ${g.kinds![0]} ${g.cats![0]} ${g.severity} -> ${r.c.severity}`);
  }
}
const show = process.argv[2] ?? '';
for (const [k, v] of [...tab].filter(([k]) => k.startsWith(show)).sort((a, b) => b[1] - a[1]).slice(0, 60)) console.log(String(v).padStart(4), k);
if (process.argv[3]) for (const r of w) {
  const g = r.row.gold;
  if (g.severity !== 'low' && SEVERITIES.indexOf(r.c.severity) < SEVERITIES.indexOf(g.severity!) && g.cats![0] === r.c.category && r.c.kind === g.kinds![0]) console.log(g.severity, r.c.severity, r.row.text.slice(0, 140));
}
