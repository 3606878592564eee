/**
 * The offline writer's German phrasing, one bank per tone (text-templates.ts describes the
 * placeholders). The hosts address the listeners with "ihr" in the conversational and playful
 * tones and with "Sie" in the formal one. A story sentence always follows a full stop or a colon
 * (German puts the verb second, so "Laut X, <sentence>" would not be a sentence), and `{count}`
 * and `{date}` only stand where their case is nominative or accusative ("vier Themen",
 * "Montag, der 23. November").
 */
import type { PhraseBank, Tone } from './text-templates';

const conversational: PhraseBank = {
  welcome: [
    'Hallo und herzlich willkommen bei {show}. Ich bin {lead}, und wie immer mit dabei: {cohosts}.',
    'Hallo zusammen, hier ist {show}. Ich bin {lead}, zusammen mit {cohosts}.',
  ],
  dateLine: [
    'Heute ist {date}, und wir haben {count} für euch.',
    'Es ist {date}, und wir haben heute {count} dabei.',
  ],
  cohostHello: [
    'Hallo! Schön, dabei zu sein. Unsere Themen kommen heute von {sources}.',
    'Danke, {lead}. Wir haben diese Woche {sources} gelesen, also legen wir gleich los.',
    'Hallo zusammen. Bei {sources} war diese Woche einiges los, also fangen wir an.',
  ],
  extraHello: ['Und ich bin {name}. Hallo!', 'Hallo, hier ist auch {name}.'],
  firstStory: ['Als Erstes: {title}.', 'Unser erstes Thema: {title}.'],
  nextStory: [
    'Weiter geht’s: {title}.',
    'Nächstes Thema: {title}.',
    'Kommen wir zu diesem Thema: {title}.',
    'Jetzt: {title}.',
  ],
  present: [
    '{source} hat die Details. {s}',
    'Folgendes berichtet {source}. {s}',
    'Die Meldung kommt von {source}. {s}',
  ],
  questions: [
    'Okay, und was heißt das konkret?',
    'Moment, wie funktioniert das?',
    'Und warum ist das wichtig?',
    'Wo ist der Haken?',
    'Weiß man, wie sie das geschafft haben?',
    'Für wen ist das eigentlich gedacht?',
    'Und wie geht es jetzt weiter?',
  ],
  numberReactions: [
    'Das sind große Zahlen. Woher kommen die?',
    'Das ist eine beachtliche Zahl. Steckt da noch mehr dahinter?',
    'Okay, die Zahl ist mir aufgefallen. Was noch?',
  ],
  quoteReactions: [
    'Das ist eine deutliche Aussage. Was steckt dahinter?',
    'Interessant formuliert. Was wurde sonst noch gesagt?',
  ],
  remarks: [
    'Hm, das hätte ich nicht erwartet.',
    'Das ist interessant.',
    'Ja, das ergibt Sinn.',
    'Okay, so weit kann ich folgen.',
  ],
  answerOpeners: ['', '', 'Gute Frage. ', 'Die Sache ist die: ', 'Kurz gesagt: '],
  cohostAdds: [
    'Und es gibt noch mehr: {s}',
    'Ein Detail ist mir noch aufgefallen: {s}',
    'Außerdem habe ich gelesen: {s}',
  ],
  leadAcks: ['Genau. ', 'Richtig. ', 'Ja. ', ''],
  wrapUps: [
    'Das sollten wir im Auge behalten.',
    'Spannend. Da bleibe ich dran.',
    'Gutes Thema. Mal sehen, wie es weitergeht.',
    'Eine Geschichte, die man verfolgen sollte.',
  ],
  outroLead: [
    'Und das war unsere Sendung. Danke fürs Zuhören bei {show}; heute hatten wir {count}.',
    'Das war’s für diese Folge von {show}. Danke, dass ihr dabei wart.',
  ],
  outroCohost: [
    'Die Links zu allen Themen findet ihr in den Shownotes, dann könnt ihr die Quellen selbst lesen.',
    'Alle Quellen sind in den Shownotes verlinkt.',
  ],
  outroCohostUnlinked: [
    'Alle Themen stehen in den Shownotes, jeweils mit ihrer Quelle.',
    'In den Shownotes findet ihr die heutigen Themen und ihre Quellen.',
  ],
  signOff: ['Danke, {cohosts}. Bis zum nächsten Mal, macht’s gut!', 'Macht’s gut, und bis zum nächsten Mal.'],
  soloWelcome: [
    'Hallo und herzlich willkommen bei {show}. Ich bin {lead}.',
    'Hallo zusammen, hier ist {show} mit {lead}.',
  ],
  soloSources: [
    'Unsere Themen kommen heute von {sources}.',
    'Ich habe diese Woche {sources} gelesen, also legen wir los.',
  ],
  soloContinues: [
    'Und es gibt noch mehr. {s}',
    'Dazu kommt noch Folgendes. {s}',
    'Außerdem schreibt {source}: {s}',
    '{s}',
  ],
  soloWrapUps: [
    'Das sollten wir im Auge behalten.',
    'Eine Geschichte, die man verfolgen sollte.',
    'Mal sehen, wie es weitergeht.',
  ],
  soloSignOff: [
    'Danke fürs Zuhören. Bis zum nächsten Mal, macht’s gut!',
    'Macht’s gut, und bis zum nächsten Mal.',
  ],
};

