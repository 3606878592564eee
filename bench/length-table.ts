/**
 * The bench's length table (issue 15): episodes of a spread of configs (1, 3, 10 and 30 minutes;
 * one to four hosts; each offline language; the slowest and fastest voice.speed at the edges) made
 * by the real offline pipeline, monolithic, from
 * the generated larger podcast (larger-podcast.ts, scale 5: 40 articles, enough material for 30
 * minutes), each row's audio duration against its targetMinutes and whether it is within ±10%.
 * `npm run bench -- --only length` runs this table alone.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LENGTH_TOLERANCE } from '../stages/shared/length-plan';
import { writeLargerPodcast } from './larger-podcast';
import { measureRun } from './pipeline-run';
import type { StageProbe } from './stage-probe';
import type { TargetResult } from './targets';

export interface LengthCase {
  targetMinutes: number;
  hosts: number;
  language: 'en' | 'de' | 'fr' | 'es';
  maxStories: number;
  /** Every host's voice.speed (eSpeak words per minute, 80-260). @default the voice's own (165) */
  speed?: number;
  /** @default min(2, maxStories) */
  minStories?: number;
}

export interface LengthRow extends LengthCase {
  label: string;
  audioSeconds?: number;
  /** (audio - target) / target. */
  deviation?: number;
  within: boolean;
  wallSeconds?: number;
  error?: string;
}

/** Every minute value, host count and language at least once. */
export const LENGTH_CASES: readonly LengthCase[] = [
  { targetMinutes: 1, hosts: 2, language: 'en', maxStories: 4 },
  { targetMinutes: 3, hosts: 1, language: 'de', maxStories: 4 },
  { targetMinutes: 10, hosts: 3, language: 'fr', maxStories: 8 },
  { targetMinutes: 30, hosts: 4, language: 'es', maxStories: 14 },
  { targetMinutes: 3, hosts: 4, language: 'en', maxStories: 4 },
  { targetMinutes: 10, hosts: 2, language: 'de', maxStories: 8 },
  { targetMinutes: 1, hosts: 1, language: 'fr', maxStories: 4 },
  { targetMinutes: 3, hosts: 2, language: 'es', maxStories: 4 },
  { targetMinutes: 10, hosts: 1, language: 'en', maxStories: 8 },
  // The edges of what the schema accepts: the slowest voice at the shortest target (one story),
  // and the fastest voices, short and long.
  { targetMinutes: 1, hosts: 1, language: 'en', maxStories: 4, speed: 80, minStories: 1 },
  { targetMinutes: 1, hosts: 2, language: 'en', maxStories: 4, speed: 260 },
  { targetMinutes: 3, hosts: 2, language: 'fr', maxStories: 4, speed: 80, minStories: 1 },
  { targetMinutes: 10, hosts: 4, language: 'de', maxStories: 8, speed: 260 },
];

const HOSTS = [
  { id: 'ava', name: 'Ava', role: 'lead' },
  { id: 'ben', name: 'Ben', role: 'co-host' },
  { id: 'cleo', name: 'Cleo', role: 'co-host' },
  { id: 'dev', name: 'Dev', role: 'co-host' },
] as const;

/** The show's title and description in each language (the stories stay in English). */
const SHOW_TEXT: Record<LengthCase['language'], { title: string; description: string }> = {
  en: { title: 'Tech Weekly', description: 'A weekly briefing on software, chips and infrastructure.' },
  de: {
    title: 'Technik-Woche',
    description: 'Ein wöchentlicher Überblick über Software, Chips und Infrastruktur.',
  },
  fr: {
    title: 'La semaine tech',
    description: 'Un point hebdomadaire sur le logiciel, les puces et les infrastructures.',
  },
  es: {
    title: 'Semana tecnológica',
    description: 'Un resumen semanal de software, chips e infraestructura.',
  },
};

export function lengthLabel(c: LengthCase): string {
  const speed = c.speed !== undefined ? ` speed ${c.speed}` : '';
  return `${c.targetMinutes} min ${c.language} ${c.hosts} host${c.hosts > 1 ? 's' : ''}${speed}`;
}

