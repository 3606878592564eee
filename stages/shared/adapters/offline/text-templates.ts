/**
 * The offline writer's phrase banks, one per tone. Placeholders in braces are filled by
 * text-dialogue.ts; the writer picks among the variants by a hash of ids, never at random.
 * Lines that carry no claim from a source (greetings, questions, remarks) are "banter".
 */
import type { PodcastConfig } from '../../config-schema';

export type Tone = PodcastConfig['style']['tone'];

export interface PhraseBank {
  /** Lead, first line: {show} {lead} {cohosts}. */
  welcome: string[];
  /** Lead, same turn: {date} {count}. */
  dateLine: string[];
  /** First co-host's reply to the welcome: {lead} {sources}. */
  cohostHello: string[];
  /** Further co-hosts introduce themselves: {name}. */
  extraHello: string[];
  /** Lead-in to the first story: {title}. */
  firstStory: string[];
  /** Lead-in to later stories: {title}. */
  nextStory: string[];
  /** Presenting a fact; "{s}" keeps the sentence as is, "{lc}" follows a comma. */
  present: string[];
  /** Co-host questions after a fact. */
  questions: string[];
  /** Co-host reactions to a figure in the last fact. */
  numberReactions: string[];
  /** Co-host reactions to a quotation in the last fact. */
  quoteReactions: string[];
  /** Co-host linking remarks (statements, not questions). */
  remarks: string[];
  /** Lead's opener before answering; "" answers directly. A trailing comma lower-cases what follows. */
  answerOpeners: string[];
  /** Co-host presenting a further fact: {source} {s} {lc}. */
  cohostAdds: string[];
  /** Lead acknowledging the co-host's fact before the next one. */
  leadAcks: string[];
  /** Co-host closing a story. */
  wrapUps: string[];
  /** Lead opening the outro: {show} {count}. */
  outroLead: string[];
  /** Co-host in the outro, when the show notes link every story covered. */
  outroCohost: string[];
  /** Co-host in the outro, when some story has no link the notes could publish (no promise of links). */
  outroCohostUnlinked: string[];
  /** Lead's last words: {cohost}. */
  signOff: string[];
}

const conversational: PhraseBank = {
  welcome: [
    'Hey, and welcome to {show}. I’m {lead}, and with me as always is {cohosts}.',
    'Hi everyone, this is {show}. I’m {lead}, joined by {cohosts}.',
  ],
  dateLine: [
    'It’s {date}, and we’ve got {count} for you today.',
    'This is the episode for {date}, with {count} to get through.',
  ],
  cohostHello: [
    'Hi! Good to be here. Today’s stories come from {sources}.',
    'Thanks, {lead}. We’ve been reading {sources} this week, so let’s jump right in.',
    'Hey everyone. There’s a lot to cover from {sources}, so let’s get going.',
  ],
  extraHello: ['And I’m {name}. Hello!', 'Hi, {name} here too.'],
  firstStory: ['First up: {title}.', 'Our first story: {title}.'],
  nextStory: ['Next up: {title}.', 'Let’s move on to {title}.', 'Our next story: {title}.', 'Now, {title}.'],
  present: [
    'According to {source}, {lc}',
    '{source} has the details. {s}',
    'Here’s what {source} is reporting. {s}',
    'This one comes from {source}. {s}',
  ],
  questions: [
    'Okay, so what does that mean in practice?',
    'Wait, how does that work?',
    'So why does that matter?',
    'What’s the catch?',
    'Do we know how they got there?',
    'Who is this really for?',
    'And what happens next?',
  ],
  numberReactions: [
    'Those are big numbers. Where do they come from?',
    'That’s quite a figure. Is there more to it?',
    'Okay, that number jumped out at me. What else?',
  ],
  quoteReactions: [
    'That’s a strong statement. What’s behind it?',
    'Interesting way to put it. What else did they say?',
  ],
  remarks: [
    'Huh, I didn’t expect that.',
    'That’s interesting.',
    'Right, that makes sense.',
    'Okay, I’m with you so far.',
  ],
  answerOpeners: ['', '', 'Well, ', 'So, ', 'Good question. ', 'Here’s the thing. '],
  cohostAdds: ['And there’s more: {s}', 'One more detail I noticed: {s}', 'I also read that {lc}'],
  leadAcks: ['Right. ', 'Exactly. ', 'Yes. ', ''],
  wrapUps: [
    'Definitely one to keep an eye on.',
    'Fascinating. I’ll be watching that one.',
    'Good one. Let’s see how it plays out.',
    'That’s a story worth following.',
  ],
  outroLead: [
    'And that’s our show. Thanks for listening to {show}; we covered {count} today.',
    'That’s it for this episode of {show}: {count}, all in one go.',
  ],
  outroCohost: [
    'Links to every story are in the show notes, so you can read the sources yourself.',
    'You’ll find links to all the sources in the show notes.',
  ],
  outroCohostUnlinked: [
    'Every story we covered is listed in the show notes, with where it came from.',
    'The show notes list today’s stories and their sources.',
  ],
  signOff: ['Thanks, {cohost}. See you next time, everyone!', 'Take care, and see you next time.'],
};

