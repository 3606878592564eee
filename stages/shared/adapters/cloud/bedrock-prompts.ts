/**
 * The prompts the Bedrock writer sends. Each gives the model the real material (the scraped
 * story text, the summaries' sentences and key points, the outline) and asks for one JSON object
 * of the shape the stage validates (summarize/schema.ts, outline/schema.ts, script/schema.ts),
 * with the rules the review stage will check (host ids, sources, banned phrases, length).
 * Everything the hosts say is written in the podcast's language; sentences quoted from a story
 * stay in the story's own words. One host gets a monologue, two to four a conversation.
 */
import type { PodcastConfig } from '../../config-schema';
import type { Outline, OutlineSegment, ScrapedStory, ScriptTurn, StorySummary } from '../../content-types';
import { LANGUAGES, languageOf } from '../../languages';

export interface Prompt {
  system: string;
  user: string;
  /** Output budget of the call (the model's answer is cut off there). */
  maxTokens: number;
}

/** Story text beyond this is left out of the summary prompt (bounds the input tokens of one call). */
export const MAX_STORY_CHARS = 24_000;
/** Output tokens per call at most (Nova Lite answers up to 5K). */
export const MAX_OUTPUT_TOKENS = 4096;

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** "German (de-at)": how the prompts name the podcast's language. */
export function languageName(tag: string): string {
  return `${LANGUAGES[languageOf(tag).code].name} (${tag})`;
}

function systemPrompt(podcast: PodcastConfig): string {
  const language = languageName(podcast.language);
  return [
    `You write for the podcast "${podcast.title}": ${podcast.description}`,
    `Tone: ${podcast.style.tone}. Language: ${language}.`,
    `Write episode and segment titles, key points and everything the hosts say in ${language}, whatever the language of the material; story titles and the sentences you are asked to copy from a story stay exactly as the story has them.`,
    'Use only facts stated in the material you are given; never invent facts, numbers, names or quotes.',
    'Answer with exactly one JSON object and nothing else: no prose before or after it, no markdown.',
  ].join('\n');
}

function bannedRule(podcast: PodcastConfig): string {
  const phrases = podcast.style.bannedPhrases;
  return phrases.length > 0
    ? `Never use these phrases: ${phrases.map((p) => JSON.stringify(p)).join(', ')}.`
    : '';
}

/** Sentences per summary: the episode's word budget shared among its stories (about 20 words a sentence). */
export function summarySentenceRange(podcast: PodcastConfig): { min: number; max: number } {
  const wordsPerStory = (podcast.targetMinutes * 150 * 0.8) / Math.max(1, podcast.maxStories);
  const max = clamp(Math.ceil(wordsPerStory / 20), 3, 10);
  return { min: Math.min(3, max), max };
}

export function summaryPrompt(story: ScrapedStory, podcast: PodcastConfig): Prompt {
  const { min, max } = summarySentenceRange(podcast);
  const text =
    story.text.length > MAX_STORY_CHARS ? `${story.text.slice(0, MAX_STORY_CHARS)} [...]` : story.text;
  const user = [
    'Summarize this news story for the hosts of the podcast.',
    `Story id: ${story.id}`,
    `Title: ${story.title}`,
    `Source: ${story.sourceName}`,
    `URL: ${story.url}`,
    ...(story.publishedAt ? [`Published: ${story.publishedAt}`] : []),
    'Story text:',
    '"""',
    text,
    '"""',
    'Return this JSON object:',
    `{"storyId": ${JSON.stringify(story.id)}, "title": ${JSON.stringify(story.title)}, "sourceName": ${JSON.stringify(story.sourceName)}, "url": ${JSON.stringify(story.url)}, "sentences": ["..."], "keyPoints": ["..."], "wordCount": 0}`,
    `- "sentences": ${min} to ${max} sentences copied word for word from the story text, the most informative ones, in the story's order.`,
    '- "keyPoints": 2 to 4 key points of the story, each under 15 words.',
    '- "wordCount": the number of words in "sentences".',
    bannedRule(podcast),
  ];
  return {
    system: systemPrompt(podcast),
    user: user.filter(Boolean).join('\n'),
    maxTokens: clamp(max * 60 + 400, 800, MAX_OUTPUT_TOKENS),
  };
}

function storyBrief(summary: StorySummary): string {
  return [
    `- story ${JSON.stringify(summary.storyId)}: "${summary.title}" (${summary.sourceName})`,
    ...summary.keyPoints.map((point) => `    key point: ${point}`),
  ].join('\n');
}