export async function measureLengthTable(options: {
  exampleDir: string;
  tempDir: string;
  probe: StageProbe;
  progress: (line: string) => void;
}): Promise<LengthRow[]> {
  const larger = await writeLargerPodcast({
    exampleDir: options.exampleDir,
    outDir: path.join(options.tempDir, 'length'),
    scale: 5,
  });
  const base = JSON.parse(await readFile(larger.configFile, 'utf8')) as Record<string, unknown>;
  const rows: LengthRow[] = [];
  for (const [i, c] of LENGTH_CASES.entries()) {
    const label = lengthLabel(c);
    const podcastId = `length-${i + 1}`;
    const configFile = path.join(larger.dir, `${podcastId}.json`);
    const config = {
      ...base,
      ...SHOW_TEXT[c.language],
      podcastId,
      publicBaseUrl: `https://podcasts.example.com/${podcastId}`,
      language: c.language,
      hosts: HOSTS.slice(0, c.hosts).map((h) =>
        c.speed !== undefined ? { ...h, voice: { speed: c.speed } } : h
      ),
      targetMinutes: c.targetMinutes,
      maxStories: c.maxStories,
      ...(c.minStories !== undefined ? { minStories: c.minStories } : {}),
    };
    await writeFile(configFile, `${JSON.stringify(config, null, 2)}\n`);
    const runInput = { ...larger.runInput, runId: `${podcastId}-${larger.runInput.episode.date}`, podcastId };
    try {
      const measured = await measureRun({ label, configFile, runInput }, 'monolithic', options.probe);
      const audioSeconds = measured.audioMs / 1000;
      const deviation = audioSeconds / (c.targetMinutes * 60) - 1;
      const within = Math.abs(deviation) <= LENGTH_TOLERANCE;
      rows.push({ ...c, label, audioSeconds, deviation, within, wallSeconds: measured.wallMs / 1000 });
    } catch (error) {
      rows.push({
        ...c,
        label,
        within: false,
        error: error instanceof Error ? error.message : String(error),
      });
    }
    const row = rows[rows.length - 1] as LengthRow;
    options.progress(
      `  length ${label}: ${row.audioSeconds !== undefined ? `${row.audioSeconds.toFixed(1)} s of audio (${signed(row.deviation ?? 0)})` : `failed: ${row.error ?? ''}`}`
    );
  }
  return rows;
}

function signed(fraction: number): string {
  return `${fraction >= 0 ? '+' : ''}${(fraction * 100).toFixed(1)}%`;
}

function clock(seconds: number): string {
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

export function renderLengthTable(rows: readonly LengthRow[]): string {
  return [
    '### Length (audio against targetMinutes, offline, monolithic)',
    '',
    '| config | target | audio | deviation | within ±10% | wall |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) =>
      r.audioSeconds === undefined
        ? `| ${r.label} | ${clock(r.targetMinutes * 60)} | failed: ${r.error ?? ''} | | no | |`
        : `| ${r.label} | ${clock(r.targetMinutes * 60)} | ${clock(r.audioSeconds)} | ${signed(r.deviation ?? 0)} | ${r.within ? 'yes' : 'no'} | ${(r.wallSeconds ?? 0).toFixed(1)} s |`
    ),
  ].join('\n');
}

export function lengthTarget(rows: readonly LengthRow[]): TargetResult {
  const worst = [...rows].sort((a, b) => Math.abs(b.deviation ?? 1) - Math.abs(a.deviation ?? 1))[0];
  return {
    target: `every length row within ±${LENGTH_TOLERANCE * 100}% of targetMinutes`,
    actual: `${rows.filter((r) => r.within).length} of ${rows.length} within; worst ${worst ? `${worst.label} ${worst.deviation !== undefined ? signed(worst.deviation) : 'failed'}` : 'n/a'}`,
    met: rows.length > 0 && rows.every((r) => r.within),
  };
}
