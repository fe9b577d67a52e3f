/** A judge's verdict on one round (seed 004 DebateResult). */
export interface Verdict {
  verdict: 'affirmative' | 'negative' | 'inconclusive';
  /** In [0, 1]. */
  confidence: number;
}

/** How a debate went: every round's arguments and the final verdict. */
export interface DebateOutcome {
  rounds: { pro: string; con: string; verdict: Verdict }[];
  verdict: Verdict;
}

/**
 * Debate with rounds (seed 004): pro and con argue at once, each seeing the
 * other's previous argument to rebut; the judge rules after every round and
 * the debate stops as soon as the judge is at least `confidenceMin` sure, or
 * after `roundsMax` rounds (a bound, as everything in core has one).
 */
export async function runDebate(
  topic: string,
  argue: (side: 'pro' | 'con', topic: string, opposing: string | undefined) => Promise<string>,
  judge: (topic: string, pro: string, con: string) => Promise<Verdict>,
  options: { roundsMax?: number; confidenceMin?: number } = {},
): Promise<DebateOutcome> {
  const roundsMax = Math.max(1, options.roundsMax ?? 2);
  const confidenceMin = options.confidenceMin ?? 0.8;
  const rounds: DebateOutcome['rounds'] = [];
  let lastPro: string | undefined;
  let lastCon: string | undefined;
  for (let round = 1; round <= roundsMax; round++) {
    const [pro, con] = await Promise.all([argue('pro', topic, lastCon), argue('con', topic, lastPro)]);
    const verdict = await judge(topic, pro, con);
    rounds.push({ pro, con, verdict });
    lastPro = pro;
    lastCon = con;
    if (verdict.verdict !== 'inconclusive' && verdict.confidence >= confidenceMin) break;
  }
  return { rounds, verdict: rounds[rounds.length - 1]!.verdict };
}