export function outlinePrompt(
  summaries: StorySummary[],
  podcast: PodcastConfig,
  targetWords: number,
  title?: string
): Prompt {
  const user = [
    `Plan the next episode of the podcast: about ${targetWords} spoken words in total.`,
    title
      ? `The episode title is fixed: ${JSON.stringify(title)}.`
      : 'Give the episode a short, specific title naming its main story.',
    'The stories, best first:',
    ...summaries.map(storyBrief),
    'Return this JSON object:',
    `{"episodeTitle": "...", "targetWords": ${targetWords}, "segments": [{"id": "intro", "kind": "intro", "title": "...", "targetWords": 0}, {"id": "story-1", "kind": "story", "title": "...", "storyId": "<story id>", "targetWords": 0}, {"id": "outro", "kind": "outro", "title": "...", "targetWords": 0}]}`,
    '- One "intro" segment first and one "outro" segment last; between them one "story" segment per story, in the order given, each naming its "storyId" exactly as given.',
    '- Segment ids are unique, lower-case letters, digits and dashes.',
    `- The segments' "targetWords" are whole numbers that add up to about ${targetWords}; the intro and the outro get about a tenth each.`,
    bannedRule(podcast),
  ];
  return {
    system: systemPrompt(podcast),
    user: user.filter(Boolean).join('\n'),
    maxTokens: clamp(300 + summaries.length * 120, 800, MAX_OUTPUT_TOKENS),
  };
}

export interface SegmentPromptInput {
  podcast: PodcastConfig;
  outline: Outline;
  segment: OutlineSegment;
  summaries: StorySummary[];
  /** The last turns already written (continuity across segments). */
  previous: ScriptTurn[];
  episodeDate: string;
}

function segmentMaterial({
  segment,
  summaries,
  outline,
  podcast,
  episodeDate,
}: SegmentPromptInput): string[] {
  if (segment.kind === 'story') {
    const summary = summaries.find((s) => s.storyId === segment.storyId);
    if (!summary) return [];
    return [
      `The story (id ${JSON.stringify(summary.storyId)}): "${summary.title}" from ${summary.sourceName}.`,
      'What the story says:',
      ...summary.sentences.map((sentence) => `- ${sentence}`),
      'Key points:',
      ...summary.keyPoints.map((point) => `- ${point}`),
    ];
  }
  const stories = summaries.map((s) => `- "${s.title}" (${s.sourceName})`);
  if (segment.kind === 'intro') {
    return [
      `Open the episode "${outline.episodeTitle}" of ${podcast.title}, dated ${episodeDate}: welcome the listeners and tease the stories:`,
      ...stories,
    ];
  }
  return [
    'Close the episode: a one-line recap of the stories below, thanks to the listeners, and a sign-off.',
    ...stories,
  ];
}

/** How the hosts share a segment: a monologue for one host, turns for two, a panel for three or four. */
function turnRule(podcast: PodcastConfig, lead: PodcastConfig['hosts'][number] | undefined): string {
  if (podcast.hosts.length === 1)
    return `- This is a solo show: a monologue. Every turn is spoken by ${JSON.stringify(podcast.hosts[0]?.id ?? '')}, one turn per fact or transition, with spoken transitions between the stories; no questions to a co-host.`;
  if (podcast.hosts.length === 2) return '- The two hosts take turns; no host speaks twice in a row.';
  return `- A panel: ${lead ? `${lead.name} leads and ` : ''}every host speaks in every story segment; no host speaks twice in a row.`;
}

export function scriptSegmentPrompt(input: SegmentPromptInput): Prompt {
  const { podcast, segment, previous } = input;
  const turns = clamp(Math.round(segment.targetWords / 35), 2, 14);
  const hosts = podcast.hosts.map((h) => `- ${JSON.stringify(h.id)}: ${h.name}, ${h.role}`);
  const lead = podcast.hosts.find((h) => h.role === 'lead') ?? podcast.hosts[0];
  const user = [
    `Write the ${podcast.hosts.length === 1 ? 'monologue' : 'dialogue'} of one segment of the episode: "${segment.title}" (${segment.kind}), about ${segment.targetWords} words in ${turns} turns or so, in ${languageName(podcast.language)}.`,
    `The host${podcast.hosts.length === 1 ? '' : 's'} (use the id as "speaker"):`,
    ...hosts,
    ...segmentMaterial(input),
    ...(previous.length > 0
      ? ['The episode so far ends with:', ...previous.map((t) => `${t.speaker}: ${t.text}`)]
      : []),
    'Return this JSON object:',
    `{"turns": [{"speaker": "<host id>", "text": "...", "sourceIds": ["<story id>"], "segmentId": ${JSON.stringify(segment.id)}}]}`,
    turnRule(podcast, lead),
    '- "text" is exactly what the host says: no stage directions, no speaker name in front, no markdown, no emoji.',
    segment.storyId
      ? `- A turn that states a fact from the story lists ${JSON.stringify(segment.storyId)} in "sourceIds"; a turn with no fact (a question, a reaction) has "sourceIds": [].`
      : '- Greetings, teasers, recaps and sign-offs state no new facts: "sourceIds": [].',
    segment.kind === 'intro' && lead && podcast.hosts.length > 1
      ? `- ${lead.name} (${JSON.stringify(lead.id)}) speaks first.`
      : '',
    `- Every turn has "segmentId": ${JSON.stringify(segment.id)}.`,
    bannedRule(podcast),
  ];
  return {
    system: systemPrompt(podcast),
    user: user.filter(Boolean).join('\n'),
    maxTokens: clamp(Math.ceil(segment.targetWords * 2.2) + turns * 40 + 200, 600, MAX_OUTPUT_TOKENS),
  };
}