const formal: PhraseBank = {
  welcome: [
    'Willkommen bei {show}. Ich bin {lead}, und bei mir im Studio: {cohosts}.',
    'Hier ist {show}. Ich bin {lead}, gemeinsam mit {cohosts}.',
  ],
  dateLine: [
    'Heute ist {date}, und wir berichten über {count}.',
    'Es ist {date}. Wir haben heute {count} für Sie.',
  ],
  cohostHello: [
    'Danke, {lead}. Unsere Meldungen stammen heute von {sources}.',
    'Guten Tag. Unsere Quellen sind heute {sources}.',
  ],
  extraHello: ['Ich bin {name}. Herzlich willkommen.', 'Und ich bin {name}.'],
  firstStory: ['Unser erstes Thema: {title}.', 'Wir beginnen mit diesem Thema: {title}.'],
  nextStory: [
    'Unser nächstes Thema: {title}.',
    'Wir kommen nun zu diesem Thema: {title}.',
    'Als Nächstes: {title}.',
  ],
  present: ['{source} berichtet Folgendes. {s}', 'Die Meldung stammt von {source}. {s}'],
  questions: [
    'Welche Folgen hat das?',
    'Wie wurde das erreicht?',
    'Welche Auswirkungen werden erwartet?',
    'Was sind die nächsten Schritte?',
    'Wer ist davon betroffen?',
  ],
  numberReactions: [
    'Das sind bedeutende Zahlen. Gibt es weitere Einzelheiten?',
    'Das ist eine bemerkenswerte Zahl. Was ist sonst bekannt?',
  ],
  quoteReactions: [
    'Das ist eine klare Position. Wie wird sie begründet?',
    'Eine bemerkenswerte Aussage. Was wurde sonst noch gesagt?',
  ],
  remarks: ['Das ist ein wichtiger Punkt.', 'Das ist bemerkenswert.', 'Verstanden.'],
  answerOpeners: ['', '', 'Kurz gesagt: ', 'Im Einzelnen: '],
  cohostAdds: ['Außerdem wird berichtet: {s}', 'Ein weiteres Detail: {s}'],
  leadAcks: ['In der Tat. ', 'Richtig. ', ''],
  wrapUps: [
    'Eine wichtige Entwicklung.',
    'Eine Entwicklung, die wir weiter verfolgen werden.',
    'Wir bleiben an diesem Thema dran.',
  ],
  outroLead: ['Damit endet diese Ausgabe von {show}.', 'Das war {show} für heute.'],
  outroCohost: [
    'Die Links zu allen Quellen finden Sie in den Shownotes.',
    'Alle Quellen sind in den Shownotes verlinkt.',
  ],
  outroCohostUnlinked: [
    'Die Shownotes nennen jedes Thema mit seiner Quelle.',
    'Jede Meldung ist in den Shownotes aufgeführt, mit ihrer Quelle.',
  ],
  signOff: [
    'Vielen Dank, {cohosts}, und Ihnen vielen Dank fürs Zuhören.',
    'Vielen Dank fürs Zuhören. Auf Wiederhören.',
  ],
  soloWelcome: ['Willkommen bei {show}. Ich bin {lead}.', 'Hier ist {show}, am Mikrofon: {lead}.'],
  soloSources: ['Unsere Meldungen stammen heute von {sources}.', 'Unsere Quellen sind heute {sources}.'],
  soloContinues: ['Außerdem wird berichtet: {s}', 'Ein weiteres Detail: {s}', '{s}'],
  soloWrapUps: ['Eine wichtige Entwicklung.', 'Wir bleiben an diesem Thema dran.'],
  soloSignOff: [
    'Vielen Dank fürs Zuhören. Auf Wiederhören.',
    'Danke für Ihre Aufmerksamkeit, und auf Wiederhören.',
  ],
};

