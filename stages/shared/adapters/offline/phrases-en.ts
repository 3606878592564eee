/**
 * The offline writer's English phrasing, one bank per tone (text-templates.ts describes the
 * placeholders). The lines are for spoken English: contractions in the conversational and
 * playful tones, none in the formal one.
 */
import type { PhraseBank, Tone } from './text-templates';

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
  signOff: ['Thanks, {cohosts}. See you next time, everyone!', 'Take care, and see you next time.'],
  soloWelcome: ['Hey, and welcome to {show}. I’m {lead}.', 'Hi everyone, this is {show}, and I’m {lead}.'],
  soloSources: [
    'Today’s stories come from {sources}.',
    'I’ve been reading {sources} this week, so let’s jump right in.',
  ],
  soloContinues: ['There’s more. {s}', 'What’s more, {lc}', '{source} also reports this. {s}', '{s}'],
  soloWrapUps: [
    'Definitely one to keep an eye on.',
    'That’s a story worth following.',
    'We’ll see how that one plays out.',
  ],
  soloSignOff: ['Thanks for listening, and see you next time!', 'Take care, and see you next time.'],
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
  signOff: [
    'Thank you, {cohosts}, and thank you for listening.',
    'Thank you for listening. Until next time.',
  ],
  soloWelcome: ['Welcome to {show}. I am {lead}.', 'This is {show}, with {lead}.'],
  soloSources: ['Today’s reports come from {sources}.', 'Our sources today are {sources}.'],
  soloContinues: ['It is also reported that {lc}', 'A further detail: {s}', '{s}'],
  soloWrapUps: ['An important development.', 'We will follow this story as it develops.'],
  soloSignOff: ['Thank you for listening. Until next time.', 'Thank you for your attention, and goodbye.'],
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
  signOff: ['Bye, {cohosts}! See you next time, everyone.', 'See you next time!'],
  soloWelcome: [
    'Hello hello, and welcome to {show}! I’m {lead}, caffeinated and ready.',
    'Welcome back to {show}! {lead} here.',
  ],
  soloSources: ['Fresh stories from {sources}, coming right up.', 'I raided {sources} for this one.'],
  soloContinues: ['Oh, and get this: {s}', 'Plus, {lc}', 'And there’s more! {s}', '{s}'],
  soloWrapUps: ['One to watch, for sure.', 'Okay, that one’s going on my list.'],
  soloSignOff: ['That’s all from me. See you next time!', 'Bye for now, and see you next time!'],
};

export const ENGLISH: Record<Tone, PhraseBank> = { conversational, formal, playful };
