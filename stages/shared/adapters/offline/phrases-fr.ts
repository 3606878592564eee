/**
 * The offline writer's French phrasing, one bank per tone (text-templates.ts describes the
 * placeholders). The hosts say "vous" to the listeners and "tu" to each other. Names, sources and
 * titles are never put right after "de", "le" or "que" (they would need an elision, "d’Ava",
 * when they start with a vowel), and no line makes a host agree in gender ("ravi"/"ravie"):
 * the writer does not know it. A story sentence follows a full stop or a colon, as is.
 */
import type { PhraseBank, Tone } from './text-templates';

const conversational: PhraseBank = {
  welcome: [
    'Salut, et bienvenue dans {show}. Moi, c’est {lead}, et avec moi, comme toujours : {cohosts}.',
    'Bonjour à tous, ici {show}. Je suis {lead}, avec {cohosts}.',
  ],
  dateLine: [
    'Nous sommes le {date}, et nous avons {count} pour vous aujourd’hui.',
    'C’est l’épisode du {date}, avec {count} au programme.',
  ],
  cohostHello: [
    'Salut tout le monde ! Nos sources du jour : {sources}.',
    'Merci, {lead}. Cette semaine, on a lu nos sources pour vous : {sources}. Allons-y.',
    'Bonjour à tous. Il y a beaucoup à raconter cette semaine, d’après nos sources : {sources}. C’est parti.',
  ],
  extraHello: ['Et moi, c’est {name}. Bonjour !', 'Salut, ici {name} !'],
  firstStory: ['Premier sujet : {title}.', 'On commence avec ce sujet : {title}.'],
  nextStory: [
    'Sujet suivant : {title}.',
    'Passons à ce sujet : {title}.',
    'Ensuite : {title}.',
    'Maintenant : {title}.',
  ],
  present: [
    '{source} a les détails. {s}',
    'Voici ce que rapporte {source}. {s}',
    'C’est {source} qui en parle. {s}',
  ],
  questions: [
    'D’accord, et concrètement, ça veut dire quoi ?',
    'Attends, comment ça marche ?',
    'Et pourquoi c’est important ?',
    'Où est le piège ?',
    'On sait comment ils y sont arrivés ?',
    'C’est pour qui, au fond ?',
    'Et maintenant, quelle est la suite ?',
  ],
  numberReactions: [
    'Ce sont de gros chiffres. D’où viennent-ils ?',
    'Quel chiffre ! Il y a autre chose ?',
    'Ce chiffre saute aux yeux. Quoi d’autre ?',
  ],
  quoteReactions: [
    'C’est une déclaration forte. Qu’est-ce qu’il y a derrière ?',
    'Drôle de façon de le dire. Qu’ont-ils dit d’autre ?',
  ],
  remarks: [
    'Tiens, je ne m’y attendais pas.',
    'C’est intéressant.',
    'Oui, ça se tient.',
    'D’accord, je te suis.',
  ],
  answerOpeners: ['', '', 'Bonne question. ', 'En bref : ', 'Eh bien, voilà. '],
  cohostAdds: [
    'Et ce n’est pas tout : {s}',
    'Un autre détail que j’ai remarqué : {s}',
    'J’ai aussi lu ceci. {s}',
  ],
  leadAcks: ['Exactement. ', 'Oui. ', 'Tout à fait. ', ''],
  wrapUps: [
    'À suivre de près, c’est sûr.',
    'Passionnant. Je vais suivre ça.',
    'Bon sujet. On verra comment ça évolue.',
    'Une histoire à suivre.',
  ],
  outroLead: [
    'Et c’est tout pour aujourd’hui, avec {count} au programme. Merci d’avoir écouté {show}.',
    'C’est la fin de cet épisode. Merci d’avoir écouté {show}.',
  ],
  outroCohost: [
    'Les liens vers tous les sujets sont dans les notes de l’épisode, pour lire les sources vous-mêmes.',
    'Vous trouverez les liens vers toutes les sources dans les notes de l’épisode.',
  ],
  outroCohostUnlinked: [
    'Tous les sujets sont dans les notes de l’épisode, chacun avec sa source.',
    'Les notes de l’épisode donnent la liste des sujets du jour et leurs sources.',
  ],
  signOff: ['Merci, {cohosts}. À la prochaine, tout le monde !', 'Prenez soin de vous, et à la prochaine.'],
  soloWelcome: [
    'Salut, et bienvenue dans {show}. Moi, c’est {lead}.',
    'Bonjour à tous, ici {show}, avec {lead}.',
  ],
  soloSources: [
    'Nos sources du jour : {sources}.',
    'Cette semaine, j’ai lu pour vous nos sources : {sources}. Allons-y.',
  ],
  soloContinues: [
    'Et ce n’est pas tout. {s}',
    'Autre détail. {s}',
    '{source} précise aussi ceci. {s}',
    '{s}',
  ],
  soloWrapUps: ['À suivre de près, c’est sûr.', 'Une histoire à suivre.', 'On verra comment ça évolue.'],
  soloSignOff: ['Merci de votre écoute, et à la prochaine !', 'Prenez soin de vous, et à la prochaine.'],
};

