/**
 * The offline writer's Spanish phrasing, one bank per tone (text-templates.ts describes the
 * placeholders). Neutral Spanish that reads right in Spain and in the Americas: the listeners are
 * "ustedes" (no "vosotros"), no regional slang. No verb agrees with `{cohosts}` (it may be one
 * name or several) and no line makes a host agree in gender ("atento"/"atenta"). `{count}` is
 * feminine ("cuatro noticias", "una noticia"). A story sentence follows a full stop or a colon.
 */
import type { PhraseBank, Tone } from './text-templates';

const conversational: PhraseBank = {
  welcome: [
    'Hola, y bienvenidos a {show}. Soy {lead}, y conmigo, como siempre: {cohosts}.',
    'Hola a todos, esto es {show}. Soy {lead}, junto a {cohosts}.',
  ],
  dateLine: ['Hoy es {date}, y tenemos {count}.', 'Este es el episodio del {date}, con {count} por delante.'],
  cohostHello: [
    '¡Hola! Qué bueno estar aquí. Las noticias de hoy vienen de {sources}.',
    'Gracias, {lead}. Esta semana hemos leído {sources}, así que vamos allá.',
    'Hola a todos. Hay mucho que contar de {sources}, así que empecemos.',
  ],
  extraHello: ['Y yo soy {name}. ¡Hola!', 'Hola, aquí también {name}.'],
  firstStory: ['Primero: {title}.', 'Nuestra primera noticia: {title}.'],
  nextStory: [
    'Lo siguiente: {title}.',
    'Pasemos a esto: {title}.',
    'Nuestra siguiente noticia: {title}.',
    'Ahora: {title}.',
  ],
  present: [
    '{source} tiene los detalles. {s}',
    'Esto es lo que cuenta {source}. {s}',
    'Esta viene de {source}. {s}',
  ],
  questions: [
    'A ver, ¿y qué significa eso en la práctica?',
    'Espera, ¿cómo funciona eso?',
    '¿Y por qué es importante?',
    '¿Dónde está la trampa?',
    '¿Se sabe cómo lo lograron?',
    '¿Para quién es esto, en realidad?',
    '¿Y qué pasa ahora?',
  ],
  numberReactions: [
    'Son cifras enormes. ¿De dónde salen?',
    'Vaya cifra. ¿Hay algo más?',
    'Ese número me llamó la atención. ¿Qué más?',
  ],
  quoteReactions: [
    'Es una afirmación fuerte. ¿Qué hay detrás?',
    'Curiosa forma de decirlo. ¿Qué más dijeron?',
  ],
  remarks: [
    'Vaya, no me lo esperaba.',
    'Qué interesante.',
    'Claro, tiene sentido.',
    'Bien, hasta aquí te sigo.',
  ],
  answerOpeners: ['', '', 'Buena pregunta. ', 'La cosa es así: ', 'En pocas palabras: '],
  cohostAdds: ['Y hay más: {s}', 'Otro detalle que me llamó la atención: {s}', 'También leí esto. {s}'],
  leadAcks: ['Exacto. ', 'Así es. ', 'Sí. ', ''],
  wrapUps: [
    'Sin duda, algo a seguir de cerca.',
    'Fascinante. Habrá que seguirlo.',
    'Buena historia. A ver cómo evoluciona.',
    'Una historia que vale la pena seguir.',
  ],
  outroLead: [
    'Y hasta aquí el programa. Gracias por escuchar {show}; hoy hemos visto {count}.',
    'Eso es todo por este episodio de {show}.',
  ],
  outroCohost: [
    'Los enlaces a todas las noticias están en las notas del episodio, para que puedan leer las fuentes.',
    'Encontrarán los enlaces a todas las fuentes en las notas del episodio.',
  ],
  outroCohostUnlinked: [
    'Todas las noticias que vimos están en las notas del episodio, con su fuente.',
    'Las notas del episodio recogen las noticias de hoy y sus fuentes.',
  ],
  signOff: ['Gracias, {cohosts}. ¡Hasta la próxima a todos!', 'Cuídense, y hasta la próxima.'],
  soloWelcome: [
    'Hola, y bienvenidos a {show}. Soy {lead}.',
    'Hola a todos, esto es {show}, y yo soy {lead}.',
  ],
  soloSources: [
    'Las noticias de hoy vienen de {sources}.',
    'Esta semana he leído {sources}, así que vamos allá.',
  ],
  soloContinues: ['Y hay más. {s}', 'Otro detalle: {s}', '{source} también cuenta esto. {s}', '{s}'],
  soloWrapUps: [
    'Sin duda, algo a seguir de cerca.',
    'Una historia que vale la pena seguir.',
    'A ver cómo evoluciona.',
  ],
  soloSignOff: ['Gracias por escuchar, ¡y hasta la próxima!', 'Cuídense, y hasta la próxima.'],
};

