/** The content that moves between stages (stored in S3 as JSON, referenced by key in manifests). */

export interface StoryCandidate {
  id: string;
  sourceId: string;
  sourceName: string;
  title: string;
  url: string;
  publishedAt?: string;
  /** The feed's own description/summary of the item (plain text). */
  snippet: string;
  score: number;
}

export interface ScrapedStory {
  id: string;
  sourceId: string;
  sourceName: string;
  title: string;
  url: string;
  publishedAt?: string;
  text: string;
  wordCount: number;
}

export interface StorySummary {
  storyId: string;
  title: string;
  sourceName: string;
  url: string;
  /** Sentences taken from the story, in the story's order. */
  sentences: string[];
  keyPoints: string[];
  wordCount: number;
}

export interface OutlineSegment {
  id: string;
  kind: 'intro' | 'story' | 'outro';
  title: string;
  storyId?: string;
  targetWords: number;
}

export interface Outline {
  episodeTitle: string;
  targetWords: number;
  segments: OutlineSegment[];
}

export interface ScriptTurn {
  index: number;
  segmentId: string;
  speaker: string;
  text: string;
  /** Story ids whose text this turn's claims come from; empty for banter, intros and outros. */
  sourceIds: string[];
}

export interface Script {
  episodeTitle: string;
  turns: ScriptTurn[];
  wordCount: number;
}

export interface ClipTiming {
  turnIndex: number;
  speaker: string;
  segmentId: string;
  startMs: number;
  endMs: number;
  text: string;
}