const formal: PhraseBank = {
  welcome: [
    'Bienvenue dans {show}. Je suis {lead}, et à mes côtés : {cohosts}.',
    'Ici {show}. Je suis {lead}, avec {cohosts}.',
  ],
  dateLine: [
    'Nous sommes le {date}, et nous avons {count} à vous présenter.',
    'Dans cette édition du {date}, nous traitons {count}.',
  ],
  cohostHello: [
    'Merci, {lead}. Nos sources du jour : {sources}.',
    'Bonjour à tous. Voici nos sources du jour : {sources}.',
  ],
  extraHello: ['Je suis {name}. Bienvenue.', 'Et je suis {name}.'],
  firstStory: ['Premier sujet : {title}.', 'Nous commençons par ce sujet : {title}.'],
  nextStory: ['Sujet suivant : {title}.', 'Passons maintenant à ce sujet : {title}.', 'Ensuite : {title}.'],
  present: ['Voici ce que rapporte {source}. {s}', 'C’est {source} qui le rapporte. {s}'],
  questions: [
    'Quelles en sont les conséquences ?',
    'Comment cela a-t-il été rendu possible ?',
    'Quel en est l’impact attendu ?',
    'Quelles sont les prochaines étapes ?',
    'Qui est concerné ?',
  ],
  numberReactions: [
    'Ces chiffres sont importants. Dispose-t-on de plus de détails ?',
    'C’est un chiffre notable. Que sait-on d’autre ?',
  ],
  quoteReactions: [
    'C’est une position claire. Quel en est le raisonnement ?',
    'Une déclaration notable. Qu’a-t-on dit d’autre ?',
  ],
  remarks: ['C’est un point important.', 'Cela mérite d’être noté.', 'Entendu.'],
  answerOpeners: ['', '', 'En bref : ', 'Plus précisément : '],
  cohostAdds: ['On rapporte également ceci. {s}', 'Un détail supplémentaire : {s}'],
  leadAcks: ['En effet. ', 'Exactement. ', ''],
  wrapUps: ['Une évolution importante.', 'Une évolution à suivre.', 'Nous suivrons ce sujet de près.'],
  outroLead: [
    'Ainsi s’achève cette édition, avec {count} au programme. Merci d’avoir écouté {show}.',
    'C’est tout pour cette édition. Merci d’avoir écouté {show}.',
  ],
  outroCohost: [
    'Les liens vers toutes les sources figurent dans les notes de l’épisode.',
    'Toutes les sources sont accessibles par un lien dans les notes de l’épisode.',
  ],
  outroCohostUnlinked: [
    'Les notes de l’épisode indiquent chaque sujet et sa source.',
    'Chaque information figure dans les notes de l’épisode, avec sa source.',
  ],
  signOff: ['Merci, {cohosts}, et merci de votre écoute.', 'Merci de votre écoute. À bientôt.'],
  soloWelcome: ['Bienvenue dans {show}. Je suis {lead}.', 'Ici {show}, avec {lead}.'],
  soloSources: ['Nos sources du jour : {sources}.', 'Voici nos sources du jour : {sources}.'],
  soloContinues: ['On rapporte également ceci. {s}', 'Un détail supplémentaire : {s}', '{s}'],
  soloWrapUps: ['Une évolution importante.', 'Nous suivrons ce sujet de près.'],
  soloSignOff: ['Merci de votre écoute. À bientôt.', 'Merci de votre attention, et au revoir.'],
};