const formal: PhraseBank = {
  welcome: [
    'Bienvenidos a {show}. Soy {lead}, junto a {cohosts}.',
    'Esto es {show}. Les habla {lead}, en compañía de {cohosts}.',
  ],
  dateLine: [
    'Hoy es {date}, y tenemos {count} que contarles.',
    'En esta edición del {date}, tratamos {count}.',
  ],
  cohostHello: [
    'Gracias, {lead}. Las informaciones de hoy proceden de {sources}.',
    'Es un placer estar con ustedes. Nuestras fuentes de hoy son {sources}.',
  ],
  extraHello: ['Soy {name}. Bienvenidos.', 'Y yo soy {name}.'],
  firstStory: ['Nuestra primera noticia: {title}.', 'Comenzamos con esto: {title}.'],
  nextStory: [
    'Nuestra siguiente noticia: {title}.',
    'Pasamos ahora a esto: {title}.',
    'A continuación: {title}.',
  ],
  present: ['{source} informa lo siguiente. {s}', 'La información procede de {source}. {s}'],
  questions: [
    '¿Cuáles son las implicaciones?',
    '¿Cómo se ha conseguido?',
    '¿Cuál es el impacto previsto?',
    '¿Cuáles son los próximos pasos?',
    '¿A quién afecta?',
  ],
  numberReactions: [
    'Son cifras significativas. ¿Hay más detalles?',
    'Es una cifra notable. ¿Qué más se sabe?',
  ],
  quoteReactions: [
    'Es una postura clara. ¿Cuál es el razonamiento?',
    'Una declaración destacable. ¿Qué más se dijo?',
  ],
  remarks: ['Es un punto importante.', 'Es algo digno de mención.', 'Entendido.'],
  answerOpeners: ['', '', 'En resumen: ', 'En concreto: '],
  cohostAdds: ['También se informa de lo siguiente. {s}', 'Un detalle adicional: {s}'],
  leadAcks: ['Efectivamente. ', 'Correcto. ', ''],
  wrapUps: ['Un acontecimiento importante.', 'Un asunto a seguir.', 'Seguiremos esta noticia de cerca.'],
  outroLead: ['Así concluye esta edición de {show}.', 'Esto es todo en esta edición de {show}.'],
  outroCohost: [
    'Los enlaces a todas las fuentes están disponibles en las notas del episodio.',
    'Las fuentes completas están enlazadas en las notas del episodio.',
  ],
  outroCohostUnlinked: [
    'Las notas del episodio recogen cada noticia con su fuente.',
    'Cada información figura en las notas del episodio, con su fuente.',
  ],
  signOff: [
    'Gracias, {cohosts}, y gracias a ustedes por escuchar.',
    'Gracias por su atención. Hasta la próxima.',
  ],
  soloWelcome: ['Bienvenidos a {show}. Soy {lead}.', 'Esto es {show}. Les habla {lead}.'],
  soloSources: ['Las informaciones de hoy proceden de {sources}.', 'Nuestras fuentes de hoy son {sources}.'],
  soloContinues: ['Además, se informa de lo siguiente. {s}', 'Un detalle adicional: {s}', '{s}'],
  soloWrapUps: ['Un acontecimiento importante.', 'Seguiremos esta noticia de cerca.'],
  soloSignOff: ['Gracias por su atención. Hasta la próxima.', 'Gracias por escucharnos, y hasta pronto.'],
};

