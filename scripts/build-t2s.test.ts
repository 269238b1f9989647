import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildT2sTable, T2S_PATH } from './build-t2s.ts';
import { toSimplified, viewText } from '../functions/shared/classification/features.ts';
import { KIND_CUES } from '../functions/shared/classification/lexicon.ts';

describe('the Traditional → Simplified table (model/t2s.json)', () => {
  it('is what scripts/build-t2s.ts builds from OpenCC: reviewed data, reproducible', () => {
    expect(readFileSync(T2S_PATH, 'utf8')).toBe(buildT2sTable());
  });

  it('folds Traditional text the bank\'s pairs did not reach, so the lexicon\'s cues match it', () => {
    expect(toSimplified('建議貴行營業時間延長')).toBe('建议贵行营业时间延长');
    expect(KIND_CUES.suggestion.find(viewText('建議app加返個快捷鍵'))).toContain('建议');
  });

  it('leaves characters Simplified text writes alone (么, 后, 里, 干, 台)', () => {
    expect(toSimplified('怎么后面里干台')).toBe('怎么后面里干台');
  });

  it('keeps the model\'s features on the bank\'s own folding, which the heads were trained on', () => {
    expect(viewText('建議').featureText).toBe('建議');
    expect(viewText('帳戶').featureText).toBe('账户');
  });
});