const playful: PhraseBank = {
  welcome: [
    'Hallihallo und willkommen bei {show}! Ich bin {lead}, und mit dabei, mit Kaffee und bester Laune: {cohosts}.',
    'Willkommen zurück bei {show}! Ich bin {lead}, und hier mit mir: {cohosts}.',
  ],
  dateLine: [
    'Heute ist {date}, und wir haben {count} am Start.',
    'Schnappt euch einen Kaffee: Heute ist {date}, und wir haben {count}.',
  ],
  cohostHello: [
    'Kann losgehen, {lead}! Wir haben {sources} für euch durchstöbert.',
    'Hallo hallo! Frische Geschichten von {sources}, kommen sofort.',
  ],
  extraHello: ['Und {name} ist auch dabei!', 'Hey, hier ist {name}!'],
  firstStory: ['Thema Nummer eins: {title}.', 'Los geht’s mit diesem Thema: {title}.'],
  nextStory: ['Okay, weiter: {title}.', 'Themenwechsel: {title}.', 'Auf geht’s! {title}.'],
  present: [
    '{source} erzählt uns Folgendes. {s}',
    'Frisch von {source}: {s}',
    'Schaut mal, was {source} schreibt. {s}',
  ],
  questions: [
    'Moment mal, wie soll das denn gehen?',
    'Oh. Wo ist der Haken?',
    'Echt jetzt? Warum?',
    'Und wer gewinnt dabei?',
    'Und dann?',
  ],
  numberReactions: [
    'Wow, diese Zahlen! Woher kommen die?',
    'Okay, bei der Zahl bin ich hellwach. Erzähl mehr.',
  ],
  quoteReactions: ['Starke Worte! Was steckt dahinter?', 'Ha, tolles Zitat. Was noch?'],
  remarks: ['Kein Witz?', 'Okay, das ist ziemlich cool.', 'Das habe ich nicht kommen sehen.'],
  answerOpeners: ['', 'Pass auf. ', 'Jetzt kommt der Clou. '],
  cohostAdds: ['Oh, und hört euch das an: {s}', 'Und obendrauf: {s}'],
  leadAcks: ['Ha, genau. ', 'Exakt! ', ''],
  wrapUps: [
    'Klasse. Halt uns auf dem Laufenden, Internet.',
    'Das behalten wir im Blick, ganz sicher.',
    'Okay, das kommt auf meine Liste.',
  ],
  outroLead: [
    'Und das war’s mit {show}! Alles erledigt.',
    'Das war die Sendung! Danke, dass ihr bei {show} dabei wart.',
  ],
  outroCohost: [
    'Die Links zu allen Geschichten sind in den Shownotes. Lest sie!',
    'Alle Quellen stehen wie immer in den Shownotes.',
  ],
  outroCohostUnlinked: [
    'Jede Geschichte steht in den Shownotes, samt Quelle.',
    'In den Shownotes gibt es die ganze Liste der Geschichten. Schaut mal rein!',
  ],
  signOff: ['Tschüss, {cohosts}! Bis zum nächsten Mal, alle zusammen.', 'Bis zum nächsten Mal!'],
  soloWelcome: [
    'Hallihallo und willkommen bei {show}! Ich bin {lead}, mit Kaffee und bester Laune.',
    'Willkommen zurück bei {show}! Hier ist {lead}.',
  ],
  soloSources: [
    'Frische Geschichten von {sources}, kommen sofort.',
    'Ich habe {sources} für euch durchstöbert.',
  ],
  soloContinues: [
    'Oh, und hört euch das an: {s}',
    'Und obendrauf: {s}',
    'Und es geht noch weiter! {s}',
    '{s}',
  ],
  soloWrapUps: ['Das behalte ich im Blick, ganz sicher.', 'Okay, das kommt auf meine Liste.'],
  soloSignOff: ['Das war’s von mir. Bis zum nächsten Mal!', 'Tschüss, und bis zum nächsten Mal!'],
};

export const GERMAN: Record<Tone, PhraseBank> = { conversational, formal, playful };