const playful: PhraseBank = {
  welcome: [
    '¡Hola, hola, y bienvenidos a {show}! Soy {lead}, y aquí conmigo, con café y con ganas: {cohosts}.',
    '¡Bienvenidos de nuevo a {show}! Soy {lead}, con {cohosts}.',
  ],
  dateLine: ['Hoy es {date}, y traemos {count}.', 'Prepárense un café: hoy es {date}, y tenemos {count}.'],
  cohostHello: [
    '¡Cuando quieras, {lead}! Hemos revuelto {sources} para este episodio.',
    '¡Hola, hola! Noticias frescas de {sources}, ahí van.',
  ],
  extraHello: ['¡Y {name} también está aquí!', '¡Hola, soy {name}!'],
  firstStory: ['Noticia número uno: {title}.', 'Arrancamos con esto: {title}.'],
  nextStory: ['Bueno, lo siguiente: {title}.', 'Cambiamos de tema: {title}.', '¡Adelante! {title}.'],
  present: [
    '{source} nos cuenta esto. {s}',
    'Recién salido de {source}: {s}',
    'Miren lo que dice {source}. {s}',
  ],
  questions: [
    'A ver, espera, ¿cómo funciona eso?',
    'Uy. ¿Dónde está la trampa?',
    '¿En serio? ¿Por qué?',
    '¿Y quién gana aquí?',
    '¿Y luego qué?',
  ],
  numberReactions: [
    '¡Madre mía, qué cifras! ¿De dónde salen?',
    'Bueno, esa cifra me ha despertado. Cuéntame más.',
  ],
  quoteReactions: ['¡Palabras fuertes! ¿Qué hay detrás?', 'Ja, me encanta esa cita. ¿Qué más?'],
  remarks: ['¡No puede ser!', 'Bueno, eso está muy bien.', 'Eso no me lo esperaba.'],
  answerOpeners: ['', 'Pues mira. ', 'Y ahora viene lo mejor. '],
  cohostAdds: ['Ah, y escucha esto: {s}', 'Y además: {s}'],
  leadAcks: ['¡Ja, sí! ', '¡Exacto! ', ''],
  wrapUps: [
    'Me encanta. Internet, mantennos informados.',
    'Una para seguir, seguro.',
    'Bueno, esa me la apunto.',
  ],
  outroLead: [
    '¡Y hasta aquí {show}! Misión cumplida.',
    '¡Eso es todo! Gracias por pasar el rato con nosotros en {show}.',
  ],
  outroCohost: [
    'Los enlaces a todas las noticias están en las notas del episodio. ¡A leer!',
    'Todas las fuentes están en las notas del episodio, como siempre.',
  ],
  outroCohostUnlinked: [
    'Todas las noticias están en las notas del episodio, con sus fuentes.',
    'Las notas del episodio tienen la lista completa de noticias. ¡Échenle un vistazo!',
  ],
  signOff: ['¡Adiós, {cohosts}! Hasta la próxima a todos.', '¡Hasta la próxima!'],
  soloWelcome: [
    '¡Hola, hola, y bienvenidos a {show}! Soy {lead}, con café y con ganas.',
    '¡Bienvenidos de nuevo a {show}! Aquí {lead}.',
  ],
  soloSources: ['Noticias frescas de {sources}, ahí van.', 'He revuelto {sources} para este episodio.'],
  soloContinues: ['Ah, y escuchen esto: {s}', 'Y además: {s}', '¡Y hay más! {s}', '{s}'],
  soloWrapUps: ['Una para seguir, seguro.', 'Bueno, esa me la apunto.'],
  soloSignOff: ['Eso es todo por mi parte. ¡Hasta la próxima!', '¡Chao, y hasta la próxima!'],
};

export const SPANISH: Record<Tone, PhraseBank> = { conversational, formal, playful };