const playful: PhraseBank = {
  welcome: [
    'Salut salut, et bienvenue dans {show} ! Moi, c’est {lead}, et avec moi, en pleine forme : {cohosts}.',
    'Re-bonjour, et bienvenue dans {show} ! Je suis {lead}, avec {cohosts}.',
  ],
  dateLine: [
    'On est le {date}, et on a {count} au menu.',
    'Prenez un café : on est le {date}, et on a {count}.',
  ],
  cohostHello: [
    'C’est parti, {lead} ! On a fouillé nos sources pour vous : {sources}.',
    'Coucou ! Des histoires toutes fraîches, tout droit sorties de nos sources : {sources}.',
  ],
  extraHello: ['Et {name} est là aussi !', 'Coucou, c’est {name} !'],
  firstStory: ['Sujet numéro un : {title}.', 'On démarre avec ça : {title}.'],
  nextStory: ['Allez, la suite : {title}.', 'On change de sujet : {title}.', 'En avant ! {title}.'],
  present: [
    '{source} nous raconte ceci. {s}',
    'Tout frais, chez {source} : {s}',
    'Voici ce que dit {source}. {s}',
  ],
  questions: [
    'Attends, attends, comment ça marche ?',
    'Oh. Et où est le piège ?',
    'Sérieux ? Pourquoi ?',
    'Et qui y gagne ?',
    'Et après ?',
  ],
  numberReactions: ['Waouh, ces chiffres ! Ça vient d’où ?', 'Ce chiffre, quand même ! Raconte-moi tout.'],
  quoteReactions: [
    'Des mots forts ! Qu’est-ce qu’il y a derrière ?',
    'Ha, j’adore cette citation. Quoi d’autre ?',
  ],
  remarks: ['Pas possible.', 'D’accord, c’est plutôt cool.', 'Celle-là, je ne l’avais pas vue venir.'],
  answerOpeners: ['', 'Alors voilà. ', 'Et voilà le meilleur. '],
  cohostAdds: ['Oh, et écoute ça : {s}', 'Et en plus : {s}'],
  leadAcks: ['Ha, oui. ', 'Exactement ! ', ''],
  wrapUps: ['J’adore. Tiens-nous au courant, internet.', 'À surveiller, c’est sûr.', 'Celle-là, je la note.'],
  outroLead: [
    'Et voilà, c’est fini pour aujourd’hui ! Merci d’avoir passé ce moment avec nous sur {show}.',
    'C’est tout pour cette fois ! Merci d’avoir écouté {show}.',
  ],
  outroCohost: [
    'Les liens vers toutes les histoires sont dans les notes de l’épisode. Allez les lire !',
    'Toutes les sources sont dans les notes de l’épisode, comme toujours.',
  ],
  outroCohostUnlinked: [
    'Chaque histoire est dans les notes de l’épisode, avec sa source.',
    'Les notes de l’épisode ont toute la liste des histoires. Allez voir !',
  ],
  signOff: ['Salut, {cohosts} ! À la prochaine, tout le monde.', 'À la prochaine !'],
  soloWelcome: [
    'Salut salut, et bienvenue dans {show} ! Moi, c’est {lead}.',
    'Re-bonjour, et bienvenue dans {show} ! Ici {lead}.',
  ],
  soloSources: [
    'Des histoires toutes fraîches, tout droit sorties de nos sources : {sources}.',
    'J’ai fouillé nos sources pour vous : {sources}.',
  ],
  soloContinues: ['Oh, et écoutez ça : {s}', 'Et en plus : {s}', 'Et ce n’est pas fini ! {s}', '{s}'],
  soloWrapUps: ['À surveiller, c’est sûr.', 'Celle-là, je la note.'],
  soloSignOff: ['C’est tout pour moi. À la prochaine !', 'Salut, et à la prochaine !'],
};

export const FRENCH: Record<Tone, PhraseBank> = { conversational, formal, playful };