const formal: PhraseBank = {
  welcome: [
    'Welcome to {show}. I am {lead}, and joining me is {cohosts}.',
    'This is {show}. I am {lead}, together with {cohosts}.',
  ],
  dateLine: [
    'Today is {date}, and we have {count} to report.',
    'In this edition for {date}, we cover {count}.',
  ],
  cohostHello: [
    'Thank you, {lead}. Today’s reports come from {sources}.',
    'Good to be with you. Our sources today are {sources}.',
  ],
  extraHello: ['I am {name}. Welcome.', 'And I am {name}.'],
  firstStory: ['Our first story: {title}.', 'We begin with {title}.'],
  nextStory: ['Our next story: {title}.', 'Turning now to {title}.', 'Next, {title}.'],
  present: [
    'According to {source}, {lc}',
    '{source} reports the following. {s}',
    'The report comes from {source}. {s}',
  ],
  questions: [
    'What are the implications?',
    'How was this achieved?',
    'What is the expected impact?',
    'What are the next steps?',
    'Who is affected by this?',
  ],
  numberReactions: [
    'Those figures are significant. Is there further detail?',
    'That is a notable figure. What else is known?',
  ],
  quoteReactions: [
    'That is a clear position. What is the reasoning behind it?',
    'A notable statement. What else was said?',
  ],
  remarks: ['That is an important point.', 'That is worth noting.', 'Understood.'],
  answerOpeners: ['', '', 'In short, ', 'Specifically, '],
  cohostAdds: ['It is also reported that {lc}', 'A further detail: {s}'],
  leadAcks: ['Indeed. ', 'Correct. ', ''],
  wrapUps: [
    'An important development.',
    'A development worth following.',
    'We will follow this story as it develops.',
  ],
  outroLead: [
    'That concludes this edition of {show}, with {count} covered.',
    'That is all for this edition of {show}.',
  ],
  outroCohost: [
    'Links to all sources are available in the show notes.',
    'The full sources are linked in the show notes.',
  ],
  outroCohostUnlinked: [
    'The show notes list each story with its source.',
    'Each report is listed in the show notes, with its source.',
  ],
  signOff: ['Thank you, {cohost}, and thank you for listening.', 'Thank you for listening. Until next time.'],
};

const playful: PhraseBank = {
  welcome: [
    'Hello hello, and welcome to {show}! I’m {lead}, and {cohosts} is here, caffeinated and ready.',
    'Welcome back to {show}! I’m {lead}, hanging out with {cohosts}.',
  ],
  dateLine: [
    'It’s {date}, and we have {count} lined up.',
    'Grab a coffee: it’s {date}, and we’ve got {count}.',
  ],
  cohostHello: [
    'Ready when you are, {lead}! We raided {sources} for this one.',
    'Hi hi! Fresh stories from {sources}, coming right up.',
  ],
  extraHello: ['And {name} is here too!', 'Hey, it’s {name}!'],
  firstStory: ['Story number one: {title}.', 'Let’s kick off with {title}.'],
  nextStory: ['Okay, next: {title}.', 'Switching gears: {title}.', 'Onward! {title}.'],
  present: ['According to {source}, {lc}', 'So, {source} tells us this. {s}', 'Fresh from {source}: {s}'],
  questions: [
    'Okay, hold on, how does that even work?',
    'Ooh. What’s the catch?',
    'Wait, really? Why?',
    'So who wins here?',
    'And then what?',
  ],
  numberReactions: [
    'Whoa, those numbers! Where do they come from?',
    'Okay, that figure made me sit up. Tell me more.',
  ],
  quoteReactions: ['Bold words! What’s behind that?', 'Ha, love that quote. What else?'],
  remarks: ['No way.', 'Okay, that’s pretty cool.', 'I did not see that coming.'],
  answerOpeners: ['', 'So, ', 'Right, so, ', 'Here’s the fun part. '],
  cohostAdds: ['Oh, and get this: {s}', 'Plus, {lc}'],
  leadAcks: ['Ha, yes. ', 'Exactly! ', ''],
  wrapUps: [
    'Love it. Keep us posted, internet.',
    'One to watch, for sure.',
    'Okay, that one’s going on my list.',
  ],
  outroLead: [
    'And that’s a wrap on {show}! {count}, done and dusted.',
    'That’s the show! Thanks for hanging out with us on {show}.',
  ],
  outroCohost: [
    'Links to every story are in the show notes. Go read them!',
    'All the sources are in the show notes, as always.',
  ],
  outroCohostUnlinked: [
    'Every story is listed in the show notes, sources and all.',
    'The show notes have the whole list of stories. Go look!',
  ],
  signOff: ['Bye, {cohost}! See you next time, everyone.', 'See you next time!'],
};

export const PHRASE_BANKS: Record<Tone, PhraseBank> = { conversational, formal, playful };

/** Fills {placeholders}; an unknown placeholder is a programming error, so it throws. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`template placeholder {${name}} has no value in "${template}"`);
    return value;
  });
}
